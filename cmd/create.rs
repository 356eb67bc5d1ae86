//! `berth create`: a container from an image, not started; prints its id.

use berth::container::ContainerFlags;
use berth::container::config::Attach;
use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    #[command(flatten)]
    flags: ContainerFlags,
    /// Suppress the pull output
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print usage
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(flatten)]
    container_flags: crate::unsupported::RunFlags,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    args.container_flags.check("create")?;
    let tty = args.flags.process.tty;
    let req = args.flags.to_request(Attach {
        detached: false,
        console_size: tty.then(crate::terminal::size).flatten(),
    })?;
    let image = crate::progress::image_for_container(ctx, &args.flags, args.quiet).await?;
    let client = ctx.client().await?;
    let created = ops::create(client, &ctx.data_root(), &image, &req, None).await?;
    println!("{}", created.record.id);
    Ok(0)
}

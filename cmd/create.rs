//! `berth create`: a container from an image, not started; prints its id.

use berth::container::ContainerOptions;
use berth::container::lifecycle;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    #[command(flatten)]
    opts: ContainerOptions,
    /// Suppress the pull output
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print usage
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(flatten)]
    container_flags: crate::unsupported::ContainerFlags,
}

pub async fn exec(ctx: &Ctx, mut args: Args) -> berth::Result<u8> {
    let image_input = args
        .opts
        .image()
        .map_err(|e| e.hinted("see 'berth create --help'"))?
        .to_string();
    args.container_flags.check("create")?;
    if args.opts.tty {
        args.opts.console_size = crate::terminal::size();
    }
    let image =
        crate::progress::image_for_container(ctx, &image_input, &args.opts, args.quiet).await?;
    let client = ctx.client().await?;
    let created = lifecycle::create(client, &ctx.data_root(), &image, &args.opts, None).await?;
    println!("{}", created.record.id);
    Ok(0)
}

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
    #[command(flatten)]
    windows: crate::unsupported::WindowsFlags,
    #[command(flatten)]
    kernel_memory: crate::unsupported::KernelMemory,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    if let Some(refusal) = args.windows.refusal() {
        eprintln!("{refusal}");
        return Ok(1);
    }
    args.container_flags.check("create")?;
    let tty = args.flags.process.tty;
    let mut req = args.flags.to_request(Attach {
        detached: false,
        console_size: tty.then(crate::terminal::size).flatten(),
    })?;
    for w in berth::container::config::host_warnings(&mut req)? {
        eprintln!("WARNING: {w}");
    }
    let image = crate::progress::image_for_container(ctx, &args.flags, args.quiet).await?;
    let client = ctx.client().await?;
    let created = ops::create(client, &ctx.data_root(), &image, &req, None).await?;
    println!("{}", created.record.id);
    Ok(0)
}

//! `berth run` (attached). The container's flags and IMAGE [COMMAND]
//! [ARG...] are the library's `ContainerOptions`; this file adds the flags
//! that belong to running attached, and prints.

use std::io::IsTerminal;

use berth::Error;
use berth::container::ContainerOptions;
use berth::container::lifecycle::AttachIo;
use berth::container::run::{run_attached, run_detached as run_detached_in};
use clap::Args as ClapArgs;
use tokio::sync::mpsc;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    #[command(flatten)]
    opts: ContainerOptions,
    /// Run container in background and print container ID
    #[arg(short = 'd', long)]
    detach: bool,
    /// Proxy received signals to the process
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set)]
    sig_proxy: bool,
    /// Suppress the pull output
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print usage
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(flatten)]
    unsupported: Unsupported,
    #[command(flatten)]
    container_flags: crate::unsupported::ContainerFlags,
}

crate::unsupported_flags!(Unsupported {
    detach_keys: Option<String> = "detach-keys";
});

pub async fn exec(ctx: &Ctx, mut args: Args) -> berth::Result<u8> {
    let opts = &mut args.opts;
    let image_input = opts
        .image()
        .map_err(|e| e.hinted("see 'berth run --help'"))?
        .to_string();
    args.unsupported.check("run")?;
    args.container_flags.check("run")?;
    opts.detached = args.detach;
    if opts.interactive && opts.tty && !args.detach && !std::io::stdin().is_terminal() {
        return Err(Error::invalid("the input device is not a TTY"));
    }
    if opts.tty {
        opts.console_size = crate::terminal::size();
    }
    let image = crate::progress::image_for_container(ctx, &image_input, opts, args.quiet).await?;
    let client = ctx.client().await?;
    if args.detach {
        return run_detached(ctx, client, &image, &args.opts).await;
    }
    let opts = &args.opts;
    let (tx, rx) = mpsc::channel(16);
    crate::signals::forward(tx, args.sig_proxy, opts.tty);
    let raw = (opts.tty && opts.interactive)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = AttachIo {
        stdin: opts
            .interactive
            .then(|| Box::new(tokio::io::stdin()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        stdout: Box::new(tokio::io::stdout()),
        stderr: Box::new(tokio::io::stderr()),
    };
    let finished = run_attached(client, &ctx.data_root(), &image, opts, io, rx).await;
    drop(raw);
    let finished = finished?;
    if let Some(w) = finished.cleanup_warning {
        eprintln!("Warning: {w}");
    }
    Ok(finished.outcome.exit_code.min(255) as u8)
}

/// `run -d`: the full id on stdout once the task runs.
async fn run_detached(
    ctx: &Ctx,
    client: &berth::Client,
    image: &berth::image::ResolvedImage,
    opts: &ContainerOptions,
) -> berth::Result<u8> {
    let started = run_detached_in(client, &ctx.data_root(), image, opts).await?;
    if let Some(w) = &started.warning {
        eprintln!("WARNING: {w}");
    }
    if opts.rm {
        ctx.spawn_remover(&started.id)?;
    }
    println!("{}", started.id);
    Ok(0)
}

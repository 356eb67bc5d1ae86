//! `berth start`: starts created or stopped containers, their output going
//! to their logs; `-a` attaches to one instead and exits with its code.

use berth::Error;
use berth::container::ops;
use clap::Args as ClapArgs;
use tokio::sync::mpsc;

use crate::ctx::Ctx;
use crate::output::daemon_error;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
    /// Attach STDOUT/STDERR and forward signals
    #[arg(short = 'a', long)]
    attach: bool,
    /// Attach container's STDIN
    #[arg(short = 'i', long)]
    interactive: bool,
    /// Override the key sequence for detaching a container
    #[arg(long = "detach-keys", value_name = "string")]
    detach_keys: Option<String>,
    /// Restore from this checkpoint (an experimental daemon's)
    #[arg(long, hide = true, help = crate::unsupported::EXPERIMENTAL_ONLY)]
    checkpoint: Option<String>,
    /// Use a custom checkpoint storage directory (an experimental daemon's)
    #[arg(long = "checkpoint-dir", hide = true, help = crate::unsupported::EXPERIMENTAL_ONLY)]
    checkpoint_dir: Option<String>,
}

/// Whether this start exits like `run` (attached).
pub fn attaches(a: &Args) -> bool {
    a.attach || a.interactive
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    // docker's CLI against a daemon without experimental features: one
    // line per flag, nothing started.
    let experimental = [
        ("checkpoint", args.checkpoint.is_some()),
        ("checkpoint-dir", args.checkpoint_dir.is_some()),
    ];
    let refused: Vec<String> = experimental
        .iter()
        .filter(|(_, given)| *given)
        .map(|(f, _)| crate::unsupported::experimental_refusal(f))
        .collect();
    if !refused.is_empty() {
        eprintln!("{}", refused.join("\n"));
        return Ok(1);
    }
    if attaches(&args) {
        return start_attached(ctx, &args).await;
    }
    let client = ctx.client().await?;
    let data = ctx.data_root();
    let records = ops::records(client).await?;
    let mut failed = Vec::new();
    for input in &args.containers {
        let result = match ops::find(&records, input) {
            Ok(rec) => ops::start(client, &data, rec, None, false).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(started) => {
                if let Some(w) = started.warning {
                    eprintln!("WARNING: {w}");
                }
                println!("{input}");
            }
            Err(e) => {
                daemon_error(&e);
                failed.push(input.clone());
            }
        }
    }
    if failed.is_empty() {
        return Ok(0);
    }
    Err(Error::new(
        berth::ErrorKind::Daemon,
        format!("failed to start containers: {}", failed.join(", ")),
    ))
}

async fn start_attached(ctx: &Ctx, args: &Args) -> berth::Result<u8> {
    if args.containers.len() > 1 {
        return Err(Error::invalid(
            "you cannot start and attach multiple containers at once",
        ));
    }
    let detach_keys = crate::terminal::detach_keys(args.detach_keys.as_deref())?;
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.containers[0])?;
    let (tx, rx) = mpsc::channel(16);
    crate::signals::forward(tx, !rec.tty, rec.tty);
    let raw = (rec.tty && args.interactive)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = crate::terminal::user_io(args.interactive, detach_keys);
    let outcome = ops::start_attached_existing(client, &ctx.data_root(), rec, io, rx).await;
    drop(raw);
    Ok(crate::terminal::joined_exit(&outcome?))
}

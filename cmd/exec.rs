//! `berth exec`: runs a command in a running container; exits with the
//! command's own code (126/127 when it cannot run or is not found).

use std::io::IsTerminal;

use berth::Error;
use berth::container::config::ExecOptions;
use berth::container::ops;
use clap::Args as ClapArgs;
use tokio::sync::mpsc;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    #[command(flatten)]
    opts: ExecOptions,
    /// Override the key sequence for detaching a container
    #[arg(long = "detach-keys", value_name = "string")]
    detach_keys: Option<String>,
}

impl Args {
    /// `-t`: the process gets a terminal.
    pub fn tty(&self) -> bool {
        self.opts.tty
    }
}

pub async fn exec(ctx: &Ctx, mut args: Args) -> berth::Result<u8> {
    if args.opts.tty {
        args.opts.console_size = crate::terminal::size();
    }
    let opts = &args.opts;
    if opts.tty && opts.interactive && !opts.detach && !std::io::stdin().is_terminal() {
        return Err(Error::invalid("the input device is not a TTY"));
    }
    let detach_keys = crate::terminal::detach_keys(args.detach_keys.as_deref())?;
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, opts.container())?;
    let (tx, rx) = mpsc::channel(16);
    crate::signals::forward(tx, !opts.tty, opts.tty);
    let raw = (opts.tty && opts.interactive && !opts.detach)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = crate::terminal::user_io(opts.interactive && !opts.detach, detach_keys);
    let outcome = ops::exec(client, rec, opts.container(), opts, io, rx).await;
    drop(raw);
    match outcome? {
        Some(o) => Ok(crate::terminal::joined_exit(&o)),
        None => Ok(0),
    }
}

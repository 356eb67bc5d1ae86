//! `berth attach`: joins a running container's output (and its stdin when
//! it was started with `-i`) until it exits, with its exit code; the
//! detach keys leave it running (docker: "read escape sequence", exit 1).

use std::io::IsTerminal;

use berth::Error;
use berth::container::ops::{self, Control};
use clap::Args as ClapArgs;
use tokio::sync::mpsc;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    /// Override the key sequence for detaching a container
    #[arg(long = "detach-keys", value_name = "string")]
    detach_keys: Option<String>,
    /// Do not attach STDIN
    #[arg(long = "no-stdin")]
    no_stdin: bool,
    /// Proxy all received signals to the process
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set)]
    sig_proxy: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let keys = crate::terminal::detach_keys(args.detach_keys.as_deref())?;
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?;
    // docker's CLI says these itself (no "Error response from daemon").
    ops::attachable(client, rec).await.map_err(Error::cli)?;
    // docker checks the terminal whether or not the container takes input.
    if rec.tty && !args.no_stdin && !std::io::stdin().is_terminal() {
        return Err(Error::invalid("the input device is not a TTY").cli());
    }
    let stdin = !args.no_stdin && rec.open_stdin();
    let (tx, rx) = mpsc::channel(16);
    if rec.tty
        && let Some((w, h)) = crate::terminal::size()
    {
        let _ = tx.send(Control::Resize(w, h)).await;
    }
    crate::signals::forward(tx, args.sig_proxy && !rec.tty, rec.tty);
    let raw = (rec.tty && stdin)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = crate::terminal::user_io(stdin, keys);
    let outcome = ops::attach(client, &ctx.data_root(), rec, io, rx).await;
    drop(raw);
    Ok(crate::terminal::joined_exit(&outcome?))
}

//! `berth stop` and `berth restart`: the stop signal, then SIGKILL after
//! the grace period.

use berth::container::{ops, signal};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::each_container;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
    /// Signal to send to the container
    #[arg(short = 's', long)]
    signal: Option<String>,
    /// Seconds to wait before killing the container
    #[arg(
        short = 't',
        long = "timeout",
        visible_alias = "time",
        allow_negative_numbers = true
    )]
    timeout: Option<i64>,
    /// Act on containers the kubelet manages without asking (berth)
    #[arg(short = 'f', long)]
    force: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let sig = args.signal.as_deref().map(signal::parse).transpose()?;
    let client = ctx.client().await?;
    each_container(client, &args.containers, async |rec, input| {
        crate::output::kubelet_guard(rec, args.force)?;
        ops::stop(client, rec, sig, args.timeout).await?;
        Ok(Some(input.to_string()))
    })
    .await
}

/// `restart` takes `stop`'s options.
pub async fn restart(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let sig = args.signal.as_deref().map(signal::parse).transpose()?;
    let client = ctx.client().await?;
    let data = ctx.data_root();
    each_container(client, &args.containers, async |rec, input| {
        crate::output::kubelet_guard(rec, args.force)?;
        let started = ops::restart(client, &data, rec, sig, args.timeout).await?;
        if let Some(w) = started.warning {
            eprintln!("WARNING: {w}");
        }
        Ok(Some(input.to_string()))
    })
    .await
}

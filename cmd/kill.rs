//! `berth kill`: a signal (SIGKILL by default) to running containers.

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
    #[arg(short = 's', long, default_value = "KILL")]
    signal: String,
    /// Act on containers the kubelet manages without asking (berth)
    #[arg(short = 'f', long)]
    force: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let sig = signal::parse(&args.signal)?;
    let client = ctx.client().await?;
    each_container(client, &args.containers, async |rec, input| {
        crate::output::kubelet_guard(rec, args.force)?;
        ops::kill(client, rec, input, sig).await?;
        Ok(Some(input.to_string()))
    })
    .await
}

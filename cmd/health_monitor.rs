//! The hidden verb behind health checks: a detached berth process that
//! runs a container's check at its intervals while it runs
//! (`berth::container::ops::health`).

use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container's full id
    id: String,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    berth::container::ops::health::monitor::run(client, &ctx.data_root(), &args.id).await?;
    Ok(0)
}

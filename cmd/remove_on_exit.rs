//! The hidden verb behind `run -d --rm`: a detached berth process that
//! waits for the container's task to end and removes the container.

use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container's full id
    id: String,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    berth::container::ops::remove_when_exited(client, &ctx.data_root(), &args.id).await?;
    Ok(0)
}

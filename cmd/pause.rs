//! `berth pause` / `berth unpause`: freeze and thaw containers.

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::each_container;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
}

pub async fn exec(ctx: &Ctx, args: Args, pause: bool) -> berth::Result<u8> {
    let client = ctx.client().await?;
    each_container(client, &args.containers, async |rec, input| {
        if pause {
            ops::pause(client, rec).await?;
        } else {
            ops::unpause(client, rec).await?;
        }
        Ok(Some(input.to_string()))
    })
    .await
}

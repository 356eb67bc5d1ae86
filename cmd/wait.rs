//! `berth wait`: blocks until containers stop, prints their exit codes.

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

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    each_container(client, &args.containers, async |rec, _| {
        Ok(Some(ops::wait(client, rec).await?.to_string()))
    })
    .await
}

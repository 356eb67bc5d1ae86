//! `berth rename CONTAINER NEW_NAME`.

use berth::container::{lifecycle, list, resolve};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    /// Its new name
    new_name: String,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let records = list::records(client).await?;
    let rec = resolve::find(&records, &args.container)?;
    lifecycle::rename(client, rec, &args.new_name).await?;
    Ok(0)
}

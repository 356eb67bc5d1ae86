//! `berth port`: published ports. berth publishes none yet (networking
//! comes later), so a container has none to list, as docker prints then.

use berth::container::{list, resolve};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    /// PRIVATE_PORT[/PROTO]
    port: Option<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let records = list::records(client).await?;
    resolve::find(&records, &args.container)?;
    if let Some(p) = args.port {
        return Err(berth::Error::not_found(format!(
            "No public port '{}' published for {}",
            if p.contains('/') {
                p
            } else {
                format!("{p}/tcp")
            },
            args.container
        )));
    }
    Ok(0)
}

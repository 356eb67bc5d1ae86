//! `berth diff` / `berth container diff`: the files a container changed
//! against its image (`A` added, `C` changed, `D` deleted).

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Container (name, id or id prefix)
    container: String,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?;
    let mut out = String::new();
    for c in ops::diff(client, &ctx.data_root(), rec).await? {
        out.push_str(&format!("{} {}\n", c.kind, c.path));
    }
    print!("{out}");
    Ok(0)
}

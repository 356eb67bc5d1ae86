//! `berth rmi` / `berth image rm`.

use berth::container::ops;
use berth::image::remove::Removed;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Images (names or IDs)
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<String>,
    /// Force removal of the image
    #[arg(short = 'f', long)]
    force: bool,
    /// Do not delete untagged parents (berth images have no separate parents, so this changes nothing)
    #[arg(long = "no-prune")]
    no_prune: bool,
    /// Platform whose image ID to match (default: this host's)
    #[arg(long)]
    platform: Option<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let _ = args.no_prune;
    let client = ctx.client().await?;
    let platform = ctx.platform(args.platform.as_deref())?;
    let mut failed = false;
    for result in ops::remove_images(client, &args.images, args.force, &platform).await {
        match result {
            Ok(lines) => {
                for l in lines {
                    match l {
                        Removed::Untagged(n) => println!("Untagged: {n}"),
                        Removed::Deleted(id) => println!("Deleted: {id}"),
                    }
                }
            }
            Err(e) => {
                failed = true;
                output::daemon_error(&e);
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}

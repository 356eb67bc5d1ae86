//! `berth rmi` / `berth image rm`.

use berth::container::ops;
use berth::image::remove::Removed;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

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
    for input in &args.images {
        match ops::remove_image(client, input, args.force, &platform).await {
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
                eprintln!("Error response from daemon: {}", e.message());
                if let Some(h) = e.hint() {
                    eprintln!("Hint: {h}");
                }
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}

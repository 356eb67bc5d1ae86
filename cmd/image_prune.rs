//! `berth image prune`: dangling images, or with -a every unused one.

use berth::image::prune::{self, Filters};
use berth::image::remove::Removed;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Remove all images no container uses, not just dangling ones
    #[arg(short = 'a', long)]
    all: bool,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    force: bool,
    /// Provide filter values (e.g. "until=<timestamp>", "label=<key>[=<value>]")
    #[arg(long = "filter")]
    filter: Vec<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let filters = Filters::parse(&args.filter, std::time::SystemTime::now())?;
    if !args.force {
        let what = if args.all {
            "all images without at least one container associated to them"
        } else {
            "all dangling images"
        };
        if !crate::output::confirm(&format!("WARNING! This will remove {what}.")) {
            return Ok(0);
        }
    }
    let client = ctx.client().await?;
    let pruned = prune::prune(client, args.all, &filters, &ctx.platform(None)?).await?;
    if !pruned.removed.is_empty() {
        println!("Deleted Images:");
        for r in &pruned.removed {
            match r {
                Removed::Untagged(n) => println!("untagged: {n}"),
                Removed::Deleted(id) => println!("deleted: {id}"),
            }
        }
        println!();
    }
    let size = berth::format::units::human_size(pruned.reclaimed as f64);
    println!("Total reclaimed space: {size}");
    Ok(0)
}

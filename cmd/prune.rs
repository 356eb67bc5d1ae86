//! `berth container prune`: removes every stopped container.

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{confirm, daemon_error, pruned, write_stdout};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    force: bool,
    /// Provide filter values (e.g. "until=<timestamp>", "label=<key>[=<value>]")
    #[arg(long = "filter")]
    filter: Vec<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let filters = ops::PruneFilters::parse(&args.filter, std::time::SystemTime::now())?;
    if !args.force && !confirm("WARNING! This will remove all stopped containers.") {
        return Ok(0);
    }
    let client = ctx.client().await?;
    let report = ops::prune(client, &ctx.data_root(), &filters).await?;
    for e in &report.failed {
        daemon_error(e);
    }
    write_stdout(&pruned("Containers", &report.deleted, report.reclaimed))?;
    Ok(u8::from(!report.failed.is_empty()))
}

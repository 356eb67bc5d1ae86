//! `berth container prune`: removes every stopped container.

use std::io::BufRead;

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::daemon_error;

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
    if !args.force {
        eprint!(
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
        );
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y") {
            return Ok(0);
        }
    }
    let client = ctx.client().await?;
    let data = ctx.data_root();
    // Creations killed half-way hold a name and a snapshot but have no
    // container to list: cleared with the stopped containers.
    ops::sweep_abandoned(client, &data).await?;
    let rows = ops::list(client).await?;
    let mut deleted = Vec::new();
    let mut reclaimed = 0i64;
    let mut failed = false;
    for row in rows
        .iter()
        .filter(|r| !r.state.is_running() && filters.keep(&r.record))
    {
        let rec = &row.record;
        // What removing it frees: its writable layer.
        let size = berth::snapshots::usage(client, &rec.snapshotter, &rec.snapshot_key)
            .await
            .unwrap_or(0);
        match ops::remove(client, &data, rec, false, false).await {
            Ok(()) => {
                deleted.push(rec.id.clone());
                reclaimed += size;
            }
            Err(e) => {
                failed = true;
                daemon_error(&e);
            }
        }
    }
    let mut text = String::new();
    if !deleted.is_empty() {
        text.push_str("Deleted Containers:\n");
        for id in &deleted {
            text.push_str(id);
            text.push('\n');
        }
        text.push('\n');
    }
    let size = berth::format::units::human_size(reclaimed as f64);
    text.push_str(&format!("Total reclaimed space: {size}\n"));
    crate::output::write_stdout(&text)?;
    Ok(u8::from(failed))
}

//! `berth stats` / `berth container stats`: a live table of containers'
//! resource use on a terminal, one snapshot otherwise (or with
//! `--no-stream`).

use std::io::IsTerminal;
use std::time::Duration;

use berth::container::ops::{self, Sampler, Stat, State};
use berth::format::units::{bytes_size, human_size_with_precision};
use berth::format::{Field, Row, Value};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{format_error, s, write_stdout};

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Containers (all running ones when none is named)
    containers: Vec<String>,
    /// Show all containers (default shows just running)
    #[arg(short = 'a', long = "all")]
    all: bool,
    /// Format output using a custom template: 'table', 'table TEMPLATE',
    /// 'json' or a Go template
    #[arg(long = "format")]
    format: Option<String>,
    /// Disable streaming stats and only pull the first result
    #[arg(long = "no-stream")]
    no_stream: bool,
    /// Do not truncate output
    #[arg(long = "no-trunc")]
    no_trunc: bool,
}

/// One line, as docker's stats formatter shows it.
struct StatsRow<'a> {
    stat: &'a Stat,
    /// The container as named (its id when listing).
    container: &'a str,
    trunc: bool,
}

fn pair(a: u64, b: u64) -> Value {
    s(format!(
        "{} / {}",
        human_size_with_precision(a as f64, 3),
        human_size_with_precision(b as f64, 3)
    ))
}

impl Row for StatsRow<'_> {
    const GO_TYPE: &'static str = "*formatter.statsContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("BlockIO", "BLOCK I/O", |r| {
                pair(r.stat.blk_read, r.stat.blk_write)
            }),
            Field::new("CPUPerc", "CPU %", |r| {
                s(format!("{:.2}%", r.stat.cpu_percent))
            }),
            Field::new("Container", "CONTAINER", |r| s(r.container)),
            Field::new("ID", "CONTAINER ID", |r| {
                s(if r.trunc {
                    &r.stat.id[..12.min(r.stat.id.len())]
                } else {
                    &r.stat.id
                })
            }),
            Field::new("MemPerc", "MEM %", |r| {
                s(format!("{:.2}%", r.stat.mem_percent))
            }),
            Field::new("MemUsage", "MEM USAGE / LIMIT", |r| {
                s(format!(
                    "{} / {}",
                    bytes_size(r.stat.mem as f64),
                    bytes_size(r.stat.mem_limit as f64)
                ))
            }),
            Field::new("Name", "NAME", |r| s(&r.stat.name)),
            Field::new("NetIO", "NET I/O", |r| pair(r.stat.net_rx, r.stat.net_tx)),
            Field::new("PIDs", "PIDS", |r| s(r.stat.pids.to_string())),
        ]
    }
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let (records, named) = if args.containers.is_empty() {
        let rows = ops::list(client).await?;
        let recs: Vec<_> = rows
            .into_iter()
            .filter(|r| {
                args.all
                    || matches!(
                        r.state,
                        State::Running { .. } | State::Paused { .. } | State::Restarting { .. }
                    )
            })
            .map(|r| r.record)
            .collect();
        (recs, Vec::new())
    } else {
        let all = ops::records(client).await?;
        let mut recs = Vec::new();
        for name in &args.containers {
            recs.push(ops::find(&all, name)?.clone());
        }
        (recs, args.containers.clone())
    };
    let refs: Vec<_> = records.iter().collect();
    let mut sampler = Sampler::new();
    let live = !args.no_stream && std::io::stdout().is_terminal();
    let mut first = true;
    let mut taken = tokio::time::Instant::now();
    sampler.sample(client, &refs).await?;
    loop {
        // Samples start a window apart, however long one takes.
        let window = if live {
            Duration::from_secs(1)
        } else {
            ops::ONE_SHOT_WINDOW
        };
        tokio::time::sleep_until(taken + window).await;
        taken = tokio::time::Instant::now();
        let stats = sampler.sample(client, &refs).await?;
        let rows: Vec<StatsRow> = stats
            .iter()
            .enumerate()
            .map(|(i, stat)| StatsRow {
                stat,
                container: named.get(i).map_or(stat.id.as_str(), String::as_str),
                trunc: !args.no_trunc,
            })
            .collect();
        let text = berth::format::render_rows(args.format.as_deref(), DEFAULT_TABLE, &rows)
            .map_err(format_error)?;
        if !live {
            return write_stdout(&text).map(|()| 0);
        }
        write_stdout(&redraw(&text, first))?;
        first = false;
    }
}

/// A refresh in place: home, each line over the last (erasing its tail),
/// then the rest of the screen cleared, so the table never flickers.
fn redraw(text: &str, first: bool) -> String {
    let mut out = String::from(if first { "\x1b[2J\x1b[H" } else { "\x1b[H" });
    for line in text.lines() {
        out.push_str(line);
        out.push_str("\x1b[K\n");
    }
    out.push_str("\x1b[J");
    out
}

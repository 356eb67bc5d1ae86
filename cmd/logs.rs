//! `berth logs`: a container's output, stdout and stderr on their own
//! streams, as docker prints them.

use std::io::Write;
use std::time::SystemTime;

use berth::Error;
use berth::container::ops;
use berth::logs::read::Window;
use berth::logs::{Entry, Stream};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    /// Follow log output
    #[arg(short = 'f', long)]
    follow: bool,
    /// Number of lines to show from the end of the logs ("all" for all)
    #[arg(short = 'n', long, default_value = "all")]
    tail: String,
    /// Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)
    #[arg(long)]
    since: Option<String>,
    /// Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)
    #[arg(long)]
    until: Option<String>,
    /// Show timestamps
    #[arg(short = 't', long)]
    timestamps: bool,
    /// Show extra details provided to logs
    #[arg(long)]
    details: bool,
}

/// docker's `-t` prefix: always nine digits of fraction.
fn timestamp(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t)
        .format("%Y-%m-%dT%H:%M:%S%.9fZ")
        .to_string()
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let now = SystemTime::now();
    let window = Window {
        tail: match args.tail.as_str() {
            "all" | "-1" => None,
            n => Some(n.parse::<usize>().map_err(|_| {
                Error::invalid(format!(
                    "invalid value for \"tail\": {n:?}: use a number or \"all\""
                ))
            })?),
        },
        since: args
            .since
            .as_deref()
            .map(|s| berth::util::parse_time_or_ago(s, now))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|s| berth::util::parse_time_or_ago(s, now))
            .transpose()?,
    };
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?.clone();
    let stamps = args.timestamps;
    // kubelet stamps a CRI line once, not each of its partial records
    // (docker's json-file does stamp each part of a long line).
    let whole_lines = matches!(
        ops::log_source(&ctx.data_root(), client.namespace(), &rec),
        Ok(ops::LogSource::Cri(_))
    );
    let mut mid_line = [false; 2];
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let mut err = std::io::stderr();
    let follow = args.follow;
    let details = args.details;
    let sink = move |e: &Entry| -> std::io::Result<()> {
        let w: &mut dyn Write = match e.stream {
            Stream::Stdout => &mut out,
            Stream::Stderr => {
                out.flush()?;
                &mut err
            }
        };
        let mid = &mut mid_line[e.stream as usize];
        if stamps && !(whole_lines && *mid) {
            w.write_all(timestamp(e.time).as_bytes())?;
            w.write_all(b" ")?;
        }
        *mid = !e.line.ends_with(b"\n");
        if details {
            // docker's attributes (from the `labels`/`env` log options,
            // which berth does not take yet) and a space: just the space.
            w.write_all(b" ")?;
        }
        w.write_all(&e.line)?;
        if follow {
            w.flush()?;
        }
        Ok(())
    };
    // The buffered stdout is flushed when the sink is dropped.
    ops::read_logs(client, &ctx.data_root(), &rec, window, args.follow, sink).await?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_have_nine_digits() {
        assert_eq!(
            timestamp(SystemTime::UNIX_EPOCH + Duration::new(1_704_067_200, 5_000)),
            "2024-01-01T00:00:00.000005000Z"
        );
    }
}

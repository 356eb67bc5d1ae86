//! docker's health checks without a daemon. A container whose
//! `Config.Healthcheck` runs checks gets, on every start, a small berth
//! process (`berth __health-monitor ID`, in its own session) that execs the
//! check in the container at docker's intervals and keeps docker's
//! `State.Health` in `health.json` in the container's directory (written
//! atomically), which `ps`, `inspect` and `ps --filter health=` read.
//! Status changes are published as docker's `health_status: S` events.
//! One monitor per container (a lock in its directory); it follows tasks
//! the restart monitor starts again, and ends with the container's run.

pub mod monitor;
mod probe;

use std::path::Path;
use std::time::Duration;

use crate::container::model::health::{HEALTHY, STARTING, UNHEALTHY};
use crate::container::model::{Health, HealthConfig, HealthcheckResult};
use crate::container::store::list::{ContainerRow, State};
use crate::error::Result;
use crate::state::DataRoot;

/// docker's defaults and limits (moby's daemon/health.go).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_START_INTERVAL: Duration = Duration::from_secs(5);
pub const DEFAULT_RETRIES: u32 = 3;
/// Results kept in `Log`.
pub const MAX_LOG_ENTRIES: usize = 5;
/// Bytes of a check's output kept.
pub const MAX_OUTPUT: usize = 4096;

/// The file that holds `State.Health`.
pub const FILE: &str = "health.json";

/// A configuration's timings with docker's defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub interval: Duration,
    pub timeout: Duration,
    pub start_period: Duration,
    pub start_interval: Duration,
    pub retries: u32,
}

fn or_default(nanos: i64, default: Duration) -> Duration {
    if nanos > 0 {
        Duration::from_nanos(nanos as u64)
    } else {
        default
    }
}

impl Timing {
    pub fn of(c: &HealthConfig) -> Timing {
        Timing {
            interval: or_default(c.interval, DEFAULT_INTERVAL),
            timeout: or_default(c.timeout, DEFAULT_TIMEOUT),
            start_period: or_default(c.start_period, Duration::ZERO),
            start_interval: or_default(c.start_interval, DEFAULT_START_INTERVAL),
            retries: if c.retries > 0 {
                c.retries as u32
            } else {
                DEFAULT_RETRIES
            },
        }
    }

    /// The wait before the next check: the start interval while the
    /// container is starting within its start period, else the interval.
    pub fn next_wait(&self, since_start: Duration, status: &str) -> Duration {
        if since_start < self.start_period && status == STARTING {
            self.start_interval
        } else {
            self.interval
        }
    }
}

/// The command a check runs (`CMD-SHELL` through `/bin/sh -c`), or None
/// when the configuration runs no checks.
pub fn command(c: &HealthConfig) -> Option<Vec<String>> {
    match c.test.split_first()? {
        (kind, args) if kind == "CMD" && !args.is_empty() => Some(args.to_vec()),
        (kind, [cmd]) if kind == "CMD-SHELL" => {
            Some(vec!["/bin/sh".into(), "-c".into(), cmd.clone()])
        }
        _ => None,
    }
}

/// docker's handling of one result: the log keeps the last five, a
/// success makes the container healthy, a failure counts towards
/// `retries` unless the container is still starting within its start
/// period. The new status when it changed.
pub fn record(
    h: &mut Health,
    result: HealthcheckResult,
    timing: &Timing,
    since_start: Duration,
) -> Option<String> {
    let old = h.status.clone();
    h.log.push(result);
    if h.log.len() > MAX_LOG_ENTRIES {
        let extra = h.log.len() - MAX_LOG_ENTRIES;
        h.log.drain(..extra);
    }
    let ok = h.log.last().is_some_and(|r| r.exit_code == 0);
    if ok {
        h.failing_streak = 0;
        h.status = HEALTHY.to_string();
    } else if !(h.status == STARTING && since_start < timing.start_period) {
        h.failing_streak += 1;
        if h.failing_streak >= timing.retries {
            h.status = UNHEALTHY.to_string();
        }
    }
    (h.status != old).then(|| h.status.clone())
}

/// What `ps` shows after `Up …`: docker's `(health: starting)`,
/// `(healthy)`, `(unhealthy)`.
pub fn ps_suffix(status: &str) -> String {
    match status {
        STARTING => " (health: starting)".to_string(),
        "" => String::new(),
        s => format!(" ({s})"),
    }
}

/// The status docker shows for a container in `state`: stopped and
/// paused containers are `unhealthy` (docker's daemon says so when it
/// stops watching), created ones have none.
fn shown(state: &State, status: &str) -> Option<String> {
    match state {
        State::Created => None,
        State::Running { .. } => Some(status.to_string()),
        _ => Some(UNHEALTHY.to_string()),
    }
}

/// Reads each row's health (only rows with a check read a file).
pub fn fill(rows: &mut [ContainerRow], data: &DataRoot, namespace: &str) {
    for row in rows {
        if monitor::config(&row.record).is_none() {
            continue;
        }
        let Ok(dir) = data.container_dir(namespace, &row.record.id) else {
            continue;
        };
        row.health = load(&dir).and_then(|h| shown(&row.state, &h.status));
    }
}

/// The container's `State.Health` (None: never started with a check).
pub fn load(dir: &Path) -> Option<Health> {
    let data = std::fs::read(dir.join(FILE)).ok()?;
    serde_json::from_slice(&data).ok()
}

/// Writes `State.Health` atomically (a reader sees the old or the new).
pub fn save(dir: &Path, h: &Health) -> Result<()> {
    let data = serde_json::to_vec(h)?;
    crate::state::write_atomic(&dir.join(FILE), &data, 0o600)
}

/// A start: `starting` with no failing streak; the log is kept (docker's).
pub fn reset(dir: &Path) -> Result<()> {
    let mut h = load(dir).unwrap_or_default();
    h.status = STARTING.to_string();
    h.failing_streak = 0;
    save(dir, &h)
}

/// The container's `State.Health` as `inspect` shows it: for a container
/// with a check, once started.
pub fn state(row: &ContainerRow, dir: &Path) -> Option<Health> {
    monitor::config(&row.record)?;
    let mut h = load(dir)?;
    h.status = shown(&row.state, &h.status)?;
    Some(h)
}

#[cfg(test)]
mod tests;

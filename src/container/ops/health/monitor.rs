//! The health monitor: one berth process per started container with a
//! check, which outlives the berth that started it. It waits an interval,
//! runs the check while the task runs (not while it is paused), records
//! the result and publishes status changes; a task the restart monitor
//! starts again begins `starting` anew. It ends when the container's run
//! ends for good (no task, restart not armed) or the container is gone.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use containerd_client::types::v1::Status;

use super::{Timing, command, load, probe, record, reset, save};
use crate::client::Client;
use crate::container::model::HealthConfig;
use crate::container::model::health::UNHEALTHY;
use crate::container::runtime::task;
use crate::container::store::list;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, Result};
use crate::state::DataRoot;

/// The hidden verb the monitor runs as.
pub const VERB: &str = "__health-monitor";

/// The container's check, when it runs one (a command to run: `CMD`
/// with arguments or `CMD-SHELL`; `NONE`, or a bare `CMD`, runs nothing).
pub fn config(rec: &ContainerRecord) -> Option<&HealthConfig> {
    rec.stored
        .as_ref()?
        .config
        .healthcheck
        .as_ref()
        .filter(|h| command(h).is_some())
}

/// How long a new monitor waits for the task its start is making.
const FIRST_TASK_WAIT: Duration = Duration::from_secs(10);

/// At a start (just before or after the task starts): the status back
/// to `starting` and a monitor started, for a container with a check.
pub fn begin(client: &Client, data: &DataRoot, rec: &ContainerRecord) -> Result<()> {
    if config(rec).is_none() {
        return Ok(());
    }
    let dir = data.create_container_dir(client.namespace(), &rec.id)?;
    reset(&dir)?;
    spawn(client, data, &rec.id)
}

fn spawn(client: &Client, data: &DataRoot, id: &str) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new("/proc/self/exe");
    cmd.arg0("berth")
        .arg("--address")
        .arg(client.address())
        .arg("--namespace")
        .arg(client.namespace())
        .arg("--snapshotter")
        .arg(client.snapshotter())
        .arg("--data-root")
        .arg(data.root())
        .arg(VERB)
        .arg(id)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    crate::host::detach(&mut cmd);
    let child = cmd
        .spawn()
        .map_err(|e| Error::io("starting berth's health monitor", e))?;
    if crate::host::in_helper() {
        crate::host::outlive_helper(child.id());
    }
    Ok(())
}

/// Holds the container's monitor lock, or None when another monitor has
/// it (it follows the new task itself).
fn lock(dir: &Path) -> Result<Option<nix::fcntl::Flock<std::fs::File>>> {
    let path = dir.join("health.lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    // A monitor that is just ending lets go within moments.
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut f = f;
    loop {
        match nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusiveNonblock) {
            Ok(held) => return Ok(Some(held)),
            Err((back, _)) if Instant::now() < deadline => {
                f = back;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(_) => return Ok(None),
        }
    }
}

/// The monitor's life: every run of the container's task, until the
/// container's run ends for good.
pub async fn run(client: &Client, data: &DataRoot, id: &str) -> Result<()> {
    let dir = data.container_dir(client.namespace(), id)?;
    let Some(_held) = lock(&dir)? else {
        return Ok(());
    };
    let mut first = true;
    let waiting_since = Instant::now();
    loop {
        let Some(rec) = list::record(client, id).await? else {
            return Ok(());
        };
        let Some(cfg) = config(&rec).cloned() else {
            return Ok(());
        };
        match task::pid(client, id).await? {
            Some(pid) => {
                // A task the restart monitor started: `starting` again.
                let started = match (first, rec.started_at) {
                    (true, Some(t)) => t,
                    _ => {
                        reset(&dir)?;
                        SystemTime::now()
                    }
                };
                first = false;
                watch(client, &dir, &rec, &cfg, (pid, started)).await?;
            }
            // The start that spawned this monitor is still making its task,
            // or the restart monitor will start a new one.
            None if rec.restart_armed || (first && waiting_since.elapsed() < FIRST_TASK_WAIT) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            None => return Ok(()),
        }
    }
}

/// Whether the task that had `pid` still runs (paused: Some(false)); one
/// call to containerd.
async fn same_task(client: &Client, id: &str, pid: u32) -> Result<Option<bool>> {
    Ok(match task::status_and_pid(client, id).await? {
        Some((Status::Running, p)) if p == pid => Some(true),
        Some((Status::Paused | Status::Pausing, p)) if p == pid => Some(false),
        _ => None,
    })
}

/// Checks one run of the task (`pid`, started at `started`) until it ends.
async fn watch(
    client: &Client,
    dir: &Path,
    rec: &ContainerRecord,
    cfg: &HealthConfig,
    (pid, started): (u32, SystemTime),
) -> Result<()> {
    let timing = Timing::of(cfg);
    // `config` let only checks with a command through.
    let Some(cmd) = command(cfg) else {
        return Ok(());
    };
    let since = |at: SystemTime| at.duration_since(started).unwrap_or_default();
    loop {
        let status = load(dir).unwrap_or_default().status;
        tokio::time::sleep(timing.next_wait(since(SystemTime::now()), &status)).await;
        match same_task(client, &rec.id, pid).await? {
            None => return Ok(()),
            // docker's daemon stops watching a paused container: unhealthy
            // until a check says otherwise.
            Some(false) => {
                let mut h = load(dir).unwrap_or_default();
                if h.status != UNHEALTHY {
                    h.status = UNHEALTHY.to_string();
                    save(dir, &h)?;
                }
                continue;
            }
            Some(true) => {}
        }
        let at = SystemTime::now();
        let result = probe::run(client, rec, cmd.clone(), timing.timeout).await;
        // A check cut short by the container's end says nothing.
        if same_task(client, &rec.id, pid).await?.is_none() {
            return Ok(());
        }
        let mut h = load(dir).unwrap_or_default();
        let changed = record(&mut h, result, &timing, since(at));
        save(dir, &h)?;
        if let Some(status) = changed {
            let action = format!("health_status: {status}");
            super::super::events::publish_container(client, rec, &action, &[]).await;
        }
    }
}

//! Starting a container's task with nothing attached: its output goes to
//! the container's json log through berth's own binary, which containerd's
//! shim runs as the log driver and which outlives the berth that started it.
//! Where that binary does not exist on the host (berth in a container),
//! output falls back to a plain file the shim writes itself.

use std::path::{Path, PathBuf};

use containerd_client::types::Mount;
use containerd_client::types::v1::Status;

use super::{monitor, net, reap};
use crate::client::Client;
use crate::container::config::logging;
use crate::container::runtime::keeper;
use crate::container::runtime::task::{self, Stdio};
use crate::container::store::{self, labels, record::ContainerRecord};
use crate::error::{Error, ErrorKind, Result};
use crate::logs::{self, Driver, LogConfig};
use crate::snapshots;
use crate::state::DataRoot;
use crate::util;

/// The file a container's output goes to when berth's binary cannot be
/// the log driver: raw bytes, stdout and stderr together.
pub fn raw_log_name(id: &str) -> String {
    format!("{id}-raw.log")
}

/// How a detached start went.
#[derive(Debug, Default)]
pub struct Started {
    pub pid: u32,
    /// Said once on stderr: e.g. logs fell back to a raw file.
    pub warning: Option<String>,
    /// It was running already: nothing was done (docker's answer too).
    pub already_running: bool,
}

/// Starts `rec`'s task with its output going to its log. `rootfs`: the
/// snapshot's mounts when the caller has them (else one call gets them);
/// `start_recorded`: the record already carries this start's time (`run`).
pub async fn start(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    rootfs: Option<Vec<Mount>>,
    start_recorded: bool,
) -> Result<Started> {
    start_inner(client, data, rec, rootfs, (start_recorded, false)).await
}

/// Starts an interactive container for an attached run: its keeper holds
/// the output until the caller has joined it (nothing printed is missed).
/// `run` hands the new snapshot's mounts and recorded the start with the
/// creation; `start -a` does neither.
pub(super) async fn start_held(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    new_rootfs: Option<Vec<Mount>>,
) -> Result<Started> {
    let recorded = new_rootfs.is_some();
    start_inner(client, data, rec, new_rootfs, (recorded, true)).await
}

/// Whether an attached run of `rec` goes through a stdio keeper.
pub(super) fn keeps(rec: &ContainerRecord) -> bool {
    keeper_spec(rec, &LogConfig::default(), Path::new("/"), false).is_some()
}

async fn start_inner(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    rootfs: Option<Vec<Mount>>,
    (start_recorded, hold): (bool, bool),
) -> Result<Started> {
    match task::status(client, &rec.id).await? {
        Some(Status::Running | Status::Pausing) => {
            return Ok(Started {
                already_running: true,
                ..Default::default()
            });
        }
        Some(Status::Paused) => {
            return Err(Error::conflict(
                "cannot start a paused container, try unpause instead",
            ));
        }
        // A previous run's task: its exit is recorded as it goes.
        Some(_) => {
            reap::reap(client, &rec.id).await?;
        }
        None => {}
    }
    let rootfs = match rootfs {
        Some(r) => r,
        None => snapshots::mounts(client, &rec.snapshotter, &rec.snapshot_key).await?,
    };
    let log = log_config(rec);
    let dir = data.create_container_dir(client.namespace(), &rec.id)?;
    let mut fresh = false;
    let started = async {
        fresh = net::ensure_up(client, &dir, rec).await?;
        let (pid, warning, uri) =
            create_task(client, rec, rootfs, &log, (data, &dir, hold)).await?;
        let running = async {
            task::start(client, &rec.id).await?;
            // The start time, and the container handed to the restart
            // monitor (only now: it would otherwise start the task itself).
            let mut set = monitor::arm_labels(&monitor::policy(rec), uri.as_deref());
            if !start_recorded {
                set.insert(
                    labels::STARTED_AT.to_string(),
                    util::rfc3339_nanos(std::time::SystemTime::now()),
                );
            }
            let clear: &[&str] = if rec.start_error.is_some() {
                &[labels::START_ERROR]
            } else {
                &[]
            };
            if !set.is_empty() || !clear.is_empty() {
                store::update_labels(client, &rec.id, set, clear).await?;
            }
            Ok::<_, Error>(())
        }
        .await;
        if let Err(e) = running {
            let _ = task::delete(client, &rec.id).await;
            return Err(e);
        }
        Ok((pid, warning))
    }
    .await;
    let (created, warning) = match started {
        Ok(s) => s,
        Err(e) => {
            if fresh {
                net::undo_first_up(client, &dir, rec).await;
            }
            let e = net::explain_start_error(e, data, client.namespace(), &rec.id);
            record_start_error(client, &rec.id, &e).await;
            return Err(e);
        }
    };
    let warning = match super::health::monitor::begin(client, data, rec) {
        Ok(()) => warning,
        Err(e) => Some(format!("health checks will not run: {}", e.message())),
    };
    Ok(Started {
        pid: created,
        warning,
        already_running: false,
    })
}

/// A start that failed leaves the container created, with docker's
/// `State.Error` (best effort: the start's own error is what counts).
pub(super) async fn record_start_error(client: &Client, id: &str, e: &Error) {
    let text: String = e.message().chars().take(1024).collect();
    let set = std::collections::HashMap::from([(labels::START_ERROR.to_string(), text)]);
    if let Err(err) = store::set_labels(client, id, set).await {
        tracing::debug!("recording the start error of {id}: {}", err.message());
    }
}

/// How the container's output is kept (berth's logger, or none).
pub(super) fn log_config(rec: &ContainerRecord) -> LogConfig {
    rec.stored
        .as_ref()
        .map(|s| logging::runtime(&s.host_config.log_config))
        .unwrap_or_default()
}

/// Hands a container whose attached run just ended to the restart monitor
/// when its policy asks for a restart (docker restarts it after `run`
/// returned); its restarted tasks log through berth's binary.
pub async fn arm_after_exit(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    exit_code: u32,
) -> Result<()> {
    let policy = monitor::policy(rec);
    if !policy.restarts_after(exit_code, 0) {
        return Ok(());
    }
    let uri = restart_log_uri(client, data, rec)?;
    let set = monitor::arm_labels(&policy, uri.as_deref());
    store::update_labels(client, &rec.id, set, &[]).await
}

/// Where the monitor's restarted tasks write: berth's logger, as for a
/// detached start.
pub fn restart_log_uri(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
) -> Result<Option<String>> {
    let log = log_config(rec);
    Ok(match log.driver {
        Driver::None => None,
        Driver::JsonFile => {
            let dir = data.create_container_dir(client.namespace(), &rec.id)?;
            Some(logs::logger::uri(&berth_binary(data)?, &dir, &log))
        }
    })
}

/// The task's pid, a warning to show, and the log URI it was given.
type CreatedTask = (u32, Option<String>, Option<String>);

/// Creates the task with the log driver; falls back to a raw file when
/// the shim cannot run berth's binary.
async fn create_task(
    client: &Client,
    rec: &ContainerRecord,
    rootfs: Vec<Mount>,
    log: &LogConfig,
    (data, dir, hold): (&DataRoot, &Path, bool),
) -> Result<CreatedTask> {
    if let Some(spec) = keeper_spec(rec, log, dir, hold) {
        return create_kept(client, rec, rootfs, &spec, data).await;
    }
    if log.driver == Driver::None {
        let pid = task::create(client, &rec.id, rootfs, &Stdio::default(), rec.tty)
            .await
            .map_err(task::start_error)?;
        return Ok((pid, None, None));
    }
    let exe = berth_binary(data)?;
    let uri = logs::logger::uri(&exe, dir, log);
    let stdio = Stdio {
        stdin: String::new(),
        stdout: uri.clone(),
        stderr: uri.clone(),
    };
    match task::create(client, &rec.id, rootfs.clone(), &stdio, rec.tty).await {
        Ok(pid) => Ok((pid, None, Some(uri))),
        Err(s) if s.message().contains(&*exe.to_string_lossy()) => {
            let warning = raw_fallback_warning(&exe, rec.tty)?;
            let raw = format!("file://{}", dir.join(raw_log_name(&rec.id)).display());
            let stdio = Stdio {
                stdin: String::new(),
                stdout: raw.clone(),
                stderr: raw.clone(),
            };
            let pid = task::create(client, &rec.id, rootfs, &stdio, rec.tty)
                .await
                .map_err(task::start_error)?;
            Ok((pid, Some(warning), Some(raw)))
        }
        Err(s) => Err(task::start_error(s)),
    }
}

/// An interactive container (`-i` or `-t`) started from the host gets a
/// stdio keeper, so that `attach` can join it; berth in a container (its
/// helper) leaves output to the log driver as for any other.
fn keeper_spec(
    rec: &ContainerRecord,
    log: &LogConfig,
    dir: &Path,
    hold: bool,
) -> Option<keeper::Spec> {
    let config = &rec.stored.as_ref()?.config;
    if !(config.open_stdin || rec.tty) || crate::host::in_helper() {
        return None;
    }
    Some(keeper::Spec {
        dir: dir.to_path_buf(),
        id: rec.id.clone(),
        tty: rec.tty,
        stdin: config.open_stdin,
        stdin_once: config.stdin_once,
        hold,
        log: *log,
    })
}

/// Creates the task with its stdio kept by a keeper; the restart monitor
/// gets berth's logger (a restarted task has no keeper).
async fn create_kept(
    client: &Client,
    rec: &ContainerRecord,
    rootfs: Vec<Mount>,
    spec: &keeper::Spec,
    data: &DataRoot,
) -> Result<CreatedTask> {
    let exe = berth_binary(data)?;
    let kept = keeper::spawn(&exe, spec)?;
    match task::create(client, &rec.id, rootfs, &spec.stdio(), rec.tty).await {
        Ok(pid) => {
            let uri = (spec.log.driver == Driver::JsonFile)
                .then(|| logs::logger::uri(&exe, &spec.dir, &spec.log));
            Ok((pid, None, uri))
        }
        Err(s) => {
            kept.abandon();
            Err(task::start_error(s))
        }
    }
}

/// The shim cannot run berth's binary: berth runs in a container and its
/// path is not the host's.
fn raw_fallback_warning(exe: &Path, tty: bool) -> Result<String> {
    let shown = exe.display();
    if tty {
        // The shim takes a file:// URI for a FIFO when there is a terminal.
        return Err(Error::new(
            ErrorKind::Unavailable,
            format!("containerd's shim cannot run berth ({shown}) as the log driver: that path is not on the host"),
        )
        .hinted(format!(
            "when berth runs in a container, mount its binary at the same path on the host: -v {shown}:{shown}"
        )));
    }
    Ok(format!(
        "containerd's shim cannot run berth ({shown}) as the log driver, so this container's output \
         goes to a plain file (stdout and stderr together, no timestamps); mount berth's binary at \
         the same path on the host for docker's json-file logs"
    ))
}

/// berth's own binary, as the shim should run it (a host path).
fn berth_binary(data: &DataRoot) -> Result<PathBuf> {
    crate::host::host_binary(data)
}

//! Stopping and signalling a running container the way docker does: the
//! stop signal (the container's, the image's, or SIGTERM), a grace period
//! (the container's `--stop-timeout`, or 10 s), then SIGKILL; the stopped
//! task is reaped so no shim stays behind.

use std::time::Duration;

use containerd_client::types::v1::Status;

use super::{monitor, reap};
use crate::client::Client;
use crate::container::runtime::task;
use crate::container::signal;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, ErrorKind, Result};

/// docker's default grace period.
pub const DEFAULT_TIMEOUT: i64 = 10;

/// The container's own stop signal, else SIGTERM.
pub fn stop_signal(rec: &ContainerRecord) -> i32 {
    rec.stored
        .as_ref()
        .map(|s| s.config.stop_signal.as_str())
        .filter(|s| !s.is_empty())
        .and_then(|s| signal::parse(s).ok())
        .unwrap_or(libc::SIGTERM)
}

fn is_live(s: Option<Status>) -> bool {
    matches!(s, Some(Status::Running | Status::Paused | Status::Pausing))
}

/// Stops `rec`: `signal` (or its stop signal), then SIGKILL after
/// `timeout` seconds (or its own; negative: wait for ever). A container
/// that is not running is fine (its task, if any, is reaped).
pub async fn stop(
    client: &Client,
    rec: &ContainerRecord,
    signal: Option<i32>,
    timeout: Option<i64>,
) -> Result<()> {
    let id = &rec.id;
    // An explicit stop keeps it stopped, whatever its restart policy (also
    // one the monitor is about to restart).
    monitor::disarm(client, rec).await?;
    let status = task::status(client, id).await?;
    if !is_live(status) {
        if status.is_some() {
            reap::reap(client, id).await?;
        }
        return Ok(());
    }
    let timeout = timeout
        .or_else(|| rec.stored.as_ref().and_then(|s| s.config.stop_timeout))
        .unwrap_or(DEFAULT_TIMEOUT);
    let waiter = {
        let (c, id) = (client.clone(), id.clone());
        tokio::spawn(async move { task::wait(&c, &id).await })
    };
    let sig = signal.unwrap_or_else(|| stop_signal(rec));
    publish_container(client, rec, "kill", Some(sig)).await;
    let sent = task::kill(client, id, sig, false).await;
    // A paused container gets the signal once it runs again.
    if status == Some(Status::Paused) {
        let _ = task::resume(client, id).await;
    }
    let grace = match (&sent, timeout) {
        // Could not even signal it: give it 2 s, as docker does.
        (Err(_), _) => Some(Duration::from_secs(2)),
        (Ok(()), t) if t < 0 => None,
        (Ok(()), t) => Some(Duration::from_secs(t as u64)),
    };
    let mut waiter = waiter;
    let exited = match grace {
        None => true,
        Some(g) => tokio::time::timeout(g, &mut waiter).await.is_ok(),
    };
    if !exited {
        publish_container(client, rec, "kill", Some(libc::SIGKILL)).await;
        match task::kill(client, id, libc::SIGKILL, true).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e.context(format!("killing container {id}"))),
        }
        if tokio::time::timeout(Duration::from_secs(30), &mut waiter)
            .await
            .is_err()
        {
            return Err(Error::new(
                ErrorKind::Daemon,
                format!("container {id} did not exit within 30 s of SIGKILL"),
            ));
        }
    } else if grace.is_none() {
        let _ = waiter.await;
    }
    reap::reap(client, id).await?;
    publish_container(client, rec, "stop", None).await;
    Ok(())
}

/// `kill`/`stop` told to watchers (with the signal for `kill`).
async fn publish_container(
    client: &Client,
    rec: &ContainerRecord,
    action: &str,
    signal: Option<i32>,
) {
    let signal = signal.map(|s| s.to_string());
    let extra: Vec<(&str, &str)> = signal.iter().map(|s| ("signal", s.as_str())).collect();
    super::events::publish_container(client, rec, action, &extra).await;
}

/// Sends `signal` to the main process; docker's error when it is not running.
pub async fn kill(client: &Client, rec: &ContainerRecord, input: &str, signal: i32) -> Result<()> {
    // As docker: SIGKILL or the stop signal keep it stopped; others (HUP,
    // USR1, ...) leave the restart policy to act if it exits.
    let ends_it = signal == libc::SIGKILL || signal == stop_signal(rec);
    if !is_live(task::status(client, &rec.id).await?) {
        // Between two of the monitor's restarts docker counts it running:
        // the kill keeps it down.
        if rec.restart_armed {
            return if ends_it {
                monitor::disarm(client, rec).await
            } else {
                Ok(())
            };
        }
        return Err(Error::conflict(format!(
            "cannot kill container: {input}: container {} is not running",
            rec.id
        )));
    }
    if ends_it {
        monitor::disarm(client, rec).await?;
    }
    // Told before it is sent: the task's exit event must come after it.
    publish_container(client, rec, "kill", Some(signal)).await;
    match task::kill(client, &rec.id, signal, false).await {
        // It ended as the signal went out (docker does not mind either).
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Waits for the container to stop; its exit code (the recorded one when
/// it is not running, 0 for one that never ran).
pub async fn wait(client: &Client, rec: &ContainerRecord) -> Result<i64> {
    match task::status(client, &rec.id).await? {
        None => Ok(rec.exit_code.unwrap_or(0)),
        Some(_) => Ok(task::wait(client, &rec.id).await?.0 as i64),
    }
}

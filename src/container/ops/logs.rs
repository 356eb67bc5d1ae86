//! `logs`: a container's output from wherever it was kept (berth's json
//! log, the raw file of the fallback, or the CRI log of a Kubernetes
//! container), in a window, optionally followed until the container stops.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use containerd_client::types::v1::Status;

use super::start::raw_log_name;
use crate::client::Client;
use crate::container::runtime::task;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, ErrorKind, Result};
use crate::logs::read::{self, Window};
use crate::logs::{Entry, Stream, cri, json_log_name, jsonfile};
use crate::state::DataRoot;

/// Where a container's output was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Json(PathBuf),
    /// The fallback when the shim could not run berth: raw bytes.
    Raw(PathBuf),
    Cri(PathBuf),
}

pub fn source(data: &DataRoot, namespace: &str, rec: &ContainerRecord) -> Result<Source> {
    if let Some(p) = &rec.cri_log_path {
        return Ok(Source::Cri(p.clone()));
    }
    let dir = data.container_dir(namespace, &rec.id)?;
    if rec
        .stored
        .as_ref()
        .is_some_and(|s| s.host_config.log_config.kind == "none")
    {
        return Err(Error::invalid(
            "configured logging driver does not support reading",
        ));
    }
    let raw = dir.join(raw_log_name(&rec.id));
    if raw.exists() {
        return Ok(Source::Raw(raw));
    }
    Ok(Source::Json(dir.join(json_log_name(&rec.id))))
}

/// The raw file as one stdout stream, line by line.
fn raw_decode(line: &[u8]) -> Option<Entry> {
    let mut l = line.to_vec();
    l.push(b'\n');
    Some(Entry {
        stream: Stream::Stdout,
        time: SystemTime::UNIX_EPOCH,
        line: l,
    })
}

/// How long `logs -f` waits for a containerd that went away.
const DAEMON_GONE: std::time::Duration = std::time::Duration::from_secs(60);

/// Waits for the container's task to end, through containerd restarts
/// (the shim and its logger carry on without the daemon). False when the
/// daemon stayed away for [`DAEMON_GONE`].
async fn wait_through_restarts(client: &Client, id: &str) -> bool {
    let mut gone_since: Option<std::time::Instant> = None;
    loop {
        match task::wait(client, id).await {
            Ok(_) => return true,
            Err(e) if e.kind() == ErrorKind::NotFound => return true,
            Err(_) => {}
        }
        // The wait broke: is the task still there once the daemon answers?
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        match task::status(client, id).await {
            Ok(Some(Status::Running | Status::Paused | Status::Pausing | Status::Created)) => {
                gone_since = None
            }
            Ok(_) => return true,
            Err(_) => {
                let since = *gone_since.get_or_insert_with(std::time::Instant::now);
                if since.elapsed() >= DAEMON_GONE {
                    return false;
                }
            }
        }
    }
}

/// Writes the container's records in `window` to `sink`; with `follow`,
/// keeps going until the container stops.
pub async fn read(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    window: Window,
    follow: bool,
    mut sink: impl FnMut(&Entry) -> io::Result<()> + Send + 'static,
) -> Result<()> {
    let source = source(data, client.namespace(), rec)?;
    let stopped = Arc::new(AtomicBool::new(true));
    let lost = Arc::new(AtomicBool::new(false));
    if follow
        && matches!(
            task::status(client, &rec.id).await?,
            Some(Status::Running | Status::Paused | Status::Pausing | Status::Created)
        )
    {
        stopped.store(false, Ordering::SeqCst);
        let (c, id, flag) = (client.clone(), rec.id.clone(), stopped.clone());
        let lost_flag = lost.clone();
        tokio::spawn(async move {
            if !wait_through_restarts(&c, &id).await {
                lost_flag.store(true, Ordering::SeqCst);
            }
            flag.store(true, Ordering::SeqCst);
        });
    }
    let result = tokio::task::spawn_blocking(move || -> io::Result<()> {
        let (current, decode): (PathBuf, read::Decoder) = match &source {
            Source::Json(p) => (p.clone(), jsonfile::decode),
            Source::Raw(p) => (p.clone(), raw_decode),
            Source::Cri(p) => (p.clone(), cri::DECODER),
        };
        let pos = match &source {
            Source::Cri(p) => {
                cri::read(p, &window, &mut sink)?;
                None
            }
            Source::Json(p) => read::read(&jsonfile::files(p), decode, &window, &mut sink)?,
            Source::Raw(p) => read::read(std::slice::from_ref(p), decode, &window, &mut sink)?,
        };
        if follow {
            let start = match &source {
                // The CRI reader reads whole files: follow from their end.
                Source::Cri(p) => read::Position::end_of(p).ok(),
                _ => pos,
            };
            read::follow(&current, start, decode, &window, &stopped, &mut sink)?;
        }
        Ok(())
    })
    .await
    .map_err(|e| Error::io("reading logs", io::Error::other(e)))?;
    if lost.load(Ordering::SeqCst) {
        return Err(Error::new(
            ErrorKind::Unavailable,
            format!(
                "containerd stopped answering for {} s while following; stopped following (the container may still run)",
                DAEMON_GONE.as_secs()
            ),
        ));
    }
    match result {
        Ok(()) => Ok(()),
        // The reader went away (`| head`): not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("reading logs", e)),
    }
}

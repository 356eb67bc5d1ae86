//! `run`, composed from the lifecycle steps: create, start (attached or
//! not), then either remove (`--rm`) or record how it ended.

use std::time::SystemTime;

use tokio::sync::mpsc;

use super::{AttachIo, Control, Outcome};
use crate::client::Client;
use crate::container::model::CreateRequest;
use crate::error::{ErrorKind, Result};
use crate::image::ResolvedImage;
use crate::state::DataRoot;

/// How an attached run ended, plus a cleanup problem worth a warning (the
/// container's own exit code still stands).
pub struct Finished {
    pub outcome: Outcome,
    pub cleanup_warning: Option<String>,
    pub id: String,
}

/// A detached run: the new container's id, and how its start went (a
/// warning to show, or why it failed: docker prints the id either way).
pub struct Detached {
    pub id: String,
    pub started: Result<Option<String>>,
}

/// `run -d`: create, start with the output going to the log. A start that
/// fails leaves the container created (docker does too), except with `--rm`.
pub async fn run_detached(
    client: &Client,
    data: &DataRoot,
    image: &ResolvedImage,
    req: &CreateRequest,
) -> Result<Detached> {
    let created = super::create(client, data, image, req, Some(SystemTime::now())).await?;
    let started = super::start(
        client,
        data,
        &created.record,
        Some(created.rootfs.clone()),
        true,
    )
    .await;
    if started.is_err() && req.host_config.auto_remove {
        let _ = super::delete_record(client, data, &created.record).await;
    }
    Ok(Detached {
        id: created.record.id,
        started: started.map(|s| s.warning),
    })
}

pub async fn run_attached(
    client: &Client,
    data: &DataRoot,
    image: &ResolvedImage,
    req: &CreateRequest,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Finished> {
    let created = super::create(client, data, image, req, Some(SystemTime::now())).await?;
    let rm = req.host_config.auto_remove;
    let outcome = super::start_attached(client, data, &created, io, control, rm).await;
    if let Ok(o) = &outcome
        && o.detached
    {
        // It runs on; `--rm` is the caller's to arrange.
        return Ok(Finished {
            outcome: *o,
            cleanup_warning: None,
            id: created.record.id,
        });
    }
    let cleanup = match (&outcome, rm) {
        // The task is already gone: only the record, snapshot, files, name.
        (_, true) => super::delete_record(client, data, &created.record).await,
        (Ok(o), false) => super::after_attached_exit(client, data, &created.record, o).await,
        (Err(_), false) => Ok(()),
    };
    let outcome = outcome?;
    let cleanup_warning = match cleanup {
        Ok(()) => None,
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => Some(format!(
            "cleaning up container {}: {}",
            created.record.id,
            e.message()
        )),
    };
    Ok(Finished {
        outcome,
        cleanup_warning,
        id: created.record.id,
    })
}

//! `run` attached, composed from the lifecycle steps: create, start
//! attached, then either remove (`--rm`) or record how it ended.

use std::time::SystemTime;

use tokio::sync::mpsc;

use super::lifecycle::{self, AttachIo, Control, Outcome};
use super::options::ContainerOptions;
use crate::client::Client;
use crate::error::{ErrorKind, Result};
use crate::image::ResolvedImage;
use crate::state::DataRoot;

/// How an attached run ended, plus a cleanup problem worth a warning (the
/// container's own exit code still stands).
pub struct Finished {
    pub outcome: Outcome,
    pub cleanup_warning: Option<String>,
}

/// A detached run: the container's id and what to say about its start.
pub struct Detached {
    pub id: String,
    pub warning: Option<String>,
}

/// `run -d`: create, start with the output going to the log. A start that
/// fails leaves the container (docker does too), except with `--rm`.
pub async fn run_detached(
    client: &Client,
    data: &DataRoot,
    image: &ResolvedImage,
    opts: &ContainerOptions,
) -> Result<Detached> {
    let created = lifecycle::create(client, data, image, opts, Some(SystemTime::now())).await?;
    let started = lifecycle::start(
        client,
        data,
        &created.record,
        Some(created.rootfs.clone()),
        true,
    )
    .await;
    match started {
        Ok(s) => Ok(Detached {
            id: created.record.id,
            warning: s.warning,
        }),
        Err(e) => {
            if opts.rm {
                let _ = lifecycle::delete_record(client, data, &created.record).await;
            }
            Err(e)
        }
    }
}

pub async fn run_attached(
    client: &Client,
    data: &DataRoot,
    image: &ResolvedImage,
    opts: &ContainerOptions,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Finished> {
    let created = lifecycle::create(client, data, image, opts, Some(SystemTime::now())).await?;
    let outcome = lifecycle::start_attached(client, data, &created, io, control, opts.rm).await;
    let cleanup = match (&outcome, opts.rm) {
        // The task is already gone: only the record, snapshot, files, name.
        (_, true) => lifecycle::delete_record(client, data, &created.record).await,
        (Ok(o), false) => match lifecycle::record_exit(client, &created.record.id, o).await {
            Ok(()) => lifecycle::arm_after_exit(client, data, &created.record, o).await,
            e => e,
        },
        (Err(_), false) => Ok(()),
    };
    let outcome = outcome?;
    let cleanup_warning = match cleanup {
        Ok(()) => None,
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => {
            tracing::warn!("cleaning up container {}: {e}", created.record.id);
            Some(e.message().to_string())
        }
    };
    Ok(Finished {
        outcome,
        cleanup_warning,
    })
}

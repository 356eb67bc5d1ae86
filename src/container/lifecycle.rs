//! The container lifecycle as steps: create, start attached, record how it
//! ended, kill, remove. Every verb composes these (and only these) public
//! functions; cmd/ files never call containerd's container or task API.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use containerd_client::services::v1::{Container, DeleteContainerRequest, UpdateContainerRequest};
use containerd_client::types::v1::Status;
use tokio::sync::mpsc;

pub use super::attach::{AttachIo, Control, Outcome};
pub use super::create::Created;
use super::create::{self, Inputs};
use super::options::ContainerOptions;
use super::record::ContainerRecord;
use super::{attach, labels, names, task};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result, is_not_found};
use crate::image::ResolvedImage;
use crate::snapshots;
use crate::state::DataRoot;
use crate::util;

/// Creates a container from `image` with `opts`: its name, snapshot,
/// `/etc` files and record. `started` records a start time with the
/// record when the task is started right away (`run`).
pub async fn create(
    client: &Client,
    data: &DataRoot,
    image: &ResolvedImage,
    opts: &ContainerOptions,
    started: Option<SystemTime>,
) -> Result<Created> {
    create::create(
        client,
        &Inputs {
            image,
            opts,
            data,
            started,
        },
    )
    .await
}

/// Starts the container's task attached to `io` (stdin with `-i`), passes
/// `control` (signals, resizes) on, waits for the exit and deletes the
/// task, so no shim stays behind.
pub async fn start_attached(
    client: &Client,
    data: &DataRoot,
    created: &Created,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Outcome> {
    let id = &created.record.id;
    attach::run(
        client,
        id,
        created.rootfs.clone(),
        created.record.tty,
        io,
        control,
    )
    .await
    .map_err(|e| data.explain_unshared(e, client.namespace(), id))
}

/// Merges labels into a container record.
async fn set_labels(client: &Client, id: &str, set: HashMap<String, String>) -> Result<()> {
    let paths = set.keys().map(|k| format!("labels.{k}")).collect();
    client
        .containers()
        .update(UpdateContainerRequest {
            container: Some(Container {
                id: id.to_string(),
                labels: set,
                ..Default::default()
            }),
            update_mask: Some(prost_types::FieldMask { paths }),
        })
        .await?;
    Ok(())
}

/// Records how the last run ended, for `ps` once the task is gone.
pub async fn record_exit(client: &Client, id: &str, outcome: &Outcome) -> Result<()> {
    let finished = util::rfc3339_nanos(outcome.exited_at.unwrap_or_else(SystemTime::now));
    set_labels(
        client,
        id,
        HashMap::from([
            (labels::EXIT_CODE.to_string(), outcome.exit_code.to_string()),
            (labels::FINISHED_AT.to_string(), finished),
        ]),
    )
    .await
}

/// Sends `signal` to the container's main process (`all`: every process).
pub async fn kill(client: &Client, id: &str, signal: i32, all: bool) -> Result<()> {
    task::kill(client, id, signal, all).await
}

/// Removes a container: its task (a live one only with `force`, by
/// SIGKILL), its record and snapshot, its name and its files.
pub async fn remove(
    client: &Client,
    data: &DataRoot,
    c: &ContainerRecord,
    force: bool,
) -> Result<()> {
    match task::status(client, &c.id).await? {
        None => {}
        Some(Status::Stopped) => {
            task::delete(client, &c.id).await?;
        }
        Some(status) => {
            let live = matches!(status, Status::Running | Status::Paused | Status::Pausing);
            if live && !force {
                return Err(Error::conflict(format!(
                    "You cannot remove a running container {}. Stop the container before attempting removal or force remove",
                    c.id
                )));
            }
            kill_and_delete(client, &c.id).await?;
        }
    }
    delete_record(client, data, c).await
}

/// SIGKILLs every process of the task, waits for the exit, deletes it.
async fn kill_and_delete(client: &Client, id: &str) -> Result<()> {
    let waiter = {
        let (c, id) = (client.clone(), id.to_string());
        tokio::spawn(async move { task::wait(&c, &id).await })
    };
    match task::kill(client, id, libc::SIGKILL, true).await {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => tracing::debug!("kill {id}: {e}"),
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), waiter).await;
    task::delete(client, id).await?;
    Ok(())
}

/// Deletes the record, then its snapshot, its files and its name (the
/// task must be gone). Each part already gone is fine.
pub async fn delete_record(client: &Client, data: &DataRoot, c: &ContainerRecord) -> Result<()> {
    match client
        .containers()
        .delete(DeleteContainerRequest { id: c.id.clone() })
        .await
    {
        Ok(_) => {}
        Err(s) if is_not_found(&s) => {}
        Err(s) => return Err(s.into()),
    }
    if !c.snapshot_key.is_empty() {
        snapshots::remove_from(client, &c.snapshotter, &c.snapshot_key).await?;
    }
    data.remove_container_dir(client.namespace(), &c.id)?;
    if c.named_by_berth {
        names::release(client, &c.name).await?;
    }
    Ok(())
}

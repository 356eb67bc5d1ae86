//! The container operations every verb (and, next, the Engine API)
//! composes: create, start attached or not, record how it ended, stop,
//! kill, update, remove, exec, inspect, logs. Verbs call these and only
//! these; nothing above this layer calls containerd's container or task API.

mod changes;
mod commit;
mod connect;
mod cp;
mod create;
mod events;
mod exec;
mod export;
pub mod health;
mod images;
mod inspect;
mod join;
mod links;
mod logs;
mod monitor;
mod net;
mod prune;
mod reap;
mod run;
mod size;
mod start;
mod stats;
mod stop;
mod top;
mod update;
mod volumes;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use containerd_client::services::v1::DeleteContainerRequest;
use containerd_client::types::v1::Status;
use tokio::sync::mpsc;

pub use crate::container::runtime::attach::{AttachIo, Control, Outcome};
pub use crate::container::store::kube::Kube;
pub use crate::container::store::list::{
    ContainerRow, PruneFilters, PsFilters, State, list, records,
};
pub use crate::container::store::resolve::find;
pub use changes::{PathChange, diff};
pub use commit::{CommitOptions, commit};
pub use connect::{connect as network_connect, disconnect as network_disconnect};
pub use cp::{
    Copied, CopyOptions, InFrom, Local as CopyLocal, OutTo, Side as CopySide, copy_in, copy_out,
};
use create::Inputs;
pub use create::{Created, SPEC_TYPE_URL};
pub use events::Watcher;
pub use exec::exec;
pub use export::export;
pub use images::remove_images;
pub use inspect::document as inspect;
pub use join::{attach, attachable};
pub use links::unlink;
pub use logs::{Source as LogSource, read as read_logs, source as log_source};
pub use net::published;
pub use prune::{PruneReport, prune, written};
pub use run::{Detached, Finished, run_attached, run_detached};
pub use size::sizes;
pub use start::{Started, start};
pub use stats::{ONE_SHOT_WINDOW, Sampler, Stat};
pub use stop::{kill, stop, wait};
pub use top::{
    DEFAULT_ARGS as TOP_DEFAULT_ARGS, filter as top_filter, validate_args as top_validate_args,
};
pub use update::{Changes, update};
pub use volumes::users as volume_users;

use crate::client::Client;
use crate::container::model::{CreateRequest, RestartPolicy};
use crate::container::runtime::task::FifoPlace;
use crate::container::runtime::{attach, task};
use crate::container::store::{self, labels, names, record::ContainerRecord};
use crate::error::{Error, ErrorKind, Result, is_not_found};
use crate::image::ResolvedImage;
use crate::snapshots;
use crate::state::DataRoot;

/// Creates a container from `image` as `req` says: its name, snapshot,
/// `/etc` files and record. `started` records a start time with the
/// record when the task is started right away (`run`).
pub async fn create(
    client: &Client,
    data: &DataRoot,
    image: &ResolvedImage,
    req: &CreateRequest,
    started: Option<SystemTime>,
) -> Result<Created> {
    create::create(
        client,
        &Inputs {
            image,
            req,
            data,
            started,
        },
    )
    .await
}

/// Starts the container's task attached to `io` (stdin with `-i`), passes
/// `control` (signals, resizes) on, waits for the exit and deletes the
/// task, so no shim stays behind. `removing`: the container goes once it
/// exits (`--rm`), so its network comes down beside the task's deletion.
pub async fn start_attached(
    client: &Client,
    data: &DataRoot,
    created: &Created,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
    removing: bool,
) -> Result<Outcome> {
    let id = &created.record.id;
    if start::keeps(&created.record) {
        let rootfs = Some(created.rootfs.clone());
        return join::run_kept(client, data, &created.record, rootfs, io, control).await;
    }
    let dir = data.create_container_dir(client.namespace(), id)?;
    health::monitor::begin(client, data, &created.record)?;
    let mut fresh = false;
    let ran = async {
        fresh = net::ensure_up(client, &dir, &created.record).await?;
        let after_exit = match removing {
            true => Some(net::teardown_later(data, client.namespace(), id)?),
            false => None,
        };
        let launch = attach::Launch::Task {
            rootfs: created.rootfs.clone(),
            after_exit,
        };
        let log = json_log(data, client.namespace(), &created.record);
        let tty = created.record.tty;
        let attached = attach::Attached {
            proc: id.into(),
            launch,
            tty,
            fifos: &FifoPlace::Host,
        };
        attach::run(client, attached, io, control, log)
            .await
            .map_err(|e| net::explain_start_error(e, data, client.namespace(), id))
    }
    .await;
    // A container that stays (no --rm) says why it did not start.
    if let (Err(e), false) = (&ran, removing) {
        if fresh {
            net::undo_first_up(client, &dir, &created.record).await;
        }
        start::record_start_error(client, id, e).await;
    }
    ran
}

/// `start -a`: starts an existing container attached; its exit recorded.
pub async fn start_attached_existing(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Outcome> {
    match task::status(client, &rec.id).await? {
        // Running: joined as `attach` joins it (the status is known).
        Some(Status::Running | Status::Pausing) => {
            return join::join(client, data, rec, io, control, false).await;
        }
        Some(Status::Paused) => {
            return Err(Error::conflict(join::PAUSED));
        }
        Some(_) => {
            reap::reap(client, &rec.id).await?;
        }
        None => {}
    }
    if start::keeps(rec) {
        let outcome = join::run_kept(client, data, rec, None, io, control).await?;
        if !outcome.detached {
            start::arm_after_exit(client, data, rec, outcome.exit_code).await?;
        }
        return Ok(outcome);
    }
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    health::monitor::begin(client, data, rec)?;
    let mut fresh = false;
    let ran = async {
        let rootfs = snapshots::mounts(client, &rec.snapshotter, &rec.snapshot_key).await?;
        fresh = net::ensure_up(client, &dir, rec).await?;
        let log = json_log(data, client.namespace(), rec);
        let launch = attach::Launch::Task {
            rootfs,
            after_exit: None,
        };
        let attached = attach::Attached {
            proc: (&rec.id).into(),
            launch,
            tty: rec.tty,
            fifos: &FifoPlace::Host,
        };
        attach::run(client, attached, io, control, log)
            .await
            .map_err(|e| net::explain_start_error(e, data, client.namespace(), &rec.id))
    }
    .await;
    let outcome = match ran {
        Ok(o) => o,
        Err(e) => {
            if fresh {
                net::undo_first_up(client, &dir, rec).await;
            }
            start::record_start_error(client, &rec.id, &e).await;
            return Err(e);
        }
    };
    if !outcome.detached {
        after_attached_exit(client, data, rec, &outcome).await?;
    }
    Ok(outcome)
}

/// The container's json log, for the output of an attached run (none
/// when the container logs nowhere or its directory cannot be written).
fn json_log(data: &DataRoot, namespace: &str, rec: &ContainerRecord) -> attach::LogTee {
    rec.stored.as_ref()?;
    let cfg = start::log_config(rec);
    if cfg.driver == crate::logs::Driver::None {
        return None;
    }
    let dir = data.container_dir(namespace, &rec.id).ok()?;
    let path = dir.join(crate::logs::json_log_name(&rec.id));
    let writer = crate::logs::jsonfile::Writer::open(&path, cfg.max_size, cfg.max_file).ok()?;
    Some(std::sync::Arc::new(std::sync::Mutex::new(writer)))
}

/// Stops (if running; `signal` or its stop signal) and starts again.
pub async fn restart(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    signal: Option<i32>,
    timeout: Option<i64>,
) -> Result<Started> {
    stop(client, rec, signal, timeout).await?;
    start(client, data, rec, None, false).await
}

/// Freezes every process of a running container.
pub async fn pause(client: &Client, rec: &ContainerRecord) -> Result<()> {
    match task::status(client, &rec.id).await? {
        Some(Status::Running) => task::pause(client, &rec.id).await,
        Some(Status::Paused | Status::Pausing) => Err(Error::conflict(format!(
            "Container {} is already paused",
            rec.id
        ))),
        _ => Err(Error::conflict(format!(
            "Container {} is not running",
            rec.id
        ))),
    }
}

pub async fn unpause(client: &Client, rec: &ContainerRecord) -> Result<()> {
    match task::status(client, &rec.id).await? {
        Some(Status::Paused | Status::Pausing) => task::resume(client, &rec.id).await,
        _ => Err(Error::conflict(format!(
            "Container {} is not paused",
            rec.id
        ))),
    }
}

/// The host pids of a running container's processes.
pub async fn pids(client: &Client, rec: &ContainerRecord) -> Result<Vec<u32>> {
    match task::status(client, &rec.id).await? {
        Some(Status::Running | Status::Paused | Status::Pausing) => {
            task::pids(client, &rec.id).await
        }
        _ => Err(Error::conflict(format!(
            "container {} is not running",
            rec.id
        ))),
    }
}

/// Gives a berth container a new name (atomically taken, then the old one
/// freed).
pub async fn rename(client: &Client, rec: &ContainerRecord, new: &str) -> Result<()> {
    let new = names::validate(new)?;
    if rec.named_by_berth && rec.name == new {
        return Err(Error::invalid(
            "Renaming a container with the same name as its current name",
        ));
    }
    // (A claim abandoned mid-creation leaves at most an empty directory.)
    names::reserve(client, new, &rec.id).await?;
    let relabel = store::set_labels(
        client,
        &rec.id,
        HashMap::from([(labels::NAME.to_string(), new.to_string())]),
    )
    .await;
    if let Err(e) = relabel {
        let _ = names::release(client, new).await;
        return Err(e);
    }
    if rec.named_by_berth {
        names::release(client, &rec.name).await?;
    }
    let old = format!("/{}", rec.name);
    let extra = [("name", new), ("oldName", old.as_str())];
    events::publish_container(client, rec, "rename", &extra).await;
    Ok(())
}

/// `update --restart`'s value, checked as docker's daemon checks it.
pub fn parse_restart_policy(s: &str) -> Result<RestartPolicy> {
    crate::container::config::restart::parse(s)
}

/// Releases the names (and snapshots) of creations that never finished
/// (berth killed while creating), with their files; how many.
pub async fn sweep_abandoned(client: &Client, data: &DataRoot) -> Result<usize> {
    let ids = names::sweep_abandoned(client).await?;
    for id in &ids {
        net::remove_dir(data, client.namespace(), id).await?;
    }
    Ok(ids.len())
}

/// `run -d --rm`: waits for the container's task to end, then removes it.
pub async fn remove_when_exited(client: &Client, data: &DataRoot, id: &str) -> Result<()> {
    loop {
        match task::wait(client, id).await {
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::NotFound => break,
            // containerd restarting: try again.
            Err(e) if e.kind() == ErrorKind::Unavailable => {
                tokio::time::sleep(Duration::from_secs(1)).await
            }
            Err(e) => return Err(e),
        }
    }
    let records = store::list::records(client).await?;
    match records.iter().find(|r| r.id == id) {
        Some(rec) => remove(client, data, rec, false, false).await,
        None => Ok(()),
    }
}

/// After an attached run: how it ended recorded (for `ps` once the task
/// is gone), then the restart policy takes over.
async fn after_attached_exit(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    outcome: &Outcome,
) -> Result<()> {
    reap::record(client, &rec.id, outcome.exit_code, outcome.exited_at).await?;
    start::arm_after_exit(client, data, rec, outcome.exit_code).await
}

/// Removes a container: its task (a live one only with `force`, by
/// SIGKILL), its record and snapshot, its name and its files.
pub async fn remove(
    client: &Client,
    data: &DataRoot,
    c: &ContainerRecord,
    force: bool,
    volumes: bool,
) -> Result<()> {
    let status = task::status(client, &c.id).await?;
    if force && status.is_some() {
        // Else the monitor could start a task between the kill and the delete.
        monitor::disarm(client, c).await?;
    }
    match status {
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
    delete_record(client, data, c).await?;
    // With --rm, delete_record took them already.
    if volumes && !auto_remove(c) {
        volumes::remove_anonymous(client, data, c).await?;
    }
    Ok(())
}

fn auto_remove(c: &ContainerRecord) -> bool {
    c.stored.as_ref().is_some_and(|s| s.host_config.auto_remove)
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

/// Takes down the container's network and files, then deletes the
/// record, its snapshot and its name (the task must be gone). Each part
/// already gone is fine.
pub async fn delete_record(client: &Client, data: &DataRoot, c: &ContainerRecord) -> Result<()> {
    // Files and network first: once the record is gone, so is all of it.
    net::remove_dir(data, client.namespace(), &c.id).await?;
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
    if c.named_by_berth {
        names::release(client, &c.name).await?;
    }
    // docker: a container removed by --rm takes its anonymous volumes along.
    if auto_remove(c) {
        volumes::remove_anonymous(client, data, c).await?;
    }
    Ok(())
}

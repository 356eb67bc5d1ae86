//! Empties a test namespace and deletes it, through berth's own client:
//! tasks, containers, images, leases, ingests and blobs, then a synchronous
//! garbage collection takes every snapshot, and only then the namespace.
//! Every step is bounded in time; a failure names what is left.
//!
//! Snapshots are not removed one by one first: containerd's collector
//! deletes a snapshot without unlinking it from its parent, so removing a
//! chain top-down races with any collection (another test's lease going
//! is enough) that takes a middle snapshot the moment the one above it is
//! gone; the parent then refuses removal forever ("cannot remove snapshot
//! with child") while still referenced. A collection after every reference
//! is gone takes whole chains at once and has no such window.

use std::time::{Duration, Instant};

use berth::Client;
use containerd_client::services::v1::snapshots::{Info as SnapshotInfo, ListSnapshotsRequest};
use containerd_client::services::v1::{
    AbortRequest, CreateRequest, DeleteContainerRequest, DeleteContentRequest, DeleteImageRequest,
    DeleteNamespaceRequest, DeleteRequest, DeleteTaskRequest, KillRequest, ListContainersRequest,
    ListContentRequest, ListImagesRequest, ListRequest, ListStatusesRequest, ListTasksRequest,
    WaitRequest,
};
use futures::StreamExt;
use tonic::Code;

const SNAPSHOTTER: &str = "overlayfs";
/// The whole purge, tasks included, must finish within this.
const DEADLINE: Duration = Duration::from_secs(60);

type Res<T> = Result<T, String>;

fn status(what: &str) -> impl Fn(tonic::Status) -> String + '_ {
    move |s| format!("{what}: {} ({:?})", s.message(), s.code())
}

/// The namespace's parent cgroups (`/<ns>` under each controller, or on
/// cgroup v2 the one tree), which runc leaves when its containers go;
/// removing an empty cgroup is an rmdir (one still in use stays).
pub fn remove_cgroups(ns: &str) {
    let root = std::path::Path::new("/sys/fs/cgroup");
    let _ = std::fs::remove_dir(root.join(ns));
    for ctl in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let _ = std::fs::remove_dir(ctl.path().join(ns));
    }
}

/// Takes down the networks of the namespace's containers (CNI DEL, their
/// network namespaces, port reservations) and a shareable container's
/// /dev/shm mount, as `rm` would: the purge below deletes records through
/// the API, which knows nothing of them.
pub fn teardown_networks(data_root: &std::path::Path, ns: &str) -> Res<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut failed = Vec::new();
    let dirs = std::fs::read_dir(data_root.join(ns).join("containers"));
    for entry in dirs.into_iter().flatten().flatten() {
        let id = entry.file_name().to_string_lossy().into_owned();
        let _ = nix::mount::umount2(&entry.path().join("shm"), nix::mount::MntFlags::MNT_DETACH);
        if let Err(e) = rt.block_on(berth::network::attach::teardown(&entry.path(), &id)) {
            failed.push(format!("{id}: {}", e.message()));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("network teardown: {}", failed.join("; ")))
    }
}

pub fn purge_namespace(address: &str, ns: &str) -> Res<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let deadline = Instant::now() + DEADLINE;
        match tokio::time::timeout(DEADLINE, purge(address, ns, deadline)).await {
            Ok(r) => r,
            Err(_) => Err(format!("purge took longer than {DEADLINE:?}")),
        }
    })
}

async fn purge(address: &str, ns: &str, deadline: Instant) -> Res<()> {
    let c = Client::connect(address.as_ref(), ns, SNAPSHOTTER)
        .await
        .map_err(|e| e.to_string())?;
    // A test that created nothing never made the namespace.
    let names = berth::info::namespace_names(&c)
        .await
        .map_err(|e| e.to_string())?;
    if !names.iter().any(|n| n == ns) {
        return Ok(());
    }
    stop_tasks(&c).await?;
    for ct in c
        .containers()
        .list(ListContainersRequest::default())
        .await
        .map_err(status("listing containers"))?
        .into_inner()
        .containers
    {
        ignore_not_found(
            c.containers()
                .delete(DeleteContainerRequest { id: ct.id.clone() })
                .await,
        )
        .map_err(status(&format!("deleting container {}", ct.id)))?;
    }
    for img in c
        .images()
        .list(ListImagesRequest::default())
        .await
        .map_err(status("listing images"))?
        .into_inner()
        .images
    {
        ignore_not_found(
            c.images()
                .delete(DeleteImageRequest {
                    name: img.name.clone(),
                    sync: false,
                    target: None,
                })
                .await,
        )
        .map_err(status(&format!("deleting image {}", img.name)))?;
    }
    for l in c
        .leases()
        .list(ListRequest::default())
        .await
        .map_err(status("listing leases"))?
        .into_inner()
        .leases
    {
        ignore_not_found(
            c.leases()
                .delete(DeleteRequest {
                    id: l.id.clone(),
                    sync: false,
                })
                .await,
        )
        .map_err(status(&format!("deleting lease {}", l.id)))?;
    }
    for st in ingests(&c).await? {
        ignore_not_found(c.content().abort(AbortRequest { r#ref: st.clone() }).await)
            .map_err(status(&format!("aborting ingest {st}")))?;
    }
    for d in blobs(&c).await? {
        ignore_not_found(
            c.content()
                .delete(DeleteContentRequest { digest: d.clone() })
                .await,
        )
        .map_err(status(&format!("deleting blob {d}")))?;
    }
    collect_snapshots(&c, deadline).await?;
    delete_namespace(&c, ns, deadline).await
}

fn ignore_not_found<T>(r: Result<T, tonic::Status>) -> Result<(), tonic::Status> {
    match r {
        Ok(_) => Ok(()),
        Err(s) if s.code() == Code::NotFound => Ok(()),
        Err(s) => Err(s),
    }
}

/// SIGKILLs every task, waits for each to exit, deletes it.
async fn stop_tasks(c: &Client) -> Res<()> {
    let tasks = c
        .tasks()
        .list(ListTasksRequest::default())
        .await
        .map_err(status("listing tasks"))?
        .into_inner()
        .tasks;
    for t in tasks {
        let id = if t.container_id.is_empty() {
            t.id.clone()
        } else {
            t.container_id.clone()
        };
        let waiter = {
            let (c, id) = (c.clone(), id.clone());
            tokio::spawn(async move {
                c.tasks()
                    .wait(WaitRequest {
                        container_id: id,
                        exec_id: String::new(),
                    })
                    .await
            })
        };
        let _ = c
            .tasks()
            .kill(KillRequest {
                container_id: id.clone(),
                signal: 9,
                all: true,
                ..Default::default()
            })
            .await;
        if tokio::time::timeout(Duration::from_secs(10), waiter)
            .await
            .is_err()
        {
            return Err(format!("task {id} did not exit within 10 s of SIGKILL"));
        }
        ignore_not_found(
            c.tasks()
                .delete(DeleteTaskRequest {
                    container_id: id.clone(),
                })
                .await,
        )
        .map_err(status(&format!("deleting task {id}")))?;
    }
    Ok(())
}

async fn snapshots(c: &Client) -> Res<Vec<SnapshotInfo>> {
    let mut stream = c
        .snapshots()
        .list(ListSnapshotsRequest {
            snapshotter: SNAPSHOTTER.into(),
            filters: vec![],
        })
        .await
        .map_err(status("listing snapshots"))?
        .into_inner();
    let mut out = Vec::new();
    while let Some(r) = stream.next().await {
        out.extend(r.map_err(status("listing snapshots"))?.info);
    }
    Ok(out)
}

/// Runs containerd's garbage collection and waits for it: a lease deleted
/// with `sync` returns once the collection it triggers is done.
async fn collect_garbage(c: &Client) -> Res<()> {
    let id = format!("berth-test-gc-{}", berth::util::random_token());
    c.leases()
        .create(CreateRequest {
            id: id.clone(),
            labels: Default::default(),
        })
        .await
        .map_err(status("creating a lease"))?;
    c.leases()
        .delete(DeleteRequest { id, sync: true })
        .await
        .map_err(status("collecting garbage"))?;
    Ok(())
}

/// With nothing referencing them any more, the collector takes every
/// snapshot; one still there (a collection running meanwhile skipped it)
/// gets another collection, until the deadline.
async fn collect_snapshots(c: &Client, deadline: Instant) -> Res<()> {
    loop {
        collect_garbage(c).await?;
        let left = snapshots(c).await?;
        if left.is_empty() {
            return Ok(());
        }
        if Instant::now() > deadline {
            let names: Vec<String> = left
                .iter()
                .map(|i| format!("{} (parent {:?})", i.name, i.parent))
                .collect();
            return Err(format!(
                "snapshots survived garbage collection: {}",
                names.join(", ")
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn ingests(c: &Client) -> Res<Vec<String>> {
    Ok(c.content()
        .list_statuses(ListStatusesRequest::default())
        .await
        .map_err(status("listing ingests"))?
        .into_inner()
        .statuses
        .into_iter()
        .map(|s| s.r#ref)
        .collect())
}

async fn blobs(c: &Client) -> Res<Vec<String>> {
    let mut stream = c
        .content()
        .list(ListContentRequest::default())
        .await
        .map_err(status("listing content"))?
        .into_inner();
    let mut out = Vec::new();
    while let Some(r) = stream.next().await {
        out.extend(
            r.map_err(status("listing content"))?
                .info
                .into_iter()
                .map(|i| i.digest),
        );
    }
    Ok(out)
}

/// Deletes the namespace; containerd refuses while anything is left, so a
/// refusal is retried until the deadline and then reported with an inventory.
async fn delete_namespace(c: &Client, ns: &str, deadline: Instant) -> Res<()> {
    loop {
        let r = c
            .namespaces()
            .delete(DeleteNamespaceRequest {
                name: ns.to_string(),
            })
            .await;
        match ignore_not_found(r) {
            Ok(()) => return Ok(()),
            Err(s) if s.code() == Code::FailedPrecondition && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(s) => {
                return Err(format!(
                    "deleting namespace {ns}: {}; left: {}",
                    s.message(),
                    inventory(c).await
                ));
            }
        }
    }
}

async fn inventory(c: &Client) -> String {
    let containers = c
        .containers()
        .list(ListContainersRequest::default())
        .await
        .map(|r| r.into_inner().containers.len());
    let images = c
        .images()
        .list(ListImagesRequest::default())
        .await
        .map(|r| r.into_inner().images.len());
    let leases = c
        .leases()
        .list(ListRequest::default())
        .await
        .map(|r| r.into_inner().leases.len());
    let snaps = snapshots(c).await.map(|s| {
        s.iter()
            .map(|i| format!("{} (parent {:?})", i.name, i.parent))
            .collect::<Vec<_>>()
    });
    format!(
        "containers {containers:?}, images {images:?}, leases {leases:?}, ingests {:?}, blobs {:?}, snapshots {snaps:?}",
        ingests(c).await.map(|v| v.len()),
        blobs(c).await.map(|v| v.len()),
    )
}

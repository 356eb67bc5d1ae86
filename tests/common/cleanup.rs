//! Empties a test namespace (tasks, containers, images, leases, content,
//! ingests, snapshots) and deletes it, through berth's own client.

use containerd_client::services::v1::snapshots::{ListSnapshotsRequest, RemoveSnapshotRequest};
use containerd_client::services::v1::{
    AbortRequest, DeleteContainerRequest, DeleteContentRequest, DeleteImageRequest,
    DeleteNamespaceRequest, DeleteRequest, DeleteTaskRequest, KillRequest, ListContainersRequest,
    ListContentRequest, ListImagesRequest, ListRequest, ListStatusesRequest, ListTasksRequest,
    WaitRequest,
};
use futures::StreamExt;

pub fn purge_namespace(address: &str, ns: &str) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    // containerd's garbage collector may still be removing what the purge
    // released; a second pass then finds the namespace empty.
    let mut last = String::new();
    for attempt in 0..5 {
        match rt.block_on(purge(address, ns)) {
            Ok(()) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
        std::thread::sleep(std::time::Duration::from_millis(200 * (attempt + 1)));
    }
    Err(last)
}

async fn purge(address: &str, ns: &str) -> berth::Result<()> {
    let c = berth::Client::connect(address.as_ref(), ns, "overlayfs").await?;
    // A test that created nothing never made the namespace.
    let names = berth::info::namespace_names(&c).await?;
    if !names.iter().any(|n| n == ns) {
        return Ok(());
    }
    for t in c
        .tasks()
        .list(ListTasksRequest::default())
        .await?
        .into_inner()
        .tasks
    {
        let id = t.container_id.clone();
        let _ = c
            .tasks()
            .kill(KillRequest {
                container_id: id.clone(),
                signal: 9,
                all: true,
                ..Default::default()
            })
            .await;
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            c.tasks().wait(WaitRequest {
                container_id: id.clone(),
                exec_id: String::new(),
            }),
        )
        .await;
        let _ = c
            .tasks()
            .delete(DeleteTaskRequest { container_id: id })
            .await;
    }
    for ct in c
        .containers()
        .list(ListContainersRequest::default())
        .await?
        .into_inner()
        .containers
    {
        c.containers()
            .delete(DeleteContainerRequest { id: ct.id })
            .await?;
    }
    for img in c
        .images()
        .list(ListImagesRequest::default())
        .await?
        .into_inner()
        .images
    {
        c.images()
            .delete(DeleteImageRequest {
                name: img.name,
                sync: false,
                target: None,
            })
            .await?;
    }
    for l in c
        .leases()
        .list(ListRequest::default())
        .await?
        .into_inner()
        .leases
    {
        c.leases()
            .delete(DeleteRequest {
                id: l.id,
                sync: false,
            })
            .await?;
    }
    for st in c
        .content()
        .list_statuses(ListStatusesRequest::default())
        .await?
        .into_inner()
        .statuses
    {
        let _ = c.content().abort(AbortRequest { r#ref: st.r#ref }).await;
    }
    let mut blobs = c
        .content()
        .list(ListContentRequest::default())
        .await?
        .into_inner();
    let mut digests = Vec::new();
    while let Some(r) = blobs.next().await {
        digests.extend(r?.info.into_iter().map(|i| i.digest));
    }
    for d in digests {
        let _ = c.content().delete(DeleteContentRequest { digest: d }).await;
    }
    // Children before parents: repeat until nothing is left.
    let mut last_error = String::new();
    for _ in 0..20 {
        let mut stream = c
            .snapshots()
            .list(ListSnapshotsRequest {
                snapshotter: "overlayfs".into(),
                filters: vec![],
            })
            .await?
            .into_inner();
        let mut keys = Vec::new();
        while let Some(r) = stream.next().await {
            keys.extend(r?.info.into_iter().map(|i| i.name));
        }
        if keys.is_empty() {
            break;
        }
        for k in keys {
            if let Err(e) = c
                .snapshots()
                .remove(RemoveSnapshotRequest {
                    snapshotter: "overlayfs".into(),
                    key: k.clone(),
                })
                .await
            {
                last_error = format!("removing snapshot {k}: {}", e.message());
            }
        }
    }
    c.namespaces()
        .delete(DeleteNamespaceRequest {
            name: ns.to_string(),
        })
        .await
        .map_err(|s| {
            berth::Error::from(s).context(format!("last snapshot error: {last_error:?}"))
        })?;
    Ok(())
}

//! The snapshot calls berth makes, in one place: prepare, commit, remove,
//! exists, each on the client's snapshotter.

use std::collections::HashMap;

use containerd_client::services::v1::snapshots::{
    CommitSnapshotRequest, MountsRequest, PrepareSnapshotRequest, RemoveSnapshotRequest,
    StatSnapshotRequest, UsageRequest, ViewSnapshotRequest,
};
use containerd_client::types::Mount;

use crate::client::Client;
use crate::error::{Result, is_not_found};

/// An active snapshot `key` on `parent` ("" for none); its mounts.
pub async fn prepare(client: &Client, key: &str, parent: &str) -> Result<Vec<Mount>> {
    Ok(client
        .snapshots()
        .prepare(PrepareSnapshotRequest {
            snapshotter: client.snapshotter().to_string(),
            key: key.to_string(),
            parent: parent.to_string(),
            labels: HashMap::new(),
        })
        .await?
        .into_inner()
        .mounts)
}

/// Commits active snapshot `key` as `name`.
pub async fn commit(
    client: &Client,
    key: &str,
    name: &str,
) -> std::result::Result<(), tonic::Status> {
    client
        .snapshots()
        .commit(CommitSnapshotRequest {
            snapshotter: client.snapshotter().to_string(),
            name: name.to_string(),
            key: key.to_string(),
            labels: HashMap::new(),
        })
        .await
        .map(drop)
}

/// Removes a snapshot of `snapshotter` (the client's when empty); one
/// already gone is fine.
pub async fn remove_from(client: &Client, snapshotter: &str, key: &str) -> Result<()> {
    let snapshotter = if snapshotter.is_empty() {
        client.snapshotter()
    } else {
        snapshotter
    };
    match client
        .snapshots()
        .remove(RemoveSnapshotRequest {
            snapshotter: snapshotter.to_string(),
            key: key.to_string(),
        })
        .await
    {
        Ok(_) => Ok(()),
        Err(s) if is_not_found(&s) => Ok(()),
        Err(s) => Err(s.into()),
    }
}

/// Best-effort removal on a failure path (the lease still protects
/// nothing else and the collector takes what is left).
pub async fn discard(client: &Client, key: &str) {
    if let Err(e) = remove_from(client, "", key).await {
        tracing::debug!("removing snapshot {key}: {e}");
    }
}

/// How to mount snapshot `key` of `snapshotter` (the client's when empty).
pub async fn mounts(client: &Client, snapshotter: &str, key: &str) -> Result<Vec<Mount>> {
    let snapshotter = if snapshotter.is_empty() {
        client.snapshotter()
    } else {
        snapshotter
    };
    Ok(client
        .snapshots()
        .mounts(MountsRequest {
            snapshotter: snapshotter.to_string(),
            key: key.to_string(),
        })
        .await?
        .into_inner()
        .mounts)
}

/// Bytes a snapshot uses on disk (its own layer only).
pub async fn usage(client: &Client, snapshotter: &str, key: &str) -> Result<i64> {
    let snapshotter = if snapshotter.is_empty() {
        client.snapshotter()
    } else {
        snapshotter
    };
    Ok(client
        .snapshots()
        .usage(UsageRequest {
            snapshotter: snapshotter.to_string(),
            key: key.to_string(),
        })
        .await?
        .into_inner()
        .size)
}

pub async fn exists(client: &Client, key: &str) -> Result<bool> {
    match client
        .snapshots()
        .stat(StatSnapshotRequest {
            snapshotter: client.snapshotter().to_string(),
            key: key.to_string(),
        })
        .await
    {
        Ok(_) => Ok(true),
        Err(s) if is_not_found(&s) => Ok(false),
        Err(s) => Err(s.into()),
    }
}

fn snapshotter_or_default<'a>(client: &'a Client, snapshotter: &'a str) -> &'a str {
    if snapshotter.is_empty() {
        client.snapshotter()
    } else {
        snapshotter
    }
}

/// The snapshot `key` is based on ("" for none).
pub async fn parent(client: &Client, snapshotter: &str, key: &str) -> Result<String> {
    let info = client
        .snapshots()
        .stat(StatSnapshotRequest {
            snapshotter: snapshotter_or_default(client, snapshotter).to_string(),
            key: key.to_string(),
        })
        .await?
        .into_inner()
        .info;
    Ok(info.map(|i| i.parent).unwrap_or_default())
}

/// A read-only view `key` of the committed snapshot `parent`; its mounts
/// (an empty list for no parent). The caller removes it (`remove_from`).
pub async fn view(
    client: &Client,
    snapshotter: &str,
    key: &str,
    parent: &str,
) -> Result<Vec<Mount>> {
    Ok(client
        .snapshots()
        .view(ViewSnapshotRequest {
            snapshotter: snapshotter_or_default(client, snapshotter).to_string(),
            key: key.to_string(),
            parent: parent.to_string(),
            labels: HashMap::new(),
        })
        .await?
        .into_inner()
        .mounts)
}

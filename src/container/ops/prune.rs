//! `container prune`: every stopped container the filters keep, removed,
//! and what that freed as docker counts it (`SizeRw`: the bytes of the
//! files the container wrote, not the blocks its layer holds).

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::client::Client;
use crate::container::store::list::{self, PruneFilters};
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, Result};
use crate::snapshots;
use crate::state::DataRoot;

/// What a prune did.
#[derive(Debug, Default)]
pub struct PruneReport {
    /// The removed containers' ids, in listing order.
    pub deleted: Vec<String>,
    /// Bytes of what they wrote.
    pub reclaimed: u64,
    /// Containers that could not be removed, and why (docker goes on).
    pub failed: Vec<Error>,
}

pub async fn prune(
    client: &Client,
    data: &DataRoot,
    filters: &PruneFilters,
) -> Result<PruneReport> {
    // Creations killed half-way hold a name and a snapshot but have no
    // container to list: cleared with the stopped containers.
    super::sweep_abandoned(client, data).await?;
    let mut report = PruneReport::default();
    for row in list::list(client).await? {
        if row.state.is_running() || !filters.keep(&row.record) {
            continue;
        }
        let size = written(client, &row.record).await;
        match super::remove(client, data, &row.record, false, false).await {
            Ok(()) => {
                report.deleted.push(row.record.id.clone());
                report.reclaimed += size;
            }
            Err(e) => report.failed.push(e),
        }
    }
    let reclaimed = report.reclaimed.to_string();
    crate::events::publish(
        client,
        "container",
        "prune",
        "",
        &[("reclaimed", &reclaimed)],
    )
    .await;
    Ok(report)
}

/// docker's `SizeRw`: the sizes of the regular files in the container's
/// writable layer, read where berth can see it; containerd's usage of the
/// snapshot otherwise.
/// docker's `SizeRw`: the bytes of the files the container wrote.
pub async fn written(client: &Client, rec: &ContainerRecord) -> u64 {
    let mounts = snapshots::mounts(client, &rec.snapshotter, &rec.snapshot_key).await;
    let upper = mounts.ok().and_then(|m| {
        m.iter().find_map(|m| {
            m.options
                .iter()
                .find_map(|o| o.strip_prefix("upperdir="))
                .map(std::path::PathBuf::from)
        })
    });
    match upper {
        Some(dir) if dir.is_dir() => files_size(&dir, &mut HashSet::new()),
        _ => snapshots::usage(client, &rec.snapshotter, &rec.snapshot_key)
            .await
            .map(|n| n.max(0) as u64)
            .unwrap_or(0),
    }
}

/// The bytes of the regular files under `dir` (a hard link counted once).
fn files_size(dir: &Path, seen: &mut HashSet<(u64, u64)>) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut total = 0;
    for e in entries.flatten() {
        let Ok(md) = e.path().symlink_metadata() else {
            continue;
        };
        if md.is_dir() {
            total += files_size(&e.path(), seen);
        } else if md.is_file() && seen.insert((md.dev(), md.ino())) {
            total += md.len();
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_file_bytes_not_blocks() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("a/b")).unwrap();
        std::fs::write(d.path().join("a/b/f"), vec![0u8; 100]).unwrap();
        std::fs::write(d.path().join("g"), b"xyz").unwrap();
        std::fs::hard_link(d.path().join("g"), d.path().join("a/g2")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", d.path().join("l")).unwrap();
        assert_eq!(files_size(d.path(), &mut HashSet::new()), 103);
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(files_size(empty.path(), &mut HashSet::new()), 0);
    }
}

//! A container's changes to its image: containerd's differ compares a
//! read-only view of the image's snapshot with the container's, and
//! writes the difference as a layer (whiteouts for deletions) into the
//! content store. `diff` reads that layer; `commit` makes it an image's.

use std::io::Write;

use containerd_client::services::v1::DiffRequest;
use containerd_client::types::Mount;
use futures::StreamExt;

use crate::client::Client;
use crate::container::store::record::ContainerRecord;
use crate::copy::Root;
use crate::error::{Error, ErrorKind, Result};
use crate::lease::Lease;
use crate::mount;
use crate::snapshots;
use crate::state::DataRoot;

pub(super) const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub(super) const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// The layer the differ wrote (in the lease's keeping).
pub(super) struct Layer {
    pub digest: String,
    pub size: i64,
}

/// The view of the image's snapshot a diff compares against; removed by
/// `close`.
pub(super) struct View {
    key: String,
    snapshotter: String,
    pub mounts: Vec<Mount>,
}

impl View {
    pub async fn open(client: &Client, rec: &ContainerRecord) -> Result<View> {
        if rec.snapshot_key.is_empty() {
            return Err(Error::invalid(format!(
                "container {} has no filesystem",
                rec.id
            )));
        }
        let parent = snapshots::parent(client, &rec.snapshotter, &rec.snapshot_key).await?;
        let key = format!("berth-diff-{}-{}", rec.id, crate::util::random_token());
        let mounts = match parent.is_empty() {
            true => Vec::new(),
            false => snapshots::view(client, &rec.snapshotter, &key, &parent).await?,
        };
        Ok(View {
            key,
            snapshotter: rec.snapshotter.clone(),
            mounts,
        })
    }

    pub async fn close(self, client: &Client) -> Result<()> {
        if self.mounts.is_empty() {
            return Ok(());
        }
        snapshots::remove_from(client, &self.snapshotter, &self.key).await
    }
}

/// The container's changes against `view` as a layer of `media_type`,
/// written through `lease`.
pub(super) async fn layer(
    lease: &Lease,
    rec: &ContainerRecord,
    view: &View,
    media_type: &str,
) -> Result<Layer> {
    diff_against(lease, rec, view.mounts.clone(), media_type).await
}

/// containerd's differ: the container's snapshot against `left` (nothing:
/// its whole tree, as `export` wants it) as a layer in the content store.
pub(super) async fn diff_against(
    lease: &Lease,
    rec: &ContainerRecord,
    left: Vec<Mount>,
    media_type: &str,
) -> Result<Layer> {
    let right = snapshots::mounts(lease.client(), &rec.snapshotter, &rec.snapshot_key).await?;
    let diff = lease
        .client()
        .diff()
        .diff(DiffRequest {
            left,
            right,
            media_type: media_type.to_string(),
            r#ref: format!("berth-diff-{}-{}", rec.id, crate::util::random_token()),
            ..Default::default()
        })
        .await?
        .into_inner()
        .diff
        .ok_or_else(|| Error::new(ErrorKind::Daemon, "containerd's differ returned no layer"))?;
    Ok(Layer {
        digest: diff.digest,
        size: diff.size,
    })
}

/// What `diff` shows of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathChange {
    /// docker's letter: `A`dded, `C`hanged, `D`eleted.
    pub kind: char,
    pub path: String,
}

/// docker's `diff`: the container's changed paths, in the layer's order.
pub async fn diff(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
) -> Result<Vec<PathChange>> {
    let lease = Lease::create(client, "diff").await?;
    let view = View::open(lease.client(), rec).await;
    let result = match &view {
        Ok(view) => read_changes(&lease, data, rec, view).await,
        Err(_) => Ok(Vec::new()),
    };
    let closed = match view {
        Ok(v) => v.close(lease.client()).await,
        Err(e) => Err(e),
    };
    let released = lease.release().await;
    let changes = result?;
    closed?;
    released?;
    Ok(changes)
}

async fn read_changes(
    lease: &Lease,
    data: &DataRoot,
    rec: &ContainerRecord,
    view: &View,
) -> Result<Vec<PathChange>> {
    let layer = layer(lease, rec, view, LAYER_TAR).await?;
    let io = |e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            format!("reading the container's changes: {e}"),
        )
    };
    let mut spool = tempfile_in(data)?;
    let mut stream =
        crate::image::blob::stream(lease.client(), &layer.digest, layer.size.max(0) as u64).await?;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| Error::new(ErrorKind::Daemon, format!("reading the diff: {e}")))?;
        spool.write_all(&chunk).map_err(io)?;
    }
    std::io::Seek::rewind(&mut spool).map_err(io)?;
    let mounted = match view.mounts.is_empty() {
        true => None,
        false => Some(mount::mount_all(&view.mounts, &data.root().join("mnt"))?),
    };
    let parent = match &mounted {
        Some(m) => Some(Root::open(m.path()).map_err(io)?),
        None => None,
    };
    let changes = tokio::task::spawn_blocking(move || changes_of(spool, parent.as_ref()))
        .await
        .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?
        .map_err(io);
    drop(mounted);
    changes
}

/// An unlinked scratch file under the data root.
fn tempfile_in(data: &DataRoot) -> Result<std::fs::File> {
    let dir = data.root().join("tmp");
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io("creating berth's scratch directory", e))?;
    let path = dir.join(crate::util::random_token());
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io("creating a scratch file", e))?;
    let _ = std::fs::remove_file(&path);
    Ok(file)
}

/// The layer's entries as docker's letters: a whiteout is a deletion, a
/// path the image has is a change, any other an addition.
fn changes_of(layer: std::fs::File, parent: Option<&Root>) -> std::io::Result<Vec<PathChange>> {
    let mut out = Vec::new();
    let mut archive = tar::Archive::new(std::io::BufReader::new(layer));
    for entry in archive.entries()? {
        let entry = entry?;
        let name = crate::copy::clean_name(&entry.path()?)?;
        let Some(base) = name.file_name().map(|b| b.to_string_lossy().into_owned()) else {
            continue;
        };
        let dir = name.parent().map(|p| p.to_path_buf()).unwrap_or_default();
        if base == ".wh..wh..opq" {
            continue;
        }
        let (kind, path) = match base.strip_prefix(".wh.") {
            Some(gone) => ('D', dir.join(gone)),
            None => {
                let had = match parent {
                    Some(root) => root.lstat(&name)?.is_some(),
                    None => false,
                };
                (if had { 'C' } else { 'A' }, name.clone())
            }
        };
        out.push(PathChange {
            kind,
            path: format!("/{}", path.display()),
        });
    }
    Ok(without_mount_points(out))
}

/// The files berth mounts over (`/etc/hosts`, `/etc/hostname`,
/// `/etc/resolv.conf`) are made in the container's snapshot as mount
/// points; docker keeps its in a layer of their own, so `diff` never
/// shows them, nor `/etc` when nothing else in it changed.
const MOUNT_POINTS: [&str; 3] = ["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];

fn without_mount_points(mut changes: Vec<PathChange>) -> Vec<PathChange> {
    let ours = |c: &PathChange| c.kind != 'D' && MOUNT_POINTS.contains(&c.path.as_str());
    let touched_etc = changes.iter().any(&ours);
    changes.retain(|c| !ours(c));
    let etc_else = changes.iter().any(|c| c.path.starts_with("/etc/"));
    if touched_etc && !etc_else {
        changes.retain(|c| !(c.path == "/etc" && c.kind == 'C'));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(kind: char, path: &str) -> PathChange {
        PathChange {
            kind,
            path: path.into(),
        }
    }

    #[test]
    fn berths_mount_points_are_not_changes() {
        let fresh = vec![
            c('C', "/etc"),
            c('A', "/etc/hostname"),
            c('A', "/etc/hosts"),
            c('A', "/etc/resolv.conf"),
        ];
        assert_eq!(without_mount_points(fresh), vec![]);
        let more = vec![
            c('C', "/etc"),
            c('C', "/etc/group"),
            c('A', "/etc/hosts"),
            c('A', "/x"),
        ];
        assert_eq!(
            without_mount_points(more),
            vec![c('C', "/etc"), c('C', "/etc/group"), c('A', "/x")]
        );
        // Deleting one is a change the user made.
        let gone = vec![c('C', "/etc"), c('D', "/etc/hosts")];
        assert_eq!(without_mount_points(gone.clone()), gone);
    }
}

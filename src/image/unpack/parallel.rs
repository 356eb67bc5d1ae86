//! Unpacking layers side by side. containerd applies a layer into a
//! snapshot on top of its parent, so layers normally unpack one after the
//! other. Here each layer is applied, as soon as it is downloaded, into a
//! snapshot of its own with no parent (as an overlay upper directory, so the
//! daemon writes whiteouts the way overlayfs reads them); the snapshots are
//! then committed in layer order, each on its parent:
//! - `Rebase` (containerd 2.2+, snapshotter capability `rebase`): the commit
//!   itself names the parent;
//! - `Relocate` (older containerd, berth on the host): the applied files
//!   are moved into a snapshot prepared on the parent, then committed.

use std::path::{Path, PathBuf};

use containerd_client::types::Mount;

use super::{Strategy, apply, extract_key, rebase, relocate};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::image::manifest::Descriptor;
use crate::snapshots;

/// A layer applied into a parentless snapshot, waiting for its commit.
#[derive(Debug)]
pub struct Detached {
    key: String,
    /// The snapshot's directory as berth sees it.
    upper: PathBuf,
}

/// The directory a parentless overlayfs snapshot is: its bind mount's source.
fn bind_source(mounts: &[Mount]) -> Option<&str> {
    match mounts {
        [m] if m.r#type == "bind" => Some(&m.source),
        _ => None,
    }
}

/// An overlay mount's upper directory.
fn upperdir(mounts: &[Mount]) -> Option<&str> {
    mounts
        .iter()
        .filter(|m| m.r#type == "overlay")
        .flat_map(|m| m.options.iter())
        .find_map(|o| o.strip_prefix("upperdir="))
}

/// The daemon's applier writes straight into an overlay mount's upper
/// directory, converting whiteouts; a bind mount would lose them. The
/// mount is never mounted, so it needs no lower directory.
fn as_upper_only(dir: &str) -> Mount {
    Mount {
        r#type: "overlay".to_string(),
        source: "overlay".to_string(),
        target: String::new(),
        options: vec!["rw".to_string(), format!("upperdir={dir}")],
    }
}

/// Top half: applies `layer` into a new parentless snapshot. None when the
/// layer's snapshot already exists.
pub async fn apply_detached(
    client: &Client,
    layer: &Descriptor,
    diff_id: &str,
    chain_id: &str,
) -> Result<Option<Detached>> {
    if snapshots::exists(client, chain_id).await? {
        return Ok(None);
    }
    let key = extract_key(chain_id);
    let mounts = snapshots::prepare(client, &key, "").await?;
    let result = async {
        let dir = bind_source(&mounts).ok_or_else(|| {
            Error::new(
                ErrorKind::Daemon,
                format!("a snapshot with no parent came back as {mounts:?}, not one directory"),
            )
        })?;
        apply(client, layer, diff_id, vec![as_upper_only(dir)]).await?;
        Ok(PathBuf::from(dir))
    }
    .await;
    match result {
        Ok(upper) => Ok(Some(Detached { key, upper })),
        Err(e) => {
            snapshots::discard(client, &key).await;
            Err(e)
        }
    }
}

/// Bottom half, called in layer order: makes `d` snapshot `chain_id` on
/// `parent`. Someone else committing the same layer meanwhile is fine.
pub async fn commit_detached(
    client: &Client,
    strategy: Strategy,
    d: Detached,
    chain_id: &str,
    parent: Option<&str>,
) -> Result<()> {
    let result = match (parent, strategy) {
        (None, _) => snapshots::commit(client, &d.key, chain_id)
            .await
            .map_err(Error::from),
        (Some(p), Strategy::Rebase) => rebase::commit_with_parent(client, &d.key, chain_id, p)
            .await
            .map_err(Error::from),
        (Some(p), _) => relocate_and_commit(client, &d, chain_id, p).await,
    };
    match result {
        Ok(()) => Ok(()),
        Err(e)
            if e.kind() == ErrorKind::Conflict && snapshots::exists(client, chain_id).await? =>
        {
            snapshots::discard(client, &d.key).await;
            Ok(())
        }
        Err(e) => {
            snapshots::discard(client, &d.key).await;
            Err(e)
        }
    }
}

async fn relocate_and_commit(
    client: &Client,
    d: &Detached,
    chain_id: &str,
    parent: &str,
) -> Result<()> {
    let key = extract_key(chain_id);
    let mounts = snapshots::prepare(client, &key, parent).await?;
    let result = async {
        let upper = upperdir(&mounts).ok_or_else(|| {
            Error::new(
                ErrorKind::Daemon,
                format!("the snapshot on {parent} came back as {mounts:?}, not an overlay"),
            )
        })?;
        relocate::move_contents(&d.upper, Path::new(upper)).map_err(|e| {
            Error::io(
                format!("moving layer files from {} to {upper}", d.upper.display()),
                e,
            )
        })?;
        snapshots::commit(client, &key, chain_id)
            .await
            .map_err(Error::from)
    }
    .await;
    if result.is_err() {
        snapshots::discard(client, &key).await;
    } else {
        snapshots::discard(client, &d.key).await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts() {
        let bind = Mount {
            r#type: "bind".into(),
            source: "/var/lib/containerd/s/7/fs".into(),
            target: String::new(),
            options: vec!["rw".into(), "rbind".into()],
        };
        assert_eq!(
            bind_source(std::slice::from_ref(&bind)),
            Some("/var/lib/containerd/s/7/fs")
        );
        let upper = as_upper_only("/var/lib/containerd/s/7/fs");
        assert_eq!(upper.options, ["rw", "upperdir=/var/lib/containerd/s/7/fs"]);
        let overlay = Mount {
            r#type: "overlay".into(),
            source: "overlay".into(),
            target: String::new(),
            options: vec![
                "index=off".into(),
                "workdir=/s/8/work".into(),
                "upperdir=/s/8/fs".into(),
                "lowerdir=/s/7/fs".into(),
            ],
        };
        assert_eq!(upperdir(std::slice::from_ref(&overlay)), Some("/s/8/fs"));
        assert_eq!(bind_source(&[overlay]), None);
        assert_eq!(upperdir(&[bind]), None);
    }
}

//! Unpacking layers into snapshots: Prepare -> Diff.Apply -> Commit, each
//! snapshot named by its chain id, exactly as containerd's own unpacker
//! does, so ctr and berth share snapshots. Layers of a pull may also be
//! applied side by side (`parallel`), where the daemon allows it.

pub mod parallel;
mod rebase;
mod relocate;

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use containerd_client::services::v1::ApplyRequest;
use containerd_client::types::Mount;

use super::content;
use super::manifest::Descriptor;
use super::store::ResolvedImage;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result, is_already_exists};
use crate::lease::Lease;
use crate::snapshots;
use crate::util;

/// The label on an image config that keeps its unpacked snapshot alive.
pub fn snapshot_gc_label(snapshotter: &str) -> String {
    format!("containerd.io/gc.ref.snapshot.{snapshotter}")
}

pub const UNCOMPRESSED_LABEL: &str = "containerd.io/uncompressed";

/// How a pull's layers are unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One after another, each on its parent (containerd's own way).
    Sequential,
    /// Side by side, the parent given at commit (containerd 2.2+).
    Rebase,
    /// Side by side, files moved onto the parent's snapshot in order
    /// (older containerd; berth must see the snapshotter's directories).
    Relocate,
}

impl Strategy {
    pub fn is_parallel(self) -> bool {
        self != Strategy::Sequential
    }
}

/// The fastest strategy the connected daemon allows. `BERTH_UNPACK`
/// (`sequential`, `rebase`, `relocate`) picks another one among those it
/// allows, for comparisons.
pub async fn strategy(client: &Client) -> Strategy {
    let allowed = allowed(client).await;
    let wanted = match std::env::var("BERTH_UNPACK").as_deref() {
        Ok("sequential") => Some(Strategy::Sequential),
        Ok("rebase") => Some(Strategy::Rebase),
        Ok("relocate") => Some(Strategy::Relocate),
        _ => None,
    };
    match wanted {
        Some(w) if allowed.contains(&w) => w,
        Some(w) => {
            tracing::warn!("BERTH_UNPACK={w:?} is not possible with this containerd; ignored");
            allowed[0]
        }
        None => allowed[0],
    }
}

/// The strategies this daemon (and berth's view of its files) allows,
/// fastest first.
async fn allowed(client: &Client) -> Vec<Strategy> {
    let mut out = Vec::new();
    // The parallel ways rely on overlayfs upper directories.
    if client.snapshotter() == "overlayfs"
        && let Ok(server) = client.server().await
    {
        if server
            .snapshotter_capabilities
            .iter()
            .any(|c| c == "rebase")
        {
            out.push(Strategy::Rebase);
        }
        // Moving files needs the snapshot directories, writable, from here.
        let writable =
            |dir: &Path| nix::unistd::access(dir, nix::unistd::AccessFlags::W_OK).is_ok();
        if let Some(root) = &server.snapshotter_root
            && writable(&Path::new(root).join("snapshots"))
        {
            out.push(Strategy::Relocate);
        }
    }
    out.push(Strategy::Sequential);
    out
}

/// containerd's key for a snapshot being unpacked: `extract-<nanos>-<rand> <chain id>`.
fn extract_key(chain_id: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!("extract-{nanos}-{} {chain_id}", util::random_token())
}

/// Applies `layer` through `mounts` and checks it is the one the image
/// config names.
async fn apply(
    client: &Client,
    layer: &Descriptor,
    diff_id: &str,
    mounts: Vec<Mount>,
) -> Result<()> {
    let applied = client
        .diff()
        .apply(ApplyRequest {
            diff: Some(layer.to_containerd()),
            mounts,
            payloads: HashMap::new(),
            sync_fs: false,
        })
        .await?
        .into_inner()
        .applied
        .ok_or_else(|| Error::new(ErrorKind::Daemon, "diff apply returned no descriptor"))?;
    if applied.digest != diff_id {
        return Err(Error::new(
            ErrorKind::Registry,
            format!(
                "layer {} unpacked to {} but the image config says {diff_id}",
                layer.digest, applied.digest
            ),
        ));
    }
    Ok(())
}

/// Applies one layer on top of `parent`, producing snapshot `chain_id`.
/// Returns false when the snapshot already existed.
pub async fn apply_layer(
    client: &Client,
    layer: &Descriptor,
    diff_id: &str,
    chain_id: &str,
    parent: Option<&str>,
) -> Result<bool> {
    if snapshots::exists(client, chain_id).await? {
        return Ok(false);
    }
    let key = extract_key(chain_id);
    let mounts = snapshots::prepare(client, &key, parent.unwrap_or_default()).await?;
    let result = async {
        apply(client, layer, diff_id, mounts).await?;
        match snapshots::commit(client, &key, chain_id).await {
            Ok(()) => Ok(true),
            // Someone unpacked the same layer meanwhile: theirs is as good.
            Err(s) if is_already_exists(&s) => Ok(false),
            Err(s) => Err(s.into()),
        }
    }
    .await;
    if !matches!(result, Ok(true)) {
        snapshots::discard(client, &key).await;
    }
    result
}

/// Unpacks an image whose content is present (pulled without unpacking,
/// or for another snapshotter).
pub async fn unpack_image(client: &Client, image: &ResolvedImage) -> Result<()> {
    let diff_ids = &image.config.rootfs.diff_ids;
    if diff_ids.len() != image.manifest.layers.len() {
        return Err(Error::new(
            ErrorKind::Registry,
            format!(
                "image {} has {} layers but its config lists {} diff ids",
                image.name,
                image.manifest.layers.len(),
                diff_ids.len()
            ),
        ));
    }
    let lease = Lease::create(client, "unpack").await?;
    let leased = lease.client().clone();
    let result = async {
        let chain = image.chain_ids();
        for (i, layer) in image.manifest.layers.iter().enumerate() {
            let parent = i.checked_sub(1).map(|p| chain[p].as_str());
            apply_layer(&leased, layer, &diff_ids[i], &chain[i], parent).await?;
        }
        if let Some(top) = chain.last() {
            label_config(&leased, &image.manifest.config.digest, top).await?;
        }
        Ok(())
    }
    .await;
    let released = lease.release().await;
    result.and(released)
}

/// Points the config at its top snapshot so GC keeps the unpacked layers.
pub async fn label_config(client: &Client, config_digest: &str, top_chain: &str) -> Result<()> {
    let Some(info) = content::info(client, config_digest).await? else {
        return Err(Error::not_found(format!(
            "image config {config_digest} is missing"
        )));
    };
    let labels = HashMap::from([(
        snapshot_gc_label(client.snapshotter()),
        top_chain.to_string(),
    )]);
    content::ensure_labels(client, &info, &labels).await
}

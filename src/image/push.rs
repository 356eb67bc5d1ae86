//! `push`: an image from containerd's content store to its registry. Blobs
//! the repository has are skipped, blobs another repository of the same
//! registry has are mounted, the rest stream from containerd; manifests and
//! indexes are put byte for byte, so the digest is the one stored.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::{StreamExt, TryStreamExt};

use super::content;
use super::manifest::{self, Descriptor, Index, Manifest, Platform};
use super::platform;
use super::reference::ImageRef;
use super::registry::Registry;
use super::registry::retry::{self, Retry, retrying};
use super::store::get_record;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::util::short_id;

const SOURCE_LABEL: &str = "containerd.io/distribution.source.";
/// Layers uploaded at once (docker's default is 5; measured here on the
/// 3-layer bench image, 3 and 5 are the same).
const UPLOADS_AT_ONCE: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushEvent {
    Preparing {
        layer: String,
    },
    Exists {
        layer: String,
    },
    Mounted {
        layer: String,
        from: String,
    },
    /// Bytes of the blob sent so far (every tenth of a second).
    Pushing {
        layer: String,
        current: u64,
        total: u64,
    },
    Pushed {
        layer: String,
    },
    /// The upload failed transiently; it starts again after `delay`.
    Retrying {
        layer: String,
        delay: std::time::Duration,
        reason: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    /// Push only this platform's manifest.
    pub platform: Option<Platform>,
    /// Push every platform of an index (each must be in the store).
    pub all_platforms: bool,
    pub insecure_registries: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Pushed {
    /// What the tag now points at, and its size.
    pub digest: String,
    pub size: i64,
}

pub async fn push(
    client: &Client,
    image: &ImageRef,
    opts: &PushOptions,
    progress: &(dyn Fn(PushEvent) + Sync),
) -> Result<Pushed> {
    let record = get_record(client, &image.name()).await?.ok_or_else(|| {
        Error::not_found(format!(
            "An image does not exist locally with the tag: {}",
            image.familiar()
        ))
    })?;
    let target = record
        .target
        .as_ref()
        .map(Descriptor::from_containerd)
        .ok_or_else(|| Error::not_found(format!("image {image} has no target")))?;
    let registry = Registry::open(image, &opts.insecure_registries).await?;
    let top = what_to_push(client, &target, opts).await?;
    let manifests = match &top {
        Top::Index(children) => children.clone(),
        Top::Manifest(d) => vec![d.clone()],
    };
    for (i, m) in manifests.iter().enumerate() {
        let data = content::read_blob(client, &m.digest).await?;
        let doc: Manifest = manifest::parse("manifest", &m.digest, &data)?;
        if i == 0 {
            // The first contact is not retried, as docker's: a registry
            // that is not there at all is said at once.
            registry.has_blob(&doc.config.digest).await?;
        }
        // docker lists layers only; the config goes quietly.
        push_blob(client, &registry, image, &doc.config, &|_| {}).await?;
        let uploads = doc
            .layers
            .iter()
            .map(|blob| push_blob(client, &registry, image, blob, progress));
        futures::stream::iter(uploads)
            .buffer_unordered(UPLOADS_AT_ONCE)
            .try_collect::<Vec<()>>()
            .await?;
        if matches!(top, Top::Index(_)) {
            put_manifest(&registry, &m.digest, &m.media_type, data).await?;
        }
    }
    let top_desc = match &top {
        Top::Index(_) => target.clone(),
        Top::Manifest(d) => d.clone(),
    };
    let data = content::read_blob(client, &top_desc.digest).await?;
    let reference = image
        .tag()
        .map(str::to_string)
        .unwrap_or_else(|| top_desc.digest.clone());
    put_manifest(&registry, &reference, &top_desc.media_type, data).await?;
    Ok(Pushed {
        digest: top_desc.digest,
        size: top_desc.size,
    })
}

async fn put_manifest(
    registry: &Registry,
    reference: &str,
    media_type: &str,
    data: Vec<u8>,
) -> Result<()> {
    retry::logged(&format!("putting manifest {reference}"), || {
        registry.put_manifest(reference, media_type, data.clone())
    })
    .await
}

enum Top {
    /// The whole index, with its manifests.
    Index(Vec<Descriptor>),
    Manifest(Descriptor),
}

async fn complete(client: &Client, m: &Descriptor) -> Result<bool> {
    if content::info(client, &m.digest).await?.is_none() {
        return Ok(false);
    }
    let doc: Manifest = manifest::parse(
        "manifest",
        &m.digest,
        &content::read_blob(client, &m.digest).await?,
    )?;
    for d in std::iter::once(&doc.config).chain(&doc.layers) {
        if content::info(client, &d.digest).await?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// An index goes whole when every platform is here (or --all-platforms
/// demands it); otherwise only the asked or this host's platform.
async fn what_to_push(client: &Client, target: &Descriptor, opts: &PushOptions) -> Result<Top> {
    if !manifest::is_index(&target.media_type) {
        return Ok(Top::Manifest(target.clone()));
    }
    let index: Index = manifest::parse(
        "index",
        &target.digest,
        &content::read_blob(client, &target.digest).await?,
    )?;
    if opts.platform.is_none() {
        let mut all = true;
        for m in &index.manifests {
            all &= complete(client, m).await?;
        }
        if all {
            return Ok(Top::Index(index.manifests));
        }
        if opts.all_platforms {
            return Err(Error::new(
                ErrorKind::NotFound,
                "--all-platforms: not every platform of this image is in the store (pull it with --platform for each)",
            ));
        }
    }
    let want = opts.platform.clone().unwrap_or_else(platform::host);
    platform::choose(&index.manifests, &want)
        .cloned()
        .map(Top::Manifest)
        .ok_or_else(|| super::store::no_platform_match(&want))
}

/// Pushes one blob, trying again (from the start: a registry such as
/// distribution forgets an upload once a request of it broke off) when the
/// connection drops or the registry answers 5xx.
async fn push_blob(
    client: &Client,
    registry: &Registry,
    image: &ImageRef,
    blob: &Descriptor,
    progress: &(dyn Fn(PushEvent) + Sync),
) -> Result<()> {
    let layer = short_id(crate::util::digest_hex(&blob.digest)).to_string();
    progress(PushEvent::Preparing {
        layer: layer.clone(),
    });
    let notice = |r: Retry<'_>| {
        progress(PushEvent::Retrying {
            layer: layer.clone(),
            delay: r.delay,
            reason: r.error.message().to_string(),
        })
    };
    let sent = |current| {
        progress(PushEvent::Pushing {
            layer: layer.clone(),
            current,
            total: blob.size.max(0) as u64,
        })
    };
    let outcome = retrying(notice, || {
        try_push_blob(client, registry, image, blob, &sent)
    })
    .await?;
    progress(match outcome {
        Outcome::Exists => PushEvent::Exists { layer },
        Outcome::Mounted(from) => PushEvent::Mounted { layer, from },
        Outcome::Pushed => PushEvent::Pushed { layer },
    });
    Ok(())
}

enum Outcome {
    Exists,
    Mounted(String),
    Pushed,
}

async fn try_push_blob(
    client: &Client,
    registry: &Registry,
    image: &ImageRef,
    blob: &Descriptor,
    sent: &(dyn Fn(u64) + Sync),
) -> Result<Outcome> {
    if registry.has_blob(&blob.digest).await? {
        return Ok(Outcome::Exists);
    }
    let info = content::info(client, &blob.digest).await?.ok_or_else(|| {
        Error::not_found(format!(
            "content {} is missing from containerd's store",
            blob.digest
        ))
    })?;
    let from = mount_source(&info.labels, image);
    let Some(location) = registry
        .mount_or_start(&blob.digest, from.as_deref())
        .await?
    else {
        return Ok(Outcome::Mounted(from.unwrap_or_default()));
    };
    let counted = Arc::new(AtomicU64::new(0));
    let counter = counted.clone();
    let stream = super::blob::stream(client, &blob.digest, blob.size.max(0) as u64)
        .await?
        .inspect(move |chunk| {
            if let Ok(c) = chunk {
                counter.fetch_add(c.len() as u64, Ordering::Relaxed);
            }
        });
    let upload = registry.upload(
        &location,
        &blob.digest,
        blob.size as u64,
        reqwest::Body::wrap_stream(stream),
    );
    tokio::pin!(upload);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    loop {
        tokio::select! {
            done = &mut upload => break done?,
            _ = tick.tick() => sent(counted.load(Ordering::Relaxed)),
        }
    }
    sent(blob.size.max(0) as u64);
    Ok(Outcome::Pushed)
}

/// Another repository of the same registry the blob came from.
fn mount_source(labels: &HashMap<String, String>, image: &ImageRef) -> Option<String> {
    let repos = labels.get(&format!("{SOURCE_LABEL}{}", image.registry()))?;
    repos
        .split(',')
        .find(|r| !r.is_empty() && *r != image.repository())
        .map(str::to_string)
}

//! `commit`: a container's changes as a new image on top of its own
//! (paused meanwhile unless told not to, as docker does).

use containerd_client::types::v1::Status;

use super::changes::{self, LAYER_GZIP, View};
use crate::client::Client;
use crate::container::runtime::task;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, ErrorKind, Result};
use crate::image::commit::{Meta, NewLayer, add_layer};
use crate::image::manifest::ContainerConfig;
use crate::image::{ImageRef, content, platform, store, unpack};
use crate::lease::Lease;

#[derive(Debug, Default, Clone)]
pub struct CommitOptions {
    /// `REPOSITORY[:TAG]` as typed.
    pub reference: Option<String>,
    pub author: String,
    pub message: String,
    /// `-c`: Dockerfile instructions applied to the image's defaults.
    pub changes: Vec<String>,
    pub pause: bool,
}

/// Commits `rec`; returns the new image's id.
pub async fn commit(
    client: &Client,
    rec: &ContainerRecord,
    opts: &CommitOptions,
) -> Result<String> {
    let name = match &opts.reference {
        Some(r) => Some(ImageRef::parse(r)?.name()),
        None => None,
    };
    let base = store::find(client, &rec.image_name, &platform::host())
        .await?
        .ok_or_else(|| {
            Error::not_found(format!(
                "the image of container {} is gone: {}",
                rec.id, rec.image_name
            ))
        })?;
    let mut config = container_config(rec);
    for c in &opts.changes {
        crate::image::archive::import::apply_change(&mut config, c).map_err(|e| {
            let word = c
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            match e.kind() {
                ErrorKind::InvalidArgument if !is_change(&word) => {
                    Error::invalid(format!("{word} is not a valid change command"))
                }
                _ => e,
            }
        })?;
    }
    let paused = opts.pause && task::status(client, &rec.id).await? == Some(Status::Running);
    if paused {
        task::pause(client, &rec.id).await?;
    }
    let lease = Lease::create(client, "commit").await?;
    let result = write(client, &lease, rec, &base, &config, opts, name.as_deref()).await;
    let released = lease.release().await;
    if paused {
        task::resume(client, &rec.id).await?;
    }
    let id = result?;
    released?;
    let reference = opts.reference.clone().unwrap_or_default();
    let extra = [
        ("comment", opts.message.as_str()),
        ("imageID", id.as_str()),
        ("imageRef", reference.as_str()),
    ];
    super::events::publish_container(client, rec, "commit", &extra).await;
    Ok(id)
}

fn is_change(word: &str) -> bool {
    [
        "cmd",
        "entrypoint",
        "env",
        "expose",
        "label",
        "onbuild",
        "user",
        "volume",
        "workdir",
        "stopsignal",
        "healthcheck",
        "shell",
    ]
    .contains(&word)
}

/// The container's runtime defaults as an image carries them.
fn container_config(rec: &ContainerRecord) -> ContainerConfig {
    rec.stored
        .as_ref()
        .and_then(|s| serde_json::to_value(&s.config).ok())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

async fn write(
    client: &Client,
    lease: &Lease,
    rec: &ContainerRecord,
    base: &crate::image::ResolvedImage,
    config: &ContainerConfig,
    opts: &CommitOptions,
    name: Option<&str>,
) -> Result<String> {
    let view = View::open(lease.client(), rec).await?;
    let layer = changes::layer(lease, rec, &view, LAYER_GZIP).await;
    let closed = view.close(lease.client()).await;
    let layer = layer?;
    closed?;
    let info = content::info(lease.client(), &layer.digest).await?;
    let diff_id = info
        .and_then(|i| i.labels.get(unpack::UNCOMPRESSED_LABEL).cloned())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Daemon,
                "containerd's differ did not label the layer's diff id",
            )
        })?;
    let created_by = rec.args.join(" ");
    let meta = Meta {
        author: opts.author.clone(),
        comment: opts.message.clone(),
        created_by,
    };
    let layer = NewLayer {
        media_type: LAYER_GZIP.to_string(),
        digest: layer.digest,
        size: layer.size,
        diff_id,
    };
    add_layer(client, lease.client(), base, layer, config, &meta, name).await
}

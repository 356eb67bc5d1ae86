//! `save`: images out of containerd as one archive, streamed blob by blob:
//! an OCI image layout (index.json naming each image as containerd and
//! docker do) plus docker's manifest.json, so `docker load`, `ctr images
//! import` and `berth load` all read it. Each image is saved for one
//! platform (the host's unless asked).

use std::collections::BTreeSet;

use futures::StreamExt;
use serde_json::json;
use tokio::io::AsyncWrite;

use super::tar::Writer;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::image::manifest::Platform;
use crate::image::reference::ImageRef;
use crate::image::{ResolvedImage, store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OCI layout plus manifest.json (docker's save format since 25).
    Docker,
    /// OCI layout only.
    Oci,
}

struct Saved {
    image: ResolvedImage,
    /// The name as asked (a reference), none when asked by id.
    name: Option<ImageRef>,
}

fn io_err(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("writing the archive: {e}"))
}

/// Writes `inputs` (names or ids) as one archive to `out`.
pub async fn save<W: AsyncWrite + Unpin>(
    client: &Client,
    inputs: &[String],
    platform: &Platform,
    format: Format,
    out: W,
) -> Result<W> {
    let mut saved = Vec::new();
    for input in inputs {
        let image = store::find(client, input, platform)
            .await?
            .ok_or_else(|| Error::not_found(format!("No such image: {input}")))?;
        let name = ImageRef::parse(input)
            .ok()
            .filter(|r| r.name() == image.name);
        saved.push(Saved { image, name });
    }
    let mut tar = Writer::new(out);
    tar.dir("blobs/").await.map_err(io_err)?;
    tar.dir("blobs/sha256/").await.map_err(io_err)?;
    let mut written = BTreeSet::new();
    for s in &saved {
        let img = &s.image;
        let blobs = std::iter::once(&img.manifest_desc)
            .chain(std::iter::once(&img.manifest.config))
            .chain(&img.manifest.layers);
        for d in blobs {
            if written.insert(d.digest.clone()) {
                copy_blob(client, &mut tar, &d.digest, d.size as u64).await?;
            }
        }
    }
    tar.small_file("index.json", index_json(&saved).to_string().as_bytes())
        .await
        .map_err(io_err)?;
    if format == Format::Docker {
        tar.small_file(
            "manifest.json",
            manifest_json(&saved).to_string().as_bytes(),
        )
        .await
        .map_err(io_err)?;
    }
    tar.small_file("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)
        .await
        .map_err(io_err)?;
    tar.finish().await.map_err(io_err)
}

fn blob_path(digest: &str) -> String {
    format!("blobs/{}", digest.replacen(':', "/", 1))
}

async fn copy_blob<W: AsyncWrite + Unpin>(
    client: &Client,
    tar: &mut Writer<W>,
    digest: &str,
    size: u64,
) -> Result<()> {
    let mut stream = crate::image::blob::stream(client, digest, size)
        .await
        .map_err(|e| missing_content(e, digest))?;
    tar.file_header(&blob_path(digest), size)
        .await
        .map_err(io_err)?;
    let mut seen = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| Error::new(ErrorKind::Daemon, format!("reading {digest}: {e}")))?;
        seen += chunk.len() as u64;
        tar.data(&chunk).await.map_err(io_err)?;
    }
    if seen != size {
        return Err(Error::new(
            ErrorKind::Daemon,
            format!("content {digest} has {seen} bytes, its descriptor says {size}"),
        ));
    }
    tar.end_file(size).await.map_err(io_err)
}

fn missing_content(e: Error, digest: &str) -> Error {
    if e.kind() == ErrorKind::NotFound {
        Error::not_found(format!(
            "content {digest} is missing from containerd's store"
        ))
        .hinted("pull the image again (it may have been pulled for another platform only)")
    } else {
        e
    }
}

fn index_json(saved: &[Saved]) -> serde_json::Value {
    let manifests: Vec<_> = saved
        .iter()
        .map(|s| {
            let d = &s.image.manifest_desc;
            let mut entry = json!({"mediaType": d.media_type, "digest": d.digest, "size": d.size});
            if let Some(r) = &s.name {
                let mut ann = json!({"io.containerd.image.name": r.name()});
                if let Some(t) = r.tag() {
                    ann["org.opencontainers.image.ref.name"] = json!(t);
                }
                entry["annotations"] = ann;
            }
            entry
        })
        .collect();
    json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests})
}

fn manifest_json(saved: &[Saved]) -> serde_json::Value {
    let entries: Vec<_> = saved
        .iter()
        .map(|s| {
            let m = &s.image.manifest;
            let tags: Vec<String> = s
                .name
                .iter()
                .filter(|r| r.tag().is_some())
                .map(|r| r.familiar())
                .collect();
            json!({
                "Config": blob_path(&m.config.digest),
                "RepoTags": if tags.is_empty() { serde_json::Value::Null } else { json!(tags) },
                "Layers": m.layers.iter().map(|l| blob_path(&l.digest)).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::Value::Array(entries)
}

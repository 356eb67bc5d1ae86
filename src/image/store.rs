//! Images already in containerd: look-up by name or id, reading their
//! manifest and config for a platform, and listing them docker-style.

use std::collections::HashMap;
use std::time::SystemTime;

use containerd_client::services::v1::{GetImageRequest, Image, ListImagesRequest};
use futures::StreamExt;

use super::content::read_blob;
use super::manifest::{self, Descriptor, ImageConfig, Index, Manifest, Platform};
use super::platform;
use super::reference::ImageRef;
use crate::client::Client;
use crate::error::{Error, Result, is_already_exists, is_not_found};
use crate::util;

/// An image record with its platform manifest and config loaded.
#[derive(Debug, Clone)]
pub struct ResolvedImage {
    /// containerd's name for it.
    pub name: String,
    /// What the name points at (an index or a manifest).
    pub target: Descriptor,
    pub manifest_desc: Descriptor,
    pub manifest: Manifest,
    pub config: ImageConfig,
    pub record_created: Option<SystemTime>,
    pub labels: HashMap<String, String>,
}

impl ResolvedImage {
    /// docker's image id: the config digest.
    pub fn id(&self) -> &str {
        &self.manifest.config.digest
    }

    pub fn chain_ids(&self) -> Vec<String> {
        manifest::chain_ids(&self.config.rootfs.diff_ids)
    }

    pub fn top_chain_id(&self) -> Option<String> {
        self.chain_ids().pop()
    }

    /// `created` from the config, as docker's CREATED column uses.
    pub fn created(&self) -> Option<SystemTime> {
        self.config.created.as_deref().and_then(util::parse_rfc3339)
    }

    pub fn platform(&self) -> Platform {
        Platform {
            os: self.config.os.clone(),
            architecture: self.config.architecture.clone(),
            variant: self.config.variant.clone(),
            os_version: None,
        }
    }
}

/// The image record called `name`, if any.
pub async fn get_record(client: &Client, name: &str) -> Result<Option<Image>> {
    match client
        .images()
        .get(GetImageRequest {
            name: name.to_string(),
        })
        .await
    {
        Ok(r) => Ok(r.into_inner().image),
        Err(s) if is_not_found(&s) => Ok(None),
        Err(s) => Err(s.into()),
    }
}

pub async fn list_records(client: &Client) -> Result<Vec<Image>> {
    Ok(client
        .images()
        .list(ListImagesRequest { filters: vec![] })
        .await?
        .into_inner()
        .images)
}

/// Reads the manifest for `want` under `target` (following an index).
pub async fn platform_manifest(
    client: &Client,
    target: &Descriptor,
    want: &Platform,
) -> Result<(Descriptor, Manifest)> {
    let mut desc = target.clone();
    if manifest::is_index(&desc.media_type) {
        let index: Index = manifest::parse(
            "index",
            &desc.digest,
            &read_blob(client, &desc.digest).await?,
        )?;
        desc = platform::choose(&index.manifests, want)
            .cloned()
            .ok_or_else(|| no_platform_match(want))?;
    } else if !manifest::is_manifest(&desc.media_type) {
        return Err(Error::unsupported(format!(
            "unsupported image media type {:?}",
            desc.media_type
        )));
    }
    let m: Manifest = manifest::parse(
        "manifest",
        &desc.digest,
        &read_blob(client, &desc.digest).await?,
    )?;
    Ok((desc, m))
}

pub fn no_platform_match(want: &Platform) -> Error {
    Error::not_found(format!(
        "no matching manifest for {} in the manifest list entries",
        platform::format(want)
    ))
    .hinted("choose another platform with --platform")
}

/// Loads manifest and config of a record for a platform.
pub async fn resolve_record(
    client: &Client,
    record: &Image,
    want: &Platform,
) -> Result<ResolvedImage> {
    let target = record
        .target
        .as_ref()
        .map(Descriptor::from_containerd)
        .ok_or_else(|| Error::not_found(format!("image {} has no target", record.name)))?;
    let (manifest_desc, manifest) = platform_manifest(client, &target, want).await?;
    let config: ImageConfig = manifest::parse(
        "config",
        &manifest.config.digest,
        &read_blob(client, &manifest.config.digest).await?,
    )?;
    Ok(ResolvedImage {
        name: record.name.clone(),
        target,
        manifest_desc,
        manifest,
        config,
        record_created: record.created_at.as_ref().map(util::timestamp_to_system),
        labels: record.labels.clone(),
    })
}

/// Finds a local image the way docker does: by reference first, then by
/// (a prefix of) its id. None when nothing matches.
pub async fn find(client: &Client, input: &str, want: &Platform) -> Result<Option<ResolvedImage>> {
    if let Ok(r) = ImageRef::parse(input)
        && let Some(record) = get_record(client, &r.name()).await?
    {
        return resolve_record(client, &record, want).await.map(Some);
    }
    let Some(prefix) = id_prefix(input) else {
        return Ok(None);
    };
    let matches = find_by_id_prefix(client, &prefix, want).await?;
    let mut ids: Vec<&str> = matches.iter().map(|m| m.id()).collect();
    ids.sort();
    ids.dedup();
    match ids.len() {
        0 => Ok(None),
        1 => Ok(matches.into_iter().next()),
        _ => Err(Error::invalid(format!(
            "image id prefix {input:?} is ambiguous: it matches {} images",
            ids.len()
        ))),
    }
}

/// All images whose id starts with `prefix` (hex, no algorithm).
pub async fn find_by_id_prefix(
    client: &Client,
    prefix: &str,
    want: &Platform,
) -> Result<Vec<ResolvedImage>> {
    let records = list_records(client).await?;
    let resolved = resolve_all(client, &records, want).await;
    Ok(resolved
        .into_iter()
        .filter_map(|r| r.ok())
        .filter(|r| util::digest_hex(r.id()).starts_with(prefix))
        .collect())
}

/// Resolves many records concurrently; one broken image must not hide the rest.
pub async fn resolve_all(
    client: &Client,
    records: &[Image],
    want: &Platform,
) -> Vec<Result<ResolvedImage>> {
    futures::stream::iter(records.iter())
        .map(|rec| resolve_record(client, rec, want))
        .buffered(8)
        .collect()
        .await
}

/// docker's `ancestor=`: the containerd names of the images `inputs`
/// (names or id prefixes) stand for, with every other name of the same
/// image. One listing for all inputs.
pub async fn names_of_same_images(
    client: &Client,
    inputs: &[String],
    want: &Platform,
) -> Result<Vec<String>> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let records = list_records(client).await?;
    let resolved: Vec<ResolvedImage> = resolve_all(client, &records, want)
        .await
        .into_iter()
        .flatten()
        .collect();
    let mut names = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for input in inputs {
        if let Ok(r) = ImageRef::parse(input) {
            let name = r.name();
            ids.extend(resolved.iter().filter(|i| i.name == name).map(|i| i.id()));
            names.push(name);
        }
        if let Some(prefix) = id_prefix(input) {
            ids.extend(
                resolved
                    .iter()
                    .map(|i| i.id())
                    .filter(|id| util::digest_hex(id).starts_with(&prefix)),
            );
        }
    }
    names.extend(
        resolved
            .iter()
            .filter(|i| ids.contains(&i.id()))
            .map(|i| i.name.clone()),
    );
    Ok(names)
}

/// The hex prefix an id-like input stands for (`sha256:abc…`, `abc…`).
pub fn id_prefix(input: &str) -> Option<String> {
    let hex = input.strip_prefix("sha256:").unwrap_or(input);
    let ok = !hex.is_empty()
        && hex.len() <= 64
        && hex
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    ok.then(|| hex.to_string())
}

/// docker's SIZE: the unpacked size of all layers; the compressed size when
/// the image is not unpacked.
pub async fn image_size(client: &Client, image: &ResolvedImage) -> i64 {
    match layer_usages(client, image).await {
        Some(layers) => layers.iter().map(|(_, u)| u).sum(),
        None => {
            image.manifest.layers.iter().map(|l| l.size).sum::<i64>() + image.manifest.config.size
        }
    }
}

/// Each unpacked layer's snapshot (chain id) and its disk usage; None
/// when the image is not unpacked (or has no layers).
pub async fn layer_usages(client: &Client, image: &ResolvedImage) -> Option<Vec<(String, i64)>> {
    let chain = image.chain_ids();
    if chain.is_empty() {
        return None;
    }
    let usages: Vec<Result<i64>> = futures::stream::iter(chain.iter())
        .map(|key| async move { crate::snapshots::usage(client, "", key).await })
        .buffered(4)
        .collect()
        .await;
    chain
        .into_iter()
        .zip(usages)
        .map(|(key, u)| u.ok().map(|u| (key, u)))
        .collect()
}

/// Names of all records pointing at the same image id.
pub fn names_for_id<'a>(images: &'a [ResolvedImage], id: &str) -> Vec<&'a str> {
    images
        .iter()
        .filter(|i| i.id() == id)
        .map(|i| i.name.as_str())
        .collect()
}

/// Creates the image record `name`, or points an existing one at `target`.
pub async fn put_record(client: &Client, name: &str, target: &Descriptor) -> Result<()> {
    let image = Image {
        name: name.to_string(),
        target: Some(target.to_containerd()),
        ..Default::default()
    };
    match client
        .images()
        .create(containerd_client::services::v1::CreateImageRequest {
            image: Some(image.clone()),
            source_date_epoch: None,
        })
        .await
    {
        Ok(_) => Ok(()),
        Err(s) if is_already_exists(&s) => {
            client
                .images()
                .update(containerd_client::services::v1::UpdateImageRequest {
                    image: Some(image),
                    update_mask: Some(prost_types::FieldMask {
                        paths: vec!["target".to_string()],
                    }),
                    source_date_epoch: None,
                })
                .await?;
            Ok(())
        }
        Err(s) => Err(s.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_prefixes() {
        assert_eq!(id_prefix("abc123").as_deref(), Some("abc123"));
        assert_eq!(id_prefix("sha256:abc").as_deref(), Some("abc"));
        assert_eq!(id_prefix("busybox"), None);
        assert_eq!(id_prefix("ABC"), None);
        assert_eq!(id_prefix(""), None);
    }
}

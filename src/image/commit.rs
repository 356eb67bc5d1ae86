//! A new image from an existing one plus one layer (`commit`): the
//! base's layers and configuration, the layer appended with its diff id
//! and a history entry, the runtime defaults replaced. Written under the
//! caller's lease, named, and unpacked so `run` can use it at once.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::manifest::{ContainerConfig, Descriptor, OCI_CONFIG, OCI_MANIFEST};
use super::{Platform, ResolvedImage, content, platform, store, unpack};
use crate::client::Client;
use crate::error::{Error, Result};

/// The layer to add, already in the content store.
pub struct NewLayer {
    pub media_type: String,
    pub digest: String,
    pub size: i64,
    /// The uncompressed layer's digest.
    pub diff_id: String,
}

/// What the new image says of itself.
pub struct Meta {
    pub author: String,
    pub comment: String,
    /// The history entry's `created_by` (docker: the container's command).
    pub created_by: String,
}

/// Writes the image (with `leased`, the caller's lease) and names it
/// `name` (its manifest digest when None: an untagged image); returns
/// its id (the config digest).
pub async fn add_layer(
    client: &Client,
    leased: &Client,
    base: &ResolvedImage,
    layer: NewLayer,
    config: &ContainerConfig,
    meta: &Meta,
    name: Option<&str>,
) -> Result<String> {
    let raw = content::read_blob(leased, base.id()).await?;
    let mut cfg: Value = serde_json::from_slice(&raw)
        .map_err(|e| Error::invalid(format!("the image's configuration is not JSON: {e}")))?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    extend_config(&mut cfg, config, meta, &now, &layer.diff_id);
    let mut layers = base.manifest.layers.clone();
    layers.push(Descriptor {
        media_type: layer.media_type.clone(),
        digest: layer.digest.clone(),
        size: layer.size,
        ..Default::default()
    });
    write_image(client, leased, &cfg, &layers, name, &platform::host()).await
}

/// Writes an image's configuration and manifest (`layers` already in the
/// store) with the labels that keep them and their layers from the
/// collector, names it `name` (its manifest digest when None: untagged)
/// and unpacks it for `platform`; returns its id. Content goes through
/// `leased` (the caller's lease), the name and snapshots through `client`.
pub async fn write_image(
    client: &Client,
    leased: &Client,
    cfg: &Value,
    layers: &[Descriptor],
    name: Option<&str>,
    platform: &Platform,
) -> Result<String> {
    let cfg_bytes = serde_json::to_vec(cfg).expect("JSON");
    let cfg_digest = crate::util::sha256_digest(&cfg_bytes);
    let config_ref = format!("config-{cfg_digest}");
    content::write_bytes(leased, &config_ref, &cfg_digest, &cfg_bytes, HashMap::new()).await?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": cfg_digest, "size": cfg_bytes.len()},
        "layers": layers,
    });
    let man_bytes = serde_json::to_vec(&manifest).expect("JSON");
    let man_digest = crate::util::sha256_digest(&man_bytes);
    let mut labels = HashMap::from([(
        "containerd.io/gc.ref.content.config".to_string(),
        cfg_digest.clone(),
    )]);
    for (i, l) in layers.iter().enumerate() {
        labels.insert(
            format!("containerd.io/gc.ref.content.l.{i}"),
            l.digest.clone(),
        );
    }
    let manifest_ref = format!("manifest-{man_digest}");
    content::write_bytes(leased, &manifest_ref, &man_digest, &man_bytes, labels).await?;
    let target = Descriptor {
        media_type: OCI_MANIFEST.to_string(),
        digest: man_digest.clone(),
        size: man_bytes.len() as i64,
        ..Default::default()
    };
    let name = name.map(str::to_string).unwrap_or(man_digest);
    store::put_record(client, &name, &target).await?;
    if let Some(image) = store::find(client, &name, platform).await? {
        unpack::unpack_image(client, &image).await?;
    }
    Ok(cfg_digest)
}

/// The base's configuration with the container's defaults, the new
/// layer's diff id and a history entry.
fn extend_config(cfg: &mut Value, config: &ContainerConfig, meta: &Meta, now: &str, diff_id: &str) {
    cfg["created"] = json!(now);
    cfg["config"] = serde_json::to_value(config).expect("JSON");
    for (key, value) in [("author", &meta.author), ("comment", &meta.comment)] {
        match value.is_empty() {
            true => _ = cfg.as_object_mut().map(|o| o.remove(key)),
            false => cfg[key] = json!(value),
        }
    }
    if !cfg["rootfs"]["diff_ids"].is_array() {
        cfg["rootfs"] = json!({"type": "layers", "diff_ids": []});
    }
    if let Some(ids) = cfg["rootfs"]["diff_ids"].as_array_mut() {
        ids.push(json!(diff_id));
    }
    let mut entry = json!({"created": now, "created_by": meta.created_by});
    if !meta.author.is_empty() {
        entry["author"] = json!(meta.author);
    }
    if !meta.comment.is_empty() {
        entry["comment"] = json!(meta.comment);
    }
    match cfg["history"].as_array_mut() {
        Some(h) => h.push(entry),
        None => cfg["history"] = json!([entry]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_gains_a_layer_history_and_the_containers_defaults() {
        let mut cfg = json!({
            "architecture": "amd64", "os": "linux", "author": "old",
            "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": ["sha256:a"]},
            "history": [{"created_by": "base"}],
        });
        let config = ContainerConfig {
            cmd: vec!["sleep".into(), "1".into()],
            ..Default::default()
        };
        let meta = Meta {
            author: String::new(),
            comment: "msg".into(),
            created_by: "sleep 1".into(),
        };
        extend_config(&mut cfg, &config, &meta, "T", "sha256:b");
        assert_eq!(
            cfg,
            json!({
                "architecture": "amd64", "os": "linux", "created": "T",
                "config": {"Cmd": ["sleep", "1"]}, "comment": "msg",
                "rootfs": {"type": "layers", "diff_ids": ["sha256:a", "sha256:b"]},
                "history": [{"created_by": "base"}, {"created": "T", "created_by": "sleep 1", "comment": "msg"}],
            })
        );
    }
}

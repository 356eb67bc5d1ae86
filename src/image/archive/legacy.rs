//! docker's legacy archive layout (`docker save` before 25, podman's and
//! go-containerregistry's docker-archive): no OCI index, only manifest.json
//! naming a config file and layer tarballs by their paths in the archive.
//! manifest.json usually comes last, so as the entries stream by every file
//! that may be a config or a layer goes into the content store under its
//! computed digest (the lease drops what nothing names); at the end
//! manifest.json says which was which, and an image manifest is written for
//! each of its entries.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::json;

use super::invalid;
use crate::client::Client;
use crate::error::Result;
use crate::image::content::write_bytes;
use crate::image::manifest::{self, Descriptor};

const DOCKER_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar";
const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const OCI_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
/// Links followed at most, one to the next, when resolving a path.
const MAX_LINKS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// Read from a blob's first bytes.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// A file of the archive now in the content store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub digest: String,
    pub size: u64,
    pub compression: Compression,
}

/// The archive's files by path, and its links, as they streamed by.
#[derive(Default)]
pub struct Files {
    stored: HashMap<String, Stored>,
    links: HashMap<String, String>,
}

/// Files that are metadata, never a config or a layer.
pub fn is_candidate(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let top_metadata = matches!(
        path,
        "manifest.json" | "index.json" | "oci-layout" | "repositories"
    );
    let layer_metadata = path.contains('/') && matches!(name, "json" | "VERSION");
    !top_metadata && !layer_metadata
}

impl Files {
    pub fn add(&mut self, path: String, stored: Stored) {
        self.stored.insert(path, stored);
    }

    /// A link entry: `path` stands for `target` (already resolved against
    /// the link's directory and checked to stay inside the archive).
    pub fn add_link(&mut self, path: String, target: String) {
        self.links.insert(path, target);
    }

    fn resolve(&self, path: &str) -> Option<&Stored> {
        let mut path = path.trim_start_matches("./").to_string();
        for _ in 0..MAX_LINKS {
            if let Some(s) = self.stored.get(&path) {
                return Some(s);
            }
            path = self.links.get(&path)?.clone();
        }
        None
    }
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// One image of the archive: its new manifest and the names it came with.
pub struct LegacyImage {
    pub manifest: Descriptor,
    pub repo_tags: Vec<String>,
}

/// Writes a manifest for each entry of manifest.json. Docker media types,
/// unless a layer is zstd (which only OCI can say).
pub async fn images(
    client: &Client,
    files: &Files,
    manifest_json: &str,
) -> Result<Vec<LegacyImage>> {
    let entries: Vec<Entry> =
        serde_json::from_str(manifest_json).map_err(|e| invalid(format!("manifest.json: {e}")))?;
    if entries.is_empty() {
        return Err(invalid("manifest.json lists no images"));
    }
    let mut out = Vec::new();
    for entry in entries {
        let data = manifest_for(&entry, files)?;
        let digest = crate::util::sha256_digest(&data);
        let media_type = json_media_type(&data);
        write_bytes(
            client,
            &format!("manifest-{digest}"),
            &digest,
            &data,
            HashMap::new(),
        )
        .await?;
        out.push(LegacyImage {
            manifest: Descriptor {
                media_type,
                digest,
                size: data.len() as i64,
                ..Default::default()
            },
            repo_tags: entry.repo_tags.unwrap_or_default(),
        });
    }
    Ok(out)
}

fn json_media_type(data: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v["mediaType"].as_str().map(str::to_string))
        .unwrap_or_else(|| manifest::DOCKER_MANIFEST.to_string())
}

/// The manifest document for one entry, from the files it names.
fn manifest_for(entry: &Entry, files: &Files) -> Result<Vec<u8>> {
    let find = |path: &str| {
        files.resolve(path).ok_or_else(|| {
            invalid(format!(
                "manifest.json names {path:?}, which the archive does not hold"
            ))
        })
    };
    let config = find(&entry.config)?;
    let layers = entry
        .layers
        .iter()
        .map(|l| find(l))
        .collect::<Result<Vec<_>>>()?;
    let oci = layers.iter().any(|l| l.compression == Compression::Zstd);
    let layer_type = |c: Compression| match (oci, c) {
        (false, Compression::None) => DOCKER_LAYER,
        (false, _) => DOCKER_LAYER_GZIP,
        (true, Compression::None) => OCI_LAYER,
        (true, Compression::Gzip) => OCI_LAYER_GZIP,
        (true, Compression::Zstd) => OCI_LAYER_ZSTD,
    };
    let (manifest_type, config_type) = if oci {
        (manifest::OCI_MANIFEST, manifest::OCI_CONFIG)
    } else {
        (manifest::DOCKER_MANIFEST, manifest::DOCKER_CONFIG)
    };
    let doc = json!({
        "schemaVersion": 2,
        "mediaType": manifest_type,
        "config": {"mediaType": config_type, "digest": config.digest, "size": config.size},
        "layers": layers.iter().map(|l| json!({
            "mediaType": layer_type(l.compression),
            "digest": l.digest,
            "size": l.size,
        })).collect::<Vec<_>>(),
    });
    Ok(serde_json::to_vec(&doc)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(digest: &str, c: Compression) -> Stored {
        Stored {
            digest: digest.into(),
            size: 10,
            compression: c,
        }
    }

    #[test]
    fn metadata_is_not_stored() {
        for p in [
            "manifest.json",
            "repositories",
            "abc/json",
            "abc/VERSION",
            "index.json",
        ] {
            assert!(!is_candidate(p), "{p}");
        }
        for p in ["abc/layer.tar", "abc.json", "blobs/sha256/x", "json"] {
            assert!(is_candidate(p), "{p}");
        }
    }

    #[test]
    fn manifests_follow_links_and_say_the_compression() {
        let mut files = Files::default();
        files.add("c.json".into(), stored("sha256:c", Compression::None));
        files.add("a/layer.tar".into(), stored("sha256:a", Compression::None));
        files.add("b/layer.tar".into(), stored("sha256:b", Compression::Gzip));
        files.add_link("d/layer.tar".into(), "a/layer.tar".into());
        let entry = Entry {
            config: "c.json".into(),
            repo_tags: None,
            layers: vec![
                "a/layer.tar".into(),
                "b/layer.tar".into(),
                "./d/layer.tar".into(),
            ],
        };
        let doc: serde_json::Value =
            serde_json::from_slice(&manifest_for(&entry, &files).unwrap()).unwrap();
        assert_eq!(doc["mediaType"], manifest::DOCKER_MANIFEST);
        assert_eq!(doc["config"]["digest"], "sha256:c");
        let layers: Vec<(&str, &str)> = doc["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["digest"].as_str().unwrap(),
                    l["mediaType"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            layers,
            [
                ("sha256:a", DOCKER_LAYER),
                ("sha256:b", DOCKER_LAYER_GZIP),
                ("sha256:a", DOCKER_LAYER)
            ]
        );
        files.add("z/layer.tar".into(), stored("sha256:z", Compression::Zstd));
        let zstd = Entry {
            config: "c.json".into(),
            repo_tags: None,
            layers: vec!["z/layer.tar".into(), "a/layer.tar".into()],
        };
        let doc: serde_json::Value =
            serde_json::from_slice(&manifest_for(&zstd, &files).unwrap()).unwrap();
        assert_eq!(doc["mediaType"], manifest::OCI_MANIFEST);
        assert_eq!(doc["layers"][0]["mediaType"], OCI_LAYER_ZSTD);
        assert_eq!(doc["layers"][1]["mediaType"], OCI_LAYER);
    }

    #[test]
    fn a_missing_file_or_a_link_loop_is_named() {
        let mut files = Files::default();
        files.add_link("x".into(), "y".into());
        files.add_link("y".into(), "x".into());
        let entry = Entry {
            config: "x".into(),
            repo_tags: None,
            layers: vec![],
        };
        let e = manifest_for(&entry, &files).unwrap_err();
        assert_eq!(
            e.message(),
            "invalid image archive: manifest.json names \"x\", which the archive does not hold"
        );
    }
}

//! `inspect` of an image: docker's JSON document (Docker 28.3+, API 1.51:
//! `Config` last, its keys sorted).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::ResolvedImage;
use super::reference::ImageRef;
use crate::client::Client;
use crate::error::Result;

const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// `RepoTags` and `RepoDigests` from the containerd names of one image id.
fn repo_names(names: &[&str], digest: &str) -> (Vec<String>, Vec<String>) {
    let mut tags = Vec::new();
    let mut digests = Vec::new();
    for n in names {
        let Ok(r) = ImageRef::parse(n) else { continue };
        if r.tag().is_some() {
            tags.push(r.familiar());
        }
        let repo = format!("{}@{digest}", r.familiar_repository());
        if !digests.contains(&repo) {
            digests.push(repo);
        }
    }
    (tags, digests)
}

fn config(image: &ResolvedImage) -> Value {
    let c = &image.config.config;
    let list = |v: &Vec<String>| if v.is_empty() { Value::Null } else { json!(v) };
    let mut m: BTreeMap<&str, Value> = BTreeMap::from([
        ("Cmd", list(&c.cmd)),
        ("Entrypoint", list(&c.entrypoint)),
        ("Env", list(&c.env)),
        (
            "Labels",
            if c.labels.is_empty() {
                Value::Null
            } else {
                json!(c.labels)
            },
        ),
        ("OnBuild", list(&c.on_build)),
        ("User", json!(c.user.clone().unwrap_or_default())),
        (
            "Volumes",
            if c.volumes.is_empty() {
                Value::Null
            } else {
                json!(c.volumes)
            },
        ),
        (
            "WorkingDir",
            json!(c.working_dir.clone().unwrap_or_default()),
        ),
    ]);
    if !c.exposed_ports.is_empty() {
        m.insert("ExposedPorts", json!(c.exposed_ports));
    }
    if let Some(s) = &c.stop_signal {
        m.insert("StopSignal", json!(s));
    }
    if let Some(h) = &c.healthcheck {
        m.insert("Healthcheck", h.clone());
    }
    if !c.shell.is_empty() {
        m.insert("Shell", json!(c.shell));
    }
    if let Some(a) = c.args_escaped {
        m.insert("ArgsEscaped", json!(a));
    }
    json!(m)
}

/// The image's document; `names`: every containerd name of this image id.
pub async fn document(client: &Client, image: &ResolvedImage, names: &[&str]) -> Result<Value> {
    let (tags, digests) = repo_names(names, &image.target.digest);
    let size = super::store::image_size(client, image).await;
    let cfg = &image.config;
    let mut doc = json!({
        "Id": image.id(),
        "RepoTags": tags,
        "RepoDigests": digests,
        "Parent": "",
        "Comment": cfg.comment.clone().unwrap_or_default(),
        "Created": cfg.created.clone().unwrap_or_else(|| ZERO_TIME.to_string()),
        "DockerVersion": "",
        "Author": cfg.author.clone().unwrap_or_default(),
        "Architecture": cfg.architecture,
    });
    let m = doc.as_object_mut().expect("an object");
    if let Some(v) = &cfg.variant {
        m.insert("Variant".into(), json!(v));
    }
    m.insert("Os".into(), json!(cfg.os));
    m.insert("Size".into(), json!(size));
    m.insert(
        "GraphDriver".into(),
        json!({"Data": null, "Name": client.snapshotter()}),
    );
    m.insert(
        "RootFS".into(),
        json!({"Type": "layers", "Layers": cfg.rootfs.diff_ids}),
    );
    m.insert("Metadata".into(), json!({"LastTagTime": ZERO_TIME}));
    m.insert(
        "Descriptor".into(),
        json!({
            "mediaType": image.target.media_type,
            "digest": image.target.digest,
            "size": image.target.size,
        }),
    );
    m.insert("Config".into(), config(image));
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_digests() {
        let (tags, digests) = repo_names(
            &[
                "docker.io/library/busybox:latest",
                "docker.io/library/busybox:1.36",
                &format!("reg.example/x/y@sha256:{}", "a".repeat(64)),
            ],
            "sha256:abc",
        );
        assert_eq!(tags, ["busybox:latest", "busybox:1.36"]);
        assert_eq!(
            digests,
            ["busybox@sha256:abc", "reg.example/x/y@sha256:abc"]
        );
    }
}

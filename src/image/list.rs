//! Rows for `images`: one per image name, with docker's columns.

use std::time::SystemTime;

use super::manifest::Platform;
use super::reference::{ImageRef, glob_match, repo_and_tag};
use super::store::{layer_usages, list_records, resolve_all};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::util;
use containerd_client::services::v1::Image;

#[derive(Debug, Clone)]
pub struct ImageRow {
    /// containerd's name for the image.
    pub name: String,
    pub repository: String,
    pub tag: String,
    /// The image id (config digest), or the target digest when the image
    /// has no content for this platform.
    pub id: String,
    /// The digest the name points at (docker's repo digest).
    pub digest: String,
    pub created: Option<SystemTime>,
    pub size: i64,
    pub labels: std::collections::BTreeMap<String, String>,
    /// Unpacked layers (chain id, disk usage), for `system df -v`'s
    /// shared sizes; empty when unknown.
    pub layers: Vec<(String, i64)>,
}

/// `--filter` for images: `reference=`, `dangling=`, `label=`.
#[derive(Debug, Default, Clone)]
pub struct ImageFilters {
    pub reference: Vec<String>,
    pub dangling: Option<bool>,
    pub label: Vec<String>,
}

impl ImageFilters {
    pub fn parse(filters: &[String]) -> Result<ImageFilters> {
        let mut f = ImageFilters::default();
        for raw in filters {
            let (k, v) = raw.split_once('=').ok_or_else(|| {
                Error::invalid(format!("bad format of filter (expected name=value): {raw}"))
            })?;
            match k {
                "reference" => f.reference.push(v.to_string()),
                "dangling" => {
                    f.dangling = Some(match v {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => return Err(Error::invalid(format!("invalid filter 'dangling={v}'"))),
                    })
                }
                "label" => f.label.push(v.to_string()),
                "before" | "since" => {
                    return Err(Error::unsupported(format!(
                        "filter '{k}' is not supported yet"
                    )));
                }
                _ => return Err(Error::invalid(format!("invalid filter '{k}'"))),
            }
        }
        Ok(f)
    }

    fn keep(&self, row: &ImageRow) -> bool {
        if !self.reference.is_empty() {
            let familiar = ImageRef::parse(&row.name)
                .map(|r| r.familiar())
                .unwrap_or_default();
            let ok = self.reference.iter().any(|p| {
                glob_match(p, &row.repository)
                    || glob_match(p, &familiar)
                    || glob_match(p, &format!("{}:{}", row.repository, row.tag))
            });
            if !ok {
                return false;
            }
        }
        if let Some(d) = self.dangling
            && d != (row.repository == "<none>")
        {
            return false;
        }
        self.label.iter().all(|l| match l.split_once('=') {
            Some((k, v)) => row.labels.get(k).is_some_and(|x| x == v),
            None => row.labels.contains_key(l),
        })
    }
}

/// All images, newest first, filtered.
pub async fn list(
    client: &Client,
    platform: &Platform,
    filters: &ImageFilters,
) -> Result<Vec<ImageRow>> {
    let records = without_aliases(list_records(client).await?);
    let resolved = resolve_all(client, &records, platform).await;
    let mut rows = Vec::with_capacity(records.len());
    let sized = futures::future::join_all(resolved.iter().map(|r| async move {
        match r {
            Ok(img) => Some(match layer_usages(client, img).await {
                Some(layers) => (layers.iter().map(|(_, u)| u).sum(), layers),
                None => {
                    let m = &img.manifest;
                    let packed = m.layers.iter().map(|l| l.size).sum::<i64>() + m.config.size;
                    (packed, Vec::new())
                }
            }),
            Err(_) => None,
        }
    }))
    .await;
    for ((record, res), size) in records.iter().zip(resolved).zip(sized) {
        let (repository, tag) = repo_and_tag(&record.name);
        let target = record.target.clone().unwrap_or_default();
        let row = match res {
            Ok(img) => ImageRow {
                name: record.name.clone(),
                repository,
                tag,
                id: img.id().to_string(),
                digest: target.digest.clone(),
                created: img.created().or(img.record_created),
                size: size.as_ref().map_or(0, |s| s.0),
                labels: img.config.config.labels.clone(),
                layers: size.map(|s| s.1).unwrap_or_default(),
            },
            Err(e) => {
                tracing::debug!("image {}: {e}", record.name);
                ImageRow {
                    name: record.name.clone(),
                    repository,
                    tag,
                    id: target.digest.clone(),
                    digest: target.digest.clone(),
                    created: record.created_at.as_ref().map(util::timestamp_to_system),
                    size: target.size,
                    labels: Default::default(),
                    layers: Vec::new(),
                }
            }
        };
        if filters.keep(&row) {
            rows.push(row);
        }
    }
    rows.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
    Ok(rows)
}

/// The CRI plugin keeps each image it pulls under three names: `repo:tag`,
/// `repo@digest` and its id `sha256:…`. docker shows one row per tag (the
/// digest in its DIGEST column): a `repo@digest` name is left out where a
/// tag of that repository names the same image, an id name where any
/// other name does.
fn without_aliases(records: Vec<Image>) -> Vec<Image> {
    use std::collections::HashSet;
    let digest = |r: &Image| {
        r.target
            .as_ref()
            .map(|t| t.digest.clone())
            .unwrap_or_default()
    };
    let is_id = |n: &str| n.strip_prefix("sha256:").is_some_and(|h| h.len() == 64);
    let mut named = HashSet::new();
    let mut tagged = HashSet::new();
    for r in &records {
        if is_id(&r.name) {
            continue;
        }
        named.insert(digest(r));
        if !r.name.contains('@') {
            tagged.insert((repository_of(&r.name).to_string(), digest(r)));
        }
    }
    records
        .into_iter()
        .filter(|r| match r.name.split_once('@') {
            _ if is_id(&r.name) => !named.contains(&digest(r)),
            Some((repo, _)) => !tagged.contains(&(repo.to_string(), digest(r))),
            None => true,
        })
        .collect()
}

/// `host:5000/a/b:tag` → `host:5000/a/b`.
fn repository_of(name: &str) -> &str {
    match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => &name[..i],
        _ => name,
    }
}

#[cfg(test)]
mod alias_tests {
    use super::*;
    use containerd_client::types::Descriptor;

    fn img(name: &str, digest: &str) -> Image {
        Image {
            name: name.into(),
            target: Some(Descriptor {
                digest: digest.into(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn cri_names_of_one_image_give_one_row() {
        let id = format!("sha256:{}", "c".repeat(64));
        let rows = without_aliases(vec![
            img("r:5000/a/busybox:latest", "sha256:m1"),
            img("r:5000/a/busybox@sha256:m1", "sha256:m1"),
            img(&id, "sha256:m1"),
            // Pulled by digest only, and an image known by its id only.
            img("r:5000/a/pg@sha256:m2", "sha256:m2"),
            img(&format!("sha256:{}", "d".repeat(64)), "sha256:m3"),
        ]);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert_eq!(names[0], "r:5000/a/busybox:latest");
        assert_eq!(names[1], "r:5000/a/pg@sha256:m2");
        assert!(names[2].starts_with("sha256:dddd"));
        assert_eq!(repository_of("r:5000/a/b"), "r:5000/a/b");
    }
}

//! `image prune`: dangling images (no name, only a digest), or with `-a`
//! every image no container uses; `until=` and `label=`/`label!=` filters
//! as docker's.

use std::collections::HashSet;

use containerd_client::services::v1::{DeleteImageRequest, ListContainersRequest};

use super::manifest::Platform;
use super::reference::{ImageRef, repo_and_tag};
use super::remove::Removed;
use super::store::{self, ResolvedImage};
use crate::client::Client;
use crate::error::{Result, is_not_found};
use crate::util;

/// `image prune --filter`: docker's prune filters on an image.
pub type Filters = util::PruneFilter;

#[derive(Debug, Default)]
pub struct Pruned {
    pub removed: Vec<Removed>,
    /// Bytes the deleted images took.
    pub reclaimed: i64,
}

pub async fn prune(
    client: &Client,
    all: bool,
    filters: &Filters,
    platform: &Platform,
) -> Result<Pruned> {
    let records = store::list_records(client).await?;
    let resolved: Vec<ResolvedImage> = store::resolve_all(client, &records, platform)
        .await
        .into_iter()
        .filter_map(|r| r.ok())
        .collect();
    let used_names: HashSet<String> = client
        .containers()
        .list(ListContainersRequest { filters: vec![] })
        .await?
        .into_inner()
        .containers
        .into_iter()
        .map(|c| c.image)
        .collect();
    let used_ids: HashSet<&str> = resolved
        .iter()
        .filter(|i| used_names.contains(&i.name))
        .map(|i| i.id())
        .collect();
    let dangling = |name: &str| repo_and_tag(name).0 == "<none>";
    let doomed: Vec<&ResolvedImage> = resolved
        .iter()
        .filter(|i| {
            (all || dangling(&i.name))
                && !used_ids.contains(i.id())
                && filters.matches(i.created(), &i.config.config.labels)
        })
        .collect();
    let mut out = Pruned::default();
    let doomed_names: HashSet<&str> = doomed.iter().map(|i| i.name.as_str()).collect();
    for (n, image) in doomed.iter().enumerate() {
        // An id goes when all its names do; its last name is deleted with
        // a synchronous collection.
        let whole = resolved
            .iter()
            .filter(|o| o.id() == image.id())
            .all(|o| doomed_names.contains(o.name.as_str()));
        let last_of_id = !doomed[n + 1..].iter().any(|o| o.id() == image.id());
        let sync = whole && last_of_id;
        if sync {
            out.reclaimed += store::image_size(client, image).await;
        }
        match client
            .images()
            .delete(DeleteImageRequest {
                name: image.name.clone(),
                sync,
                target: None,
            })
            .await
        {
            Ok(_) => {}
            Err(s) if is_not_found(&s) => {}
            Err(s) => return Err(s.into()),
        }
        if !dangling(&image.name) {
            let shown = ImageRef::parse(&image.name)
                .map(|r| r.familiar())
                .unwrap_or_else(|_| image.name.clone());
            out.removed.push(Removed::Untagged(shown));
        }
        if sync {
            out.removed.push(Removed::Deleted(image.id().to_string()));
        }
    }
    let reclaimed = out.reclaimed.max(0).to_string();
    crate::events::publish(client, "image", "prune", "", &[("reclaimed", &reclaimed)]).await;
    Ok(out)
}

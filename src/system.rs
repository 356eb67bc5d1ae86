//! docker's `system` views over everything berth keeps: the disk usage
//! of images, containers, volumes and the build cache (`system df`).

use std::collections::{HashMap, HashSet};

use crate::build::cache;
use crate::buildkit::Address;
use crate::client::Client;
use crate::container::ops;
use crate::error::Result;
use crate::image::{Platform, list};
use crate::state::DataRoot;
use crate::volume::Volumes;

/// One line of `system df`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    pub total: usize,
    pub active: usize,
    pub size: i64,
    pub reclaimable: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiskUsage {
    pub images: Usage,
    pub containers: Usage,
    pub volumes: Usage,
    pub build_cache: Usage,
}

/// docker's `system df` for this namespace.
pub async fn disk_usage(
    client: &Client,
    data: &DataRoot,
    platform: &Platform,
    buildkit: &[Address],
) -> Result<DiskUsage> {
    let rows = ops::list(client).await?;
    let images = list::list(client, platform, &list::ImageFilters::default()).await?;
    // Images: one per id; active when a container uses it.
    let used_ids: HashSet<String> = rows
        .iter()
        .filter_map(|r| r.record.stored.as_ref().map(|s| s.image.clone()))
        .collect();
    let used_names: HashSet<&str> = rows.iter().map(|r| r.record.image_name.as_str()).collect();
    let mut by_id: HashMap<&str, (i64, bool)> = HashMap::new();
    for i in &images {
        let entry = by_id.entry(i.id.as_str()).or_insert((i.size, false));
        entry.1 |= used_ids.contains(&i.id) || used_names.contains(i.name.as_str());
    }
    let mut out = DiskUsage::default();
    for (size, active) in by_id.values() {
        out.images.total += 1;
        out.images.size += size;
        if *active {
            out.images.active += 1;
        } else {
            out.images.reclaimable += size;
        }
    }
    // Containers: what each wrote; a running one's is not reclaimable.
    for row in &rows {
        let written = match row.record.snapshot_key.is_empty() {
            true => 0,
            false => ops::written(client, &row.record).await as i64,
        };
        out.containers.total += 1;
        out.containers.size += written;
        if row.state.is_running() {
            out.containers.active += 1;
        } else {
            out.containers.reclaimable += written;
        }
    }
    // Volumes: their files; one a container names is active.
    let volumes = Volumes::new(data, client.namespace())?;
    let users = ops::volume_users(client).await?;
    for v in volumes.list()? {
        let size = volumes.size(&v) as i64;
        out.volumes.total += 1;
        out.volumes.size += size;
        if users.get(&v.name).is_some_and(|u| !u.is_empty()) {
            out.volumes.active += 1;
        } else {
            out.volumes.reclaimable += size;
        }
    }
    let records = cache::usage(buildkit).await?;
    out.build_cache = Usage {
        total: records.len(),
        active: records.iter().filter(|r| r.in_use).count(),
        size: records.iter().map(|r| r.size).sum(),
        reclaimable: cache::reclaimable(&records),
    };
    Ok(out)
}

/// `system df -v`: each image, container, volume and build-cache record.
#[derive(Debug, Default)]
pub struct Verbose {
    pub images: Vec<ImageUsage>,
    /// Each container with what it wrote.
    pub containers: Vec<(ops::ContainerRow, i64)>,
    pub volumes: Vec<VolumeUsage>,
    pub build_cache: Vec<crate::buildkit::proto::UsageRecord>,
}

/// One image (one row per id, as docker lists them).
#[derive(Debug, Clone)]
pub struct ImageUsage {
    pub row: list::ImageRow,
    /// What its layers share with other images (docker's `SharedSize`).
    pub shared: i64,
    /// Containers made from it.
    pub containers: usize,
}

#[derive(Debug, Clone)]
pub struct VolumeUsage {
    pub volume: crate::volume::Volume,
    /// Containers that name it.
    pub links: usize,
    pub size: i64,
}

/// docker's `system df -v` for this namespace.
pub async fn disk_usage_verbose(
    client: &Client,
    data: &DataRoot,
    platform: &Platform,
    buildkit: &[Address],
) -> Result<Verbose> {
    let rows = ops::list(client).await?;
    let images = list::list(client, platform, &list::ImageFilters::default()).await?;
    let mut out = Verbose::default();
    // A layer is shared when images of more than one id have it.
    let mut holders: HashMap<&str, HashSet<&str>> = HashMap::new();
    for i in &images {
        for (layer, _) in &i.layers {
            holders.entry(layer).or_default().insert(&i.id);
        }
    }
    // One row per image id, under its first name (docker's first tag).
    let mut shown: HashSet<&str> = HashSet::new();
    for i in images.iter().filter(|i| shown.insert(i.id.as_str())) {
        let shared = i
            .layers
            .iter()
            .filter(|(l, _)| holders.get(l.as_str()).is_some_and(|h| h.len() > 1))
            .map(|(_, u)| u)
            .sum();
        let containers = rows
            .iter()
            .filter(|r| {
                r.record.stored.as_ref().is_some_and(|s| s.image == i.id)
                    || r.record.image_name == i.name
            })
            .count();
        out.images.push(ImageUsage {
            row: i.clone(),
            shared,
            containers,
        });
    }
    for row in rows {
        let written = match row.record.snapshot_key.is_empty() {
            true => 0,
            false => ops::written(client, &row.record).await as i64,
        };
        out.containers.push((row, written));
    }
    let volumes = Volumes::new(data, client.namespace())?;
    let users = ops::volume_users(client).await?;
    for v in volumes.list()? {
        out.volumes.push(VolumeUsage {
            size: volumes.size(&v) as i64,
            links: users.get(&v.name).map_or(0, |u| u.len()),
            volume: v,
        });
    }
    out.build_cache = cache::usage(buildkit).await?;
    Ok(out)
}

/// What `system prune` removes besides stopped containers, unused
/// networks and dangling images.
#[derive(Debug, Clone, Copy, Default)]
pub struct PruneOptions {
    /// `-a`: every image no container uses, and all build cache.
    pub all: bool,
    /// `--volumes`: anonymous volumes no container uses.
    pub volumes: bool,
}

/// `system prune --filter`: docker's prune filters, handed to each part
/// that takes them (volumes the labels only, the build cache `until`).
#[derive(Debug, Clone, Default)]
pub struct SystemFilters {
    pub raw: Vec<String>,
}

/// Each part's report, in docker's order.
#[derive(Debug, Default)]
pub struct Pruned {
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
    pub images: Vec<crate::image::remove::Removed>,
    pub build_cache: Vec<String>,
    pub reclaimed: u64,
    /// Containers that could not go (docker goes on).
    pub failed: Vec<crate::error::Error>,
}

/// docker's `system prune`: containers, then networks, volumes (when
/// asked), images and the build cache (when a BuildKit daemon answers).
pub async fn prune(
    client: &Client,
    data: &DataRoot,
    platform: &Platform,
    buildkit: &[Address],
    (opts, filters): (PruneOptions, &SystemFilters),
) -> Result<Pruned> {
    let now = std::time::SystemTime::now();
    let picked = crate::util::PruneFilter::parse(&filters.raw, now)?;
    let mut out = Pruned::default();
    let c = ops::prune(client, data, &ops::PruneFilters::parse(&filters.raw, now)?).await?;
    out.containers = c.deleted;
    out.reclaimed += c.reclaimed;
    out.failed = c.failed;
    out.networks = crate::network::manage::prune(data.root(), client.namespace(), &picked)?;
    crate::events::publish(client, "network", "prune", "", &[("reclaimed", "0")]).await;
    if opts.volumes {
        let volumes = Volumes::new(data, client.namespace())?;
        let users = ops::volume_users(client).await?;
        let labels: Vec<String> = filters
            .raw
            .iter()
            .filter(|f| f.starts_with("label"))
            .cloned()
            .collect();
        let filters = crate::volume::PruneFilters::parse(&labels, false)?;
        let v = crate::volume::prune(&volumes, &filters, &users)?;
        let reclaimed = v.reclaimed.to_string();
        crate::events::publish(client, "volume", "prune", "", &[("reclaimed", &reclaimed)]).await;
        out.volumes = v.deleted;
        out.reclaimed += v.reclaimed;
    }
    let i = crate::image::prune::prune(client, opts.all, &picked, platform).await?;
    out.images = i.removed;
    out.reclaimed += i.reclaimed.max(0) as u64;
    let keep = picked
        .until()
        .map(|u| now.duration_since(u).unwrap_or_default());
    match cache::prune(buildkit, opts.all, keep, None).await {
        Ok(records) => {
            out.reclaimed += records.iter().map(|r| r.size.max(0) as u64).sum::<u64>();
            out.build_cache = records.into_iter().map(|r| r.id).collect();
        }
        Err(e) if e.kind() == crate::error::ErrorKind::Unavailable => {}
        Err(e) => return Err(e),
    }
    Ok(out)
}

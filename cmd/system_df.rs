//! `system df -v`: docker's four verbose tables (images with their shared
//! and unique sizes, containers as `ps` shows them, volumes with their
//! links, build-cache records), or one template over all four.

use berth::format::units::{human_size, human_size_with_precision};
use berth::format::{Field, Row, Value, render_rows, row_value};
use berth::system::{ImageUsage, Verbose, VolumeUsage};
use berth::util::short_id;

use crate::container_row::Ps;
use crate::output::{format_error, go_time, s, since, write_stdout};

/// One image, docker's `imageContext` as `df -v` fills it.
struct DfImage<'a> {
    u: &'a ImageUsage,
    trunc: bool,
}

fn none_if_empty(v: &str) -> &str {
    if v.is_empty() { "<none>" } else { v }
}

impl Row for DfImage<'_> {
    const GO_TYPE: &'static str = "*formatter.imageContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Containers", "CONTAINERS", |i| {
                s(i.u.containers.to_string())
            }),
            Field::new("CreatedAt", "CREATED AT", |i| {
                s(i.u.row.created.map(go_time).unwrap_or_default())
            }),
            Field::new("CreatedSince", "CREATED", |i| s(since(i.u.row.created))),
            Field::new("Digest", "DIGEST", |_| s("")),
            Field::new("ID", "IMAGE ID", |i| match i.trunc {
                true => s(short_id(&i.u.row.id)),
                false => s(&i.u.row.id),
            }),
            Field::new("Repository", "REPOSITORY", |i| {
                s(none_if_empty(&i.u.row.repository))
            }),
            Field::new("SharedSize", "SHARED SIZE", |i| {
                s(human_size(i.u.shared as f64))
            }),
            Field::new("Size", "SIZE", |i| {
                s(human_size_with_precision(i.u.row.size as f64, 3))
            }),
            Field::new("Tag", "TAG", |i| s(none_if_empty(&i.u.row.tag))),
            Field::new("UniqueSize", "UNIQUE SIZE", |i| {
                s(human_size((i.u.row.size - i.u.shared).max(0) as f64))
            }),
            Field::new("VirtualSize", "SIZE", |i| {
                s(human_size(i.u.row.size as f64))
            }),
        ]
    }
}

/// One volume, docker's `volumeContext` with its links and size.
struct DfVolume<'a>(&'a VolumeUsage);

impl Row for DfVolume<'_> {
    const GO_TYPE: &'static str = "*formatter.volumeContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Availability", "AVAILABILITY", |_| s("N/A")),
            Field::new("Driver", "DRIVER", |_| s("local")),
            Field::new("Group", "GROUP", |_| s("N/A")),
            Field::new("Labels", "LABELS", |v| {
                let pairs: Vec<String> =
                    v.0.volume
                        .labels
                        .iter()
                        .map(|(k, x)| format!("{k}={x}"))
                        .collect();
                s(pairs.join(","))
            }),
            Field::new("Links", "LINKS", |v| s(v.0.links.to_string())),
            Field::new("Mountpoint", "MOUNTPOINT", |v| {
                s(v.0.volume.mountpoint.display().to_string())
            }),
            Field::new("Name", "VOLUME NAME", |v| s(&v.0.volume.name)),
            Field::new("Scope", "SCOPE", |_| s("local")),
            Field::new("Size", "SIZE", |v| {
                s(human_size_with_precision(v.0.size as f64, 3))
            }),
            Field::new("Status", "STATUS", |_| s("N/A")),
        ]
    }
}

/// One build-cache record, docker's `buildCacheContext`.
struct DfCache<'a> {
    r: &'a berth::buildkit::proto::UsageRecord,
    trunc: bool,
}

fn ago(t: Option<&prost_types::Timestamp>) -> String {
    match t {
        Some(t) => since(Some(berth::util::timestamp_to_system(t))),
        None => String::new(),
    }
}

impl Row for DfCache<'_> {
    const GO_TYPE: &'static str = "*formatter.buildCacheContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("CacheType", "CACHE TYPE", |c| s(&c.r.record_type)),
            Field::new("CreatedSince", "CREATED", |c| {
                s(ago(c.r.created_at.as_ref()))
            }),
            Field::new("Description", "DESCRIPTION", |c| s(&c.r.description)),
            Field::new("ID", "CACHE ID", |c| {
                let id = match c.trunc {
                    true => c.r.id.chars().take(12).collect(),
                    false => c.r.id.clone(),
                };
                s(if c.r.in_use { format!("{id}*") } else { id })
            }),
            Field::new("InUse", "IN USE", |c| s(c.r.in_use.to_string())),
            Field::new("LastUsedSince", "LAST USED", |c| {
                s(ago(c.r.last_used_at.as_ref()))
            }),
            Field::new("Shared", "SHARED", |c| s(c.r.shared.to_string())),
            Field::new("Size", "SIZE", |c| {
                s(human_size_with_precision(c.r.size as f64, 3))
            }),
            Field::new("UsageCount", "USAGE", |c| s(c.r.usage_count.to_string())),
        ]
    }
}

const IMAGES: &str = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
const CONTAINERS: &str = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";
const VOLUMES: &str = "table {{.Name}}\t{{.Links}}\t{{.Size}}";
const CACHE: &str = "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}";

/// Prints `v` as docker does: its four tables, or `format` (any other
/// than `table`) executed once over all four, with no newline added.
pub fn print(v: &Verbose, format: Option<&str>) -> berth::Result<()> {
    let trunc = matches!(format, None | Some("table"));
    let images: Vec<DfImage> = v.images.iter().map(|u| DfImage { u, trunc }).collect();
    let containers: Vec<Ps> = v
        .containers
        .iter()
        .map(|(row, rw)| Ps {
            row,
            size: Some((*rw as u64, 0)),
            no_trunc: !trunc,
        })
        .collect();
    let volumes: Vec<DfVolume> = v.volumes.iter().map(DfVolume).collect();
    let cache: Vec<DfCache> = v.build_cache.iter().map(|r| DfCache { r, trunc }).collect();
    if !trunc {
        let template = match format {
            Some("json") => "{{json .}}",
            Some(f) => f,
            None => unreachable!("a table when no format is given"),
        };
        let list = |v: Vec<Value>| Value::List(v);
        let all = Value::Map(
            [
                ("Images", list(images.iter().map(row_value).collect())),
                (
                    "Containers",
                    list(containers.iter().map(row_value).collect()),
                ),
                ("Volumes", list(volumes.iter().map(row_value).collect())),
                ("BuildCache", list(cache.iter().map(row_value).collect())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        );
        let text = berth::format::render_one(template, &all).map_err(format_error)?;
        return write_stdout(text.strip_suffix('\n').unwrap_or(&text));
    }
    let total: i64 = v.build_cache.iter().map(|r| r.size).sum();
    let text = format!(
        "Images space usage:\n\n{}\nContainers space usage:\n\n{}\nLocal Volumes space usage:\n\n{}\nBuild cache usage: {}\n\n{}",
        render_rows(None, IMAGES, &images).map_err(format_error)?,
        render_rows(None, CONTAINERS, &containers).map_err(format_error)?,
        render_rows(None, VOLUMES, &volumes).map_err(format_error)?,
        human_size(total as f64),
        render_rows(None, CACHE, &cache).map_err(format_error)?,
    );
    write_stdout(&text)
}

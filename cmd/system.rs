//! `berth system df|prune` and `berth builder prune` (`system info` and
//! `system events` are `info` and `events`).

use berth::buildkit::Address;
use berth::format::units::human_size;
use berth::format::{Field, Row};
use berth::image::remove::Removed;
use berth::system::{self, PruneOptions, Usage};
use clap::Args;

use crate::ctx::Ctx;
use crate::output::{confirm, print_rows, s};

#[derive(Args, Debug)]
pub struct DfArgs {
    /// Format output using a custom template: 'table', 'table TEMPLATE',
    /// 'json' or a Go template
    #[arg(long = "format")]
    format: Option<String>,
    /// Show detailed information on space usage
    #[arg(short = 'v', long = "verbose")]
    verbose: bool,
    /// BuildKit daemon whose build cache is counted
    #[arg(long = "buildkit-host", env = "BUILDKIT_HOST", value_name = "ADDRESS")]
    buildkit_host: Option<String>,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all unused images not just dangling ones
    #[arg(short = 'a', long = "all")]
    all: bool,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long = "force")]
    force: bool,
    /// Prune anonymous volumes
    #[arg(long = "volumes")]
    volumes: bool,
    /// Provide filter values (e.g. "label=<key>=<value>")
    #[arg(long = "filter", value_name = "FILTER")]
    filter: Vec<String>,
    /// BuildKit daemon whose build cache is pruned
    #[arg(long = "buildkit-host", env = "BUILDKIT_HOST", value_name = "ADDRESS")]
    buildkit_host: Option<String>,
}

/// `builder prune`.
#[derive(Args, Debug)]
pub struct BuilderPruneArgs {
    /// Remove all unused build cache, not just dangling ones
    #[arg(short = 'a', long = "all")]
    all: bool,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long = "force")]
    force: bool,
    /// Provide filter values (`until=DURATION`)
    #[arg(long = "filter", value_name = "FILTER")]
    filter: Vec<String>,
    /// Amount of disk space to keep for cache (BuildKit's reserved space)
    #[arg(long = "keep-storage", value_name = "bytes", value_parser = berth::units::ram_in_bytes)]
    keep_storage: Option<i64>,
    /// BuildKit daemon to prune
    #[arg(long = "buildkit-host", env = "BUILDKIT_HOST", value_name = "ADDRESS")]
    buildkit_host: Option<String>,
}

fn addresses(ctx: &Ctx, host: Option<&str>) -> berth::Result<Vec<Address>> {
    match host {
        Some(h) if !h.is_empty() => Ok(vec![Address::parse(h)?]),
        _ => Ok(berth::build::default_addresses(&ctx.global.namespace)),
    }
}

/// One line of `system df`, docker's `diskUsage*Context`.
struct DfRow {
    kind: &'static str,
    usage: Usage,
    /// docker shows no percentage for the build cache.
    percent: bool,
}

impl Row for DfRow {
    const GO_TYPE: &'static str = "*formatter.diskUsageContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Active", "ACTIVE", |r| s(r.usage.active.to_string())),
            Field::new("Reclaimable", "RECLAIMABLE", |r| {
                let u = &r.usage;
                let shown = human_size(u.reclaimable as f64);
                match r.percent && u.size > 0 {
                    true => s(format!("{shown} ({}%)", u.reclaimable * 100 / u.size)),
                    false => s(shown),
                }
            }),
            Field::new("Size", "SIZE", |r| s(human_size(r.usage.size as f64))),
            Field::new("TotalCount", "TOTAL", |r| s(r.usage.total.to_string())),
            Field::new("Type", "TYPE", |r| s(r.kind)),
        ]
    }
}

const DF_TABLE: &str = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";

pub async fn df(ctx: &Ctx, a: DfArgs) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let buildkit = addresses(ctx, a.buildkit_host.as_deref())?;
    if a.verbose {
        let platform = ctx.platform(None)?;
        let v = system::disk_usage_verbose(client, &ctx.data_root(), &platform, &buildkit).await?;
        df_verbose::print(&v, a.format.as_deref())?;
        return Ok(0);
    }
    let u = system::disk_usage(client, &ctx.data_root(), &ctx.platform(None)?, &buildkit).await?;
    let rows = [
        DfRow {
            kind: "Images",
            usage: u.images,
            percent: true,
        },
        DfRow {
            kind: "Containers",
            usage: u.containers,
            percent: true,
        },
        DfRow {
            kind: "Local Volumes",
            usage: u.volumes,
            percent: true,
        },
        DfRow {
            kind: "Build Cache",
            usage: u.build_cache,
            percent: false,
        },
    ];
    print_rows(a.format.as_deref(), DF_TABLE, &rows)?;
    Ok(0)
}

pub async fn prune(ctx: &Ctx, a: PruneArgs) -> berth::Result<u8> {
    let filters = system::SystemFilters {
        raw: a.filter.clone(),
    };
    // Checked before the question, as docker does.
    berth::util::PruneFilter::parse(&filters.raw, std::time::SystemTime::now())?;
    if !a.force {
        let mut warning = String::from(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n",
        );
        if a.volumes {
            warning.push_str("  - all anonymous volumes not used by at least one container\n");
        }
        warning.push_str(match a.all {
            true => "  - all images without at least one container associated to them\n  - all build cache\n",
            false => "  - all dangling images\n  - unused build cache\n",
        });
        if !confirm(&warning) {
            return Ok(0);
        }
    }
    let client = ctx.client().await?;
    let buildkit = addresses(ctx, a.buildkit_host.as_deref())?;
    let opts = PruneOptions {
        all: a.all,
        volumes: a.volumes,
    };
    let p = system::prune(
        client,
        &ctx.data_root(),
        &ctx.platform(None)?,
        &buildkit,
        (opts, &filters),
    )
    .await?;
    for e in &p.failed {
        crate::output::daemon_error(e);
    }
    let mut text = String::new();
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            text.push_str(&format!("Deleted {title}:\n{}\n\n", lines.join("\n")));
        }
    };
    section("Containers", p.containers);
    section("Networks", p.networks);
    section("Volumes", p.volumes);
    let images = p
        .images
        .iter()
        .map(|r| match r {
            Removed::Untagged(n) => format!("untagged: {n}"),
            Removed::Deleted(id) => format!("deleted: {id}"),
        })
        .collect();
    section("Images", images);
    section("build cache objects", p.build_cache);
    text.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size(p.reclaimed as f64)
    ));
    crate::output::write_stdout(&text)?;
    Ok(0)
}

/// `builder prune`: BuildKit's cache, dangling (or `-a` all unused).
pub async fn builder_prune(ctx: &Ctx, a: BuilderPruneArgs) -> berth::Result<u8> {
    let mut keep = None;
    for f in &a.filter {
        match f.split_once('=') {
            Some(("until", d)) => {
                keep =
                    Some(berth::util::parse_go_duration(d).ok_or_else(|| {
                        berth::Error::invalid(format!("invalid filter 'until={d}'"))
                    })?)
            }
            _ => return Err(berth::Error::invalid(format!("invalid filter '{f}'"))),
        }
    }
    if !a.force {
        let warning = match a.all {
            true => "WARNING! This will remove all build cache.",
            false => "WARNING! This will remove all dangling build cache.",
        };
        if !confirm(warning) {
            return Ok(0);
        }
    }
    let buildkit = addresses(ctx, a.buildkit_host.as_deref())?;
    let removed = berth::build::cache::prune(&buildkit, a.all, keep, a.keep_storage).await?;
    let bytes: i64 = removed.iter().map(|r| r.size.max(0)).sum();
    let ids: Vec<String> = removed.into_iter().map(|r| r.id).collect();
    crate::output::write_stdout(&crate::output::pruned(
        "build cache objects",
        &ids,
        bytes as u64,
    ))?;
    Ok(0)
}

/// `system df -v`: docker's four verbose tables (images with their shared
/// and unique sizes, containers as `ps` shows them, volumes with their
/// links, build-cache records), or one template over all four.
mod df_verbose {
    use berth::format::units::{human_size, human_size_with_precision};
    use berth::format::{Field, Row, Value, render_rows, row_value};
    use berth::system::{ImageUsage, Verbose};
    use berth::util::short_id;

    use crate::output::container_row::Ps;
    use crate::output::volume_row::VolumeRow;
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
        let volumes: Vec<VolumeRow> = v
            .volumes
            .iter()
            .map(|u| VolumeRow {
                volume: &u.volume,
                usage: Some((u.links, u.size)),
            })
            .collect();
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
}

//! `berth images` / `berth image ls`.

use berth::format::Value;
use berth::image::list::{self, ImageFilters, ImageRow};
use berth::info::{Holding, other_namespaces};
use berth::util::short_id;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{go_time, obj, print_rows, s, since};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Show only images matching REPOSITORY[:TAG]
    reference: Option<String>,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Don't truncate output
    #[arg(long = "no-trunc")]
    no_trunc: bool,
    /// Show digests
    #[arg(long)]
    digests: bool,
    /// Show all images (berth has no intermediate images, so this lists the same)
    #[arg(short = 'a', long)]
    all: bool,
    /// Filter output based on conditions provided (reference=, dangling=, label=)
    #[arg(short = 'f', long = "filter")]
    filter: Vec<String>,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    format: Option<String>,
    /// Platform whose manifest gives ID, size and creation time (default: this host's)
    #[arg(long)]
    platform: Option<String>,
}

const DEFAULT_TABLE: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
const DIGEST_TABLE: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

fn headers() -> Value {
    obj(
        "imageHeaders",
        vec![
            ("Containers", s("CONTAINERS")),
            ("CreatedAt", s("CREATED AT")),
            ("CreatedSince", s("CREATED")),
            ("Digest", s("DIGEST")),
            ("ID", s("IMAGE ID")),
            ("Repository", s("REPOSITORY")),
            ("SharedSize", s("SHARED SIZE")),
            ("Size", s("SIZE")),
            ("Tag", s("TAG")),
            ("UniqueSize", s("UNIQUE SIZE")),
            ("VirtualSize", s("VIRTUAL SIZE")),
        ],
        vec![],
    )
}

fn row_value(r: &ImageRow, no_trunc: bool) -> Value {
    let id = if no_trunc {
        r.id.clone()
    } else {
        short_id(&r.id).to_string()
    };
    let size = berth::format::units::human_size_with_precision(r.size as f64, 3);
    // Alphabetical, as docker's JSON of an image row is.
    obj(
        "*formatter.ImageContext",
        vec![
            ("Containers", s("N/A")),
            ("CreatedAt", s(r.created.map(go_time).unwrap_or_default())),
            ("CreatedSince", s(since(r.created))),
            ("Digest", s(&r.digest)),
            ("ID", s(id)),
            ("Repository", s(&r.repository)),
            ("SharedSize", s("N/A")),
            ("Size", s(&size)),
            ("Tag", s(&r.tag)),
            ("UniqueSize", s("N/A")),
            ("VirtualSize", s(&size)),
        ],
        vec![],
    )
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let _ = args.all;
    let mut filter_args = args.filter.clone();
    if let Some(r) = &args.reference {
        filter_args.push(format!("reference={r}"));
    }
    let filters = ImageFilters::parse(&filter_args)?;
    let client = ctx.client().await?;
    let platform = ctx.platform(args.platform.as_deref())?;
    let rows = list::list(client, &platform, &filters).await?;
    if rows.is_empty() && filter_args.is_empty() {
        hint_other_namespaces(ctx).await;
    }
    let values: Vec<Value> = rows.iter().map(|r| row_value(r, args.no_trunc)).collect();
    let default = if args.digests {
        DIGEST_TABLE
    } else {
        DEFAULT_TABLE
    };
    let format = if args.quiet {
        Some("{{.ID}}")
    } else {
        args.format.as_deref()
    };
    print_rows(format, default, &headers(), &values)?;
    Ok(0)
}

async fn hint_other_namespaces(ctx: &Ctx) {
    let Ok(client) = ctx.client().await else {
        return;
    };
    if let Ok(others) = other_namespaces(client, Holding::Images).await
        && !others.is_empty()
    {
        crate::ps::print_namespace_hint("images", client.namespace(), &others);
    }
}

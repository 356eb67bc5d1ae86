//! `berth images` / `berth image ls`.

use berth::format::{Field, Row};
use berth::image::list::{self, ImageFilters, ImageRow};
use berth::info::{Holding, other_namespaces};
use berth::util::short_id;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{go_time, print_rows, s, since};

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

/// One `images` row as docker's `ImageContext` presents it.
struct Img<'a> {
    row: &'a ImageRow,
    no_trunc: bool,
}

impl Img<'_> {
    fn id(&self) -> String {
        if self.no_trunc {
            self.row.id.clone()
        } else {
            short_id(&self.row.id).to_string()
        }
    }

    fn size(&self) -> String {
        berth::format::units::human_size_with_precision(self.row.size as f64, 3)
    }
}

impl Row for Img<'_> {
    const GO_TYPE: &'static str = "*formatter.ImageContext";
    const HEADER_TYPE: &'static str = "imageHeaders";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Containers", "CONTAINERS", |_| s("N/A")),
            Field::new("CreatedAt", "CREATED AT", |i| {
                s(i.row.created.map(go_time).unwrap_or_default())
            }),
            Field::new("CreatedSince", "CREATED", |i| s(since(i.row.created))),
            Field::new("Digest", "DIGEST", |i| s(&i.row.digest)),
            Field::new("ID", "IMAGE ID", |i| s(i.id())),
            Field::new("Repository", "REPOSITORY", |i| s(&i.row.repository)),
            Field::new("SharedSize", "SHARED SIZE", |_| s("N/A")),
            Field::new("Size", "SIZE", |i| s(i.size())),
            Field::new("Tag", "TAG", |i| s(&i.row.tag)),
            Field::new("UniqueSize", "UNIQUE SIZE", |_| s("N/A")),
            Field::new("VirtualSize", "VIRTUAL SIZE", |i| s(i.size())),
        ]
    }
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
    let rows: Vec<Img> = rows
        .iter()
        .map(|row| Img {
            row,
            no_trunc: args.no_trunc,
        })
        .collect();
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
    print_rows(format, default, &rows)?;
    Ok(0)
}

async fn hint_other_namespaces(ctx: &Ctx) {
    let Ok(client) = ctx.client().await else {
        return;
    };
    if let Ok(others) = other_namespaces(client, Holding::Images).await
        && !others.is_empty()
    {
        crate::output::print_namespace_hint("images", client.namespace(), &others);
    }
}

//! `berth history` / `berth image history`.

use berth::format::{Field, Row};
use berth::image::history::{self, HistoryRow};
use berth::util::short_id;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{ellipsis, print_rows, s, since};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Image (name or id)
    image: String,
    /// Print sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, action = clap::ArgAction::Set)]
    human: bool,
    /// Don't truncate output
    #[arg(long = "no-trunc")]
    no_trunc: bool,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    format: Option<String>,
    /// Platform whose image to show (default: this host's)
    #[arg(long)]
    platform: Option<String>,
}

const DEFAULT_TABLE: &str =
    "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

/// One history row as docker's `historyContext` presents it.
struct Hist<'a> {
    row: &'a HistoryRow,
    trunc: bool,
    human: bool,
}

impl Hist<'_> {
    fn id(&self) -> String {
        match &self.row.id {
            None => "<missing>".to_string(),
            Some(id) if self.trunc => short_id(id).to_string(),
            Some(id) => id.clone(),
        }
    }

    fn created_by(&self) -> String {
        let by = self.row.created_by.replace('\t', " ");
        if self.trunc { ellipsis(&by, 45) } else { by }
    }

    /// docker prints RFC 3339 in the local zone here (Go's time.RFC3339).
    fn created_at(&self) -> String {
        let Some(t) = self.row.created else {
            return String::new();
        };
        let local = chrono::DateTime::<chrono::Local>::from(t);
        let text = local.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
        match text.strip_suffix("+00:00") {
            Some(utc) => format!("{utc}Z"),
            None => text,
        }
    }

    fn size(&self) -> String {
        if self.human {
            berth::format::units::human_size_with_precision(self.row.size as f64, 3)
        } else {
            self.row.size.to_string()
        }
    }
}

impl Row for Hist<'_> {
    const GO_TYPE: &'static str = "*formatter.historyContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Comment", "COMMENT", |h| s(&h.row.comment)),
            Field::new("CreatedAt", "CREATED AT", |h| s(h.created_at())),
            Field::new("CreatedBy", "CREATED BY", |h| s(h.created_by())),
            Field::new("CreatedSince", "CREATED", |h| {
                s(if h.human {
                    since(h.row.created)
                } else {
                    h.created_at()
                })
            }),
            Field::new("ID", "IMAGE", |h| s(h.id())),
            Field::new("Size", "SIZE", |h| s(h.size())),
        ]
    }
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let platform = ctx.platform(args.platform.as_deref())?;
    let rows = history::history(client, &args.image, &platform).await?;
    let rows: Vec<Hist> = rows
        .iter()
        .map(|row| Hist {
            row,
            trunc: !args.no_trunc,
            human: args.human,
        })
        .collect();
    let format = if args.quiet {
        Some("{{.ID}}")
    } else {
        args.format.as_deref()
    };
    print_rows(format, DEFAULT_TABLE, &rows)?;
    Ok(0)
}

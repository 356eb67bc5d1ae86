//! `berth inspect`, `container inspect`, `image inspect`: docker's JSON
//! documents as an array indented by four spaces, or `-f` per object.

use berth::container::ops;
use berth::image::{inspect as iinspect, store};
use berth::{Error, ErrorKind};
use clap::{Args as ClapArgs, ValueEnum};

use crate::ctx::Ctx;
use crate::output::{self, write_stdout};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Names or IDs
    #[arg(required = true, value_name = "NAME|ID")]
    names: Vec<String>,
    /// Format output using a custom template: 'json', or a Go template
    #[arg(short = 'f', long)]
    format: Option<String>,
    /// Only inspect objects of this type
    #[arg(long = "type", value_enum)]
    kind: Option<Kind>,
    #[command(flatten)]
    unsupported: Unsupported,
}

crate::unsupported_flags!(Unsupported {
    size: bool = "size", 's';
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Container,
    Image,
}

/// One name's document, or docker's error for it.
async fn document(
    ctx: &Ctx,
    rows: &[ops::ContainerRow],
    name: &str,
    kind: Option<Kind>,
) -> berth::Result<serde_json::Value> {
    let client = ctx.client().await?;
    if kind != Some(Kind::Image) {
        match ops::find(rows, name) {
            Ok(row) => {
                let dir = ctx
                    .data_root()
                    .container_dir(client.namespace(), &row.record.id)?;
                return Ok(serde_json::to_value(ops::inspect(
                    row,
                    &dir,
                    client.snapshotter(),
                ))?);
            }
            Err(e) if kind == Some(Kind::Container) => {
                return Err(e);
            }
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            Err(_) => {}
        }
    }
    let platform = ctx.platform(None)?;
    match store::find(client, name, &platform).await? {
        Some(img) => {
            let all =
                store::resolve_all(client, &store::list_records(client).await?, &platform).await;
            let same: Vec<_> = all
                .into_iter()
                .flatten()
                .filter(|i| i.id() == img.id())
                .collect();
            let names = store::names_for_id(&same, img.id());
            iinspect::document(client, &img, &names).await
        }
        None if kind == Some(Kind::Image) => {
            let shown = berth::image::ImageRef::parse(name)
                .map(|r| r.familiar())
                .unwrap_or_else(|_| name.to_string());
            Err(Error::not_found(format!("No such image: {shown}")))
        }
        None => Err(Error::not_found(format!("No such object: {name}"))),
    }
}

pub async fn exec(ctx: &Ctx, args: Args, kind: Option<Kind>) -> berth::Result<u8> {
    args.unsupported.check("inspect")?;
    let kind = kind.or(args.kind);
    let client = ctx.client().await?;
    let rows = if kind == Some(Kind::Image) {
        Vec::new()
    } else {
        ops::list(client).await?
    };
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for name in &args.names {
        match document(ctx, &rows, name, kind).await {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    let text = crate::output::documents_text(&docs, args.format.as_deref())?;
    write_stdout(&text)?;
    for e in &errors {
        // `inspect` names "objects" itself; the typed verbs say the daemon's words.
        if kind.is_none() {
            eprintln!("Error: {}", e.message());
        } else {
            output::daemon_error(e);
        }
    }
    Ok(u8::from(!errors.is_empty()))
}

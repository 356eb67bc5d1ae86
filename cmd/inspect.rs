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
    /// Display total file sizes if the type is container
    #[arg(short = 's', long = "size")]
    size: bool,
    /// Inspect a specific platform of a multi-platform image (default:
    /// this host's)
    #[arg(long)]
    platform: Option<String>,
}

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
    (size, platform): (bool, Option<&str>),
) -> berth::Result<serde_json::Value> {
    let client = ctx.client().await?;
    if kind != Some(Kind::Image) {
        match ops::find(rows, name) {
            Ok(row) => {
                let dir = ctx
                    .data_root()
                    .container_dir(client.namespace(), &row.record.id)?;
                let doc = serde_json::to_value(ops::inspect(row, &dir, client.snapshotter()))?;
                if !size {
                    return Ok(doc);
                }
                let sizes = ops::sizes(client, &[&row.record]).await;
                let (rw, rootfs) = sizes.get(&row.record.id).copied().unwrap_or_default();
                return Ok(with_sizes(doc, rw, rootfs));
            }
            Err(e) if kind == Some(Kind::Container) => {
                return Err(e);
            }
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            Err(_) => {}
        }
    }
    let platform = ctx.platform(platform)?;
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

/// docker's `SizeRw` and `SizeRootFs`, after `GraphDriver` as docker
/// places them.
fn with_sizes(doc: serde_json::Value, rw: u64, rootfs: u64) -> serde_json::Value {
    let serde_json::Value::Object(map) = doc else {
        return doc;
    };
    let mut out = serde_json::Map::new();
    for (k, v) in map {
        let after = k == "GraphDriver";
        out.insert(k, v);
        if after {
            out.insert("SizeRw".into(), serde_json::json!(rw));
            out.insert("SizeRootFs".into(), serde_json::json!(rootfs));
        }
    }
    serde_json::Value::Object(out)
}

pub async fn exec(ctx: &Ctx, args: Args, kind: Option<Kind>) -> berth::Result<u8> {
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
        match document(
            ctx,
            &rows,
            name,
            kind,
            (args.size, args.platform.as_deref()),
        )
        .await
        {
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

//! `berth save` / `berth image save`: images as one archive (OCI layout
//! plus docker's manifest.json) to a file or stdout.

use std::io::IsTerminal;
use std::path::PathBuf;

use berth::image::archive::save::{self, Format};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Images to save (names or ids)
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<String>,
    /// Write to a file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Platform to save (default: this host's)
    #[arg(long)]
    platform: Option<String>,
    /// Archive format: docker (OCI layout with manifest.json) or oci
    #[arg(long, default_value = "docker", value_parser = ["docker", "oci"])]
    format: String,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let platform = ctx.platform(args.platform.as_deref())?;
    let format = if args.format == "oci" {
        Format::Oci
    } else {
        Format::Docker
    };
    let io = |e: std::io::Error| berth::Error::new(berth::ErrorKind::Io, e.to_string());
    match &args.output {
        Some(path) => {
            let (pending, file) = berth::util::PendingFile::create(path).await.map_err(io)?;
            let file = save::save(client, &args.images, &platform, format, file).await?;
            pending.commit(file).await.map_err(io)?;
        }
        None => {
            if std::io::stdout().is_terminal() {
                return Err(berth::Error::invalid(
                    "cowardly refusing to save to a terminal. Use the -o flag or redirect",
                ));
            }
            save::save(client, &args.images, &platform, format, tokio::io::stdout()).await?;
        }
    }
    Ok(0)
}

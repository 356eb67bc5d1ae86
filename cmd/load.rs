//! `berth load` / `berth image load`: an image archive (docker save's OCI
//! layout with manifest.json, a plain OCI layout, or docker's legacy
//! layout; gzip or not) from a file or stdin into containerd.

use std::io::IsTerminal;
use std::path::PathBuf;

use berth::image::archive::load;
use berth::image::reference::ImageRef;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Read from this archive file instead of stdin
    #[arg(short = 'i', long = "input", value_name = "FILE")]
    input: Option<PathBuf>,
    /// Suppress the load output
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Unpack this platform (which every image must have) instead of the host's
    #[arg(long)]
    platform: Option<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let opts = load::LoadOptions {
        names: Vec::new(),
        platform: args
            .platform
            .as_deref()
            .map(|p| ctx.platform(Some(p)))
            .transpose()?,
    };
    let loaded = match &args.input {
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| berth::Error::invalid(format!("open {}: {e}", path.display())))?;
            load::load_from(client, file, &opts).await?
        }
        None => {
            if std::io::stdin().is_terminal() {
                return Err(berth::Error::invalid(
                    "requested load from stdin, but stdin is empty",
                ));
            }
            load::load_from(client, std::io::stdin(), &opts).await?
        }
    };
    if !args.quiet {
        for l in &loaded {
            match ImageRef::parse(&l.name) {
                Ok(r) if r.name() == l.name => println!("Loaded image: {}", r.familiar()),
                _ => println!("Loaded image ID: {}", l.id.as_deref().unwrap_or(&l.digest)),
            }
        }
    }
    Ok(0)
}

//! `berth load` / `berth image load`: an image archive (docker save's OCI
//! layout with manifest.json, or a plain OCI layout; gzip or not) from a
//! file or stdin into containerd.

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
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let loaded = match &args.input {
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| berth::Error::invalid(format!("open {}: {e}", path.display())))?;
            load::load_from(client, file, &[]).await?
        }
        None => {
            if std::io::stdin().is_terminal() {
                return Err(berth::Error::invalid(
                    "requested load from stdin, but stdin is empty",
                ));
            }
            load::load_from(client, std::io::stdin(), &[]).await?
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

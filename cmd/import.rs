//! `berth import` / `berth image import`: a filesystem tarball (file or
//! stdin, plain or gzip) as a one-layer image.

use berth::image::ImageRef;
use berth::image::archive::import::{self, ImportOptions};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The tarball: a file, or - for stdin
    file: String,
    /// Name for the image
    #[arg(value_name = "REPOSITORY[:TAG]")]
    reference: Option<String>,
    /// Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR); repeatable
    #[arg(short = 'c', long = "change")]
    changes: Vec<String>,
    /// Commit message for the image's history
    #[arg(short = 'm', long)]
    message: Option<String>,
    /// Platform to record (default: this host's)
    #[arg(long)]
    platform: Option<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    if args.file.starts_with("http://") || args.file.starts_with("https://") {
        return Err(berth::Error::unsupported(
            "import from a URL is not supported yet; download it first",
        ));
    }
    let name = args
        .reference
        .as_deref()
        .map(|r| ImageRef::parse(r).map(|r| r.name()))
        .transpose()?;
    let opts = ImportOptions {
        name,
        changes: args.changes,
        message: args.message,
        platform: ctx.platform(args.platform.as_deref())?,
    };
    let client = ctx.client().await?;
    let id = if args.file == "-" {
        import::import(client, std::io::stdin(), &opts).await?
    } else {
        let f = std::fs::File::open(&args.file)
            .map_err(|e| berth::Error::invalid(format!("open {}: {e}", args.file)))?;
        import::import(client, f, &opts).await?
    };
    println!("{id}");
    Ok(0)
}

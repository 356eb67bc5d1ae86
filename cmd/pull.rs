//! `berth pull`.

use berth::image::pull::{self, PullOptions};
use berth::image::{ImageRef, Platform};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::progress::pull_progress;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Image to pull: NAME[:TAG|@DIGEST]
    image: String,
    /// Suppress verbose output; print only the image reference
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Platform to pull, e.g. linux/arm64 (default: this host's)
    #[arg(long)]
    platform: Option<String>,
    /// How many layers to download at once
    #[arg(long = "max-concurrent-downloads", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    max_concurrent_downloads: u16,
    /// Skip image verification (berth does not verify signatures; only true is accepted)
    #[arg(long = "disable-content-trust", default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    disable_content_trust: bool,
    #[command(flatten)]
    unsupported: Unsupported,
}

crate::unsupported_flags!(Unsupported {
    all_tags: bool = "all-tags", 'a';
});

/// Pulls with docker's status lines (shared with `run --pull`).
pub async fn pull_image(
    ctx: &Ctx,
    image: &ImageRef,
    platform: Platform,
    quiet: bool,
    max: usize,
) -> berth::Result<pull::Pulled> {
    let client = ctx.client().await?;
    if !quiet {
        let tag = image.tag().or(image.digest()).unwrap_or("latest");
        let repo = image
            .repository()
            .strip_prefix("library/")
            .unwrap_or(image.repository());
        eprintln!("{tag}: Pulling from {repo}");
    }
    let opts = PullOptions {
        platform,
        max_concurrent_downloads: max,
        insecure_registries: ctx.global.insecure_registry.clone(),
    };
    let pulled = pull::pull(client, image, &opts, pull_progress(quiet)).await?;
    if !quiet {
        eprintln!("Digest: {}", pulled.digest);
        if pulled.updated {
            eprintln!("Status: Downloaded newer image for {}", image.familiar());
        } else {
            eprintln!("Status: Image is up to date for {}", image.familiar());
        }
    }
    Ok(pulled)
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    args.unsupported.check("pull")?;
    if !args.disable_content_trust {
        return Err(berth::Error::unsupported(
            "content trust (image signing) is not supported yet",
        ));
    }
    let image = ImageRef::parse(&args.image)?;
    let last = args.image.rsplit('/').next().unwrap_or(&args.image);
    if !args.quiet && !last.contains(':') && !args.image.contains('@') {
        eprintln!("Using default tag: latest");
    }
    let platform = ctx.platform(args.platform.as_deref())?;
    pull_image(
        ctx,
        &image,
        platform,
        args.quiet,
        args.max_concurrent_downloads as usize,
    )
    .await?;
    println!("{}", image.name());
    Ok(0)
}

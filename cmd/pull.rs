//! `berth pull`.

use berth::image::ImageRef;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::progress::pull_image;

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
    /// How many layers to download at once [default: 3; 1, largest first, where layers unpack in parallel]
    #[arg(long = "max-concurrent-downloads", value_parser = clap::value_parser!(u16).range(1..))]
    max_concurrent_downloads: Option<u16>,
    /// Skip image verification (berth does not verify signatures; only true is accepted)
    #[arg(long = "disable-content-trust", default_value_t = true, action = clap::ArgAction::Set,
          num_args = 0..=1, require_equals = true, default_missing_value = "true", hide = true)]
    disable_content_trust: bool,
    /// Download all tagged images in the repository
    #[arg(short = 'a', long = "all-tags")]
    all_tags: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    if !args.disable_content_trust {
        return Err(berth::Error::unsupported(
            "content trust (image signing) is not supported yet",
        ));
    }
    let image = ImageRef::parse(&args.image)?;
    if args.all_tags {
        return all_tags(ctx, &image, &args).await;
    }
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
        args.max_concurrent_downloads.map(usize::from),
    )
    .await?;
    println!("{}", image.name());
    Ok(0)
}

/// `pull -a`: every tag of the repository, one pull each, then the
/// repository's name (docker's last line).
async fn all_tags(ctx: &Ctx, image: &ImageRef, args: &Args) -> berth::Result<u8> {
    let last = args.image.rsplit('/').next().unwrap_or(&args.image);
    if last.contains(':') || args.image.contains('@') {
        return Err(berth::Error::invalid("tag can't be used with --all-tags/-a").cli());
    }
    let repo = format!("{}/{}", image.registry(), image.repository());
    let platform = ctx.platform(args.platform.as_deref())?;
    let tags = berth::image::registry::tags::list(image, &ctx.global.insecure_registry).await?;
    for tag in tags {
        let one = ImageRef::parse(&format!("{repo}:{tag}"))?;
        pull_image(
            ctx,
            &one,
            platform.clone(),
            args.quiet,
            args.max_concurrent_downloads.map(usize::from),
        )
        .await?;
    }
    println!("{repo}");
    Ok(0)
}

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
    #[arg(long = "disable-content-trust", default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    disable_content_trust: bool,
    #[command(flatten)]
    unsupported: Unsupported,
}

crate::unsupported_flags!(Unsupported {
    all_tags: bool = "all-tags", 'a';
});

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
        args.max_concurrent_downloads.map(usize::from),
    )
    .await?;
    println!("{}", image.name());
    Ok(0)
}

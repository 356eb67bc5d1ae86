//! `berth push` / `berth image push`: docker's lines, per layer, on stdout.

use berth::image::ImageRef;
use berth::image::push::{self, PushOptions};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::progress::push::PushView;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Image to push: NAME[:TAG]
    image: String,
    /// Push only this platform's manifest
    #[arg(long)]
    platform: Option<String>,
    /// Push every platform of a multi-platform image
    #[arg(short = 'a', long = "all-platforms", conflicts_with = "platform")]
    all_platforms: bool,
    /// Suppress verbose output; print only the pushed reference
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Skip image signing (berth does not sign; only true is accepted)
    #[arg(long = "disable-content-trust", default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    disable_content_trust: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    if !args.disable_content_trust {
        return Err(berth::Error::unsupported(
            "content trust (image signing) is not supported yet",
        ));
    }
    let client = ctx.client().await?;
    let image = ImageRef::parse(&args.image)?;
    let opts = PushOptions {
        platform: args
            .platform
            .as_deref()
            .map(|p| ctx.platform(Some(p)))
            .transpose()?,
        all_platforms: args.all_platforms,
        insecure_registries: ctx.global.insecure_registry.clone(),
    };
    let quiet = args.quiet;
    if !quiet {
        println!(
            "The push refers to repository [{}]",
            image.familiar_repository()
        );
    }
    let view = PushView::new(quiet);
    let pushed = push::push(client, &image, &opts, &|e| view.handle(e)).await;
    view.finish();
    let pushed = pushed?;
    if quiet {
        println!("{}", image.familiar());
    } else {
        let tag = image.tag().unwrap_or("latest");
        println!("{tag}: digest: {} size: {}", pushed.digest, pushed.size);
    }
    Ok(0)
}

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
    /// Push every platform of a multi-platform image (berth's; docker's
    /// `-a` is `--all-tags`)
    #[arg(long = "all-platforms", conflicts_with = "platform")]
    all_platforms: bool,
    /// Push all tags of an image to the repository
    #[arg(short = 'a', long = "all-tags")]
    all_tags: bool,
    /// Suppress verbose output; print only the pushed reference
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Skip image signing (berth does not sign; only true is accepted)
    #[arg(long = "disable-content-trust", default_value_t = true, action = clap::ArgAction::Set,
          num_args = 0..=1, require_equals = true, default_missing_value = "true", hide = true)]
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
    let tags = match args.all_tags {
        true => local_tags(client, &args.image, &image).await?,
        false => vec![image.clone()],
    };
    if !quiet {
        println!(
            "The push refers to repository [{}]",
            image.familiar_repository()
        );
    }
    for image in &tags {
        let view = PushView::new(quiet);
        let pushed = push::push(client, image, &opts, &|e| view.handle(e)).await;
        view.finish();
        let pushed = pushed?;
        if quiet {
            println!("{}", image.familiar());
        } else {
            let tag = image.tag().unwrap_or("latest");
            println!("{tag}: digest: {} size: {}", pushed.digest, pushed.size);
        }
    }
    Ok(0)
}

/// `push -a`: every local tag of the repository, in name order.
async fn local_tags(
    client: &berth::Client,
    typed: &str,
    image: &ImageRef,
) -> berth::Result<Vec<ImageRef>> {
    let last = typed.rsplit('/').next().unwrap_or(typed);
    if last.contains(':') || typed.contains('@') {
        return Err(berth::Error::invalid("tag can't be used with --all-tags/-a").cli());
    }
    let repo = format!("{}/{}:", image.registry(), image.repository());
    let mut names: Vec<String> = berth::image::store::list_records(client)
        .await?
        .into_iter()
        .map(|r| r.name)
        .filter(|n| n.starts_with(&repo) && !n[repo.len()..].contains('@'))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(berth::Error::not_found(format!(
            "An image does not exist locally with the tag: {}",
            image.familiar_repository()
        )));
    }
    names.iter().map(|n| ImageRef::parse(n)).collect()
}

//! The image a new container is made from, as docker's CLI finds it before
//! it creates: the local one, or pulled as `--pull` says, in one call that
//! reports what happens (cmd/ renders it).

use clap::ValueEnum;

use super::pull::{self, Progress, PullEvent, PullOptions, Pulled};
use super::{ImageRef, ResolvedImage, store};
use crate::client::Client;
use crate::error::{Error, Result};

/// When to pull the image of a new container.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum PullPolicy {
    Always,
    #[default]
    Missing,
    Never,
}

/// A pull as `docker pull` reports it: where from, the layers, the result.
pub async fn pull_reported(
    client: &Client,
    image: &ImageRef,
    opts: &PullOptions,
    progress: Progress,
) -> Result<Pulled> {
    progress(PullEvent::Pulling {
        // docker names the repository's path on the registry, so Docker
        // Hub's official images show as `library/NAME`.
        tag: image
            .tag()
            .or(image.digest())
            .unwrap_or("latest")
            .to_string(),
        repository: image.repository().to_string(),
    });
    let pulled = pull::pull(client, image, opts, progress.clone()).await?;
    let named = image.familiar();
    let repo = named.rsplit_once(':').map_or(named.as_str(), |(r, _)| r);
    crate::events::publish(client, "image", "pull", &named, &[("name", repo)]).await;
    progress(PullEvent::Done {
        digest: pulled.digest.clone(),
        updated: pulled.updated,
        reference: image.familiar(),
    });
    Ok(pulled)
}

/// The image `input` names for a new container, pulled when `policy` says.
pub async fn for_container(
    client: &Client,
    input: &str,
    policy: PullPolicy,
    opts: &PullOptions,
    progress: Progress,
) -> Result<ResolvedImage> {
    if policy != PullPolicy::Always
        && let Some(img) = store::find(client, input, &opts.platform).await?
    {
        return Ok(img);
    }
    let reference = ImageRef::parse(input);
    if policy == PullPolicy::Never {
        // docker's daemon names the reference it looked for.
        let shown = reference.map_or_else(|_| input.to_string(), |r| r.familiar());
        return Err(Error::not_found(format!("No such image: {shown}")));
    }
    let reference = reference?;
    if policy == PullPolicy::Missing {
        progress(PullEvent::NotLocal {
            reference: reference.familiar(),
        });
    }
    pull_reported(client, &reference, opts, progress).await?;
    store::find(client, &reference.name(), &opts.platform)
        .await?
        .ok_or_else(|| Error::not_found(format!("No such image: {input}")))
}

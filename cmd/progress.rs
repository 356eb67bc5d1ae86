//! Pulling as docker shows it: per-layer bars when stderr is a terminal,
//! docker's plain status lines otherwise, nothing at all with -q; and the
//! image for a new container, pulled as `--pull` says.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use berth::Error;
use berth::container::options::{ContainerOptions, PullPolicy};
use berth::image::pull::{self, Progress, PullEvent, PullOptions};
use berth::image::{ImageRef, Platform, ResolvedImage, store};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ctx::Ctx;

enum Mode {
    Quiet,
    Plain,
    Bars {
        multi: MultiProgress,
        bars: HashMap<String, ProgressBar>,
    },
}

struct Renderer {
    mode: Mode,
    existed: HashSet<String>,
}

impl Renderer {
    fn line(&self, layer: &str, status: &str) {
        eprintln!("{layer}: {status}");
    }

    fn handle(&mut self, ev: PullEvent) {
        if let PullEvent::AlreadyExists { layer } = &ev {
            self.existed.insert(layer.clone());
        }
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Plain => match ev {
                PullEvent::Waiting { layer, .. } => self.line(&layer, "Pulling fs layer"),
                PullEvent::AlreadyExists { layer } => self.line(&layer, "Already exists"),
                PullEvent::Resuming { layer, offset } => {
                    self.line(&layer, &format!("Resuming download at byte {offset}"))
                }
                PullEvent::Downloaded { layer } => self.line(&layer, "Download complete"),
                PullEvent::PullComplete { layer } if !self.existed.contains(&layer) => {
                    self.line(&layer, "Pull complete")
                }
                _ => {}
            },
            Mode::Bars { multi, bars } => {
                let style = ProgressStyle::with_template(
                    "{prefix}: {msg:<16} [{bar:30}] {bytes}/{total_bytes}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
                let done = ProgressStyle::with_template("{prefix}: {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                match ev {
                    PullEvent::Waiting { layer, size } => {
                        let bar = multi.add(ProgressBar::new(size));
                        bar.set_style(done.clone());
                        bar.set_prefix(layer.clone());
                        bar.set_message("Waiting");
                        bars.insert(layer, bar);
                    }
                    PullEvent::AlreadyExists { layer } => {
                        if let Some(b) = bars.get(&layer) {
                            b.set_style(done);
                            b.finish_with_message("Already exists");
                        }
                    }
                    PullEvent::Resuming { layer, offset } => {
                        if let Some(b) = bars.get(&layer) {
                            b.set_style(style);
                            b.set_position(offset);
                            b.set_message("Resuming");
                        }
                    }
                    PullEvent::Downloading {
                        layer,
                        current,
                        total,
                    } => {
                        if let Some(b) = bars.get(&layer) {
                            if b.message() != "Downloading" {
                                b.set_style(style);
                                b.set_length(total);
                                b.set_message("Downloading");
                            }
                            b.set_position(current);
                        }
                    }
                    PullEvent::Downloaded { layer } => {
                        if let Some(b) = bars.get(&layer) {
                            b.set_style(done);
                            b.set_message("Download complete");
                        }
                    }
                    PullEvent::Extracting { layer } => {
                        if let Some(b) = bars.get(&layer)
                            && !self.existed.contains(&layer)
                        {
                            b.set_style(done);
                            b.set_message("Extracting");
                        }
                    }
                    PullEvent::PullComplete { layer } => {
                        if let Some(b) = bars.get(&layer)
                            && !self.existed.contains(&layer)
                        {
                            b.set_style(done);
                            b.finish_with_message("Pull complete");
                        }
                    }
                    PullEvent::Resolved { .. } => {}
                }
            }
        }
    }
}

/// A progress sink for `pull`; `quiet` silences it.
pub fn pull_progress(quiet: bool) -> Progress {
    let mode = if quiet {
        Mode::Quiet
    } else if crate::output::stderr_is_tty() {
        Mode::Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            bars: HashMap::new(),
        }
    } else {
        Mode::Plain
    };
    let r = Arc::new(Mutex::new(Renderer {
        mode,
        existed: HashSet::new(),
    }));
    Arc::new(move |ev| {
        if let Ok(mut r) = r.lock() {
            r.handle(ev);
        }
    })
}

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
        // docker names the repository's path on the registry, so Docker
        // Hub's official images show as `library/NAME`.
        eprintln!("{tag}: Pulling from {}", image.repository());
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

/// The image for a new container: found locally, or pulled (with docker's
/// status lines) as `--pull` says.
pub async fn image_for_container(
    ctx: &Ctx,
    input: &str,
    opts: &ContainerOptions,
    quiet: bool,
) -> berth::Result<ResolvedImage> {
    let client = ctx.client().await?;
    let want = ctx.platform(opts.platform.as_deref())?;
    if opts.pull != PullPolicy::Always
        && let Some(img) = store::find(client, input, &want).await?
    {
        return Ok(img);
    }
    if opts.pull == PullPolicy::Never {
        return Err(Error::not_found(format!("No such image: {input}")));
    }
    let reference = ImageRef::parse(input)?;
    if opts.pull == PullPolicy::Missing && !quiet {
        eprintln!("Unable to find image '{}' locally", reference.familiar());
    }
    pull_image(ctx, &reference, want.clone(), quiet, 3).await?;
    store::find(client, &reference.name(), &want)
        .await?
        .ok_or_else(|| Error::not_found(format!("No such image: {input}")))
}

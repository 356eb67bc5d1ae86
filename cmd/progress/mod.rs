//! Pulling as docker shows it: per-layer bars when stderr is a terminal,
//! docker's plain status lines otherwise, nothing at all with -q; and the
//! image for a new container, pulled as `--pull` says.

pub mod build;
pub mod push;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use berth::container::ContainerFlags;
use berth::image::choose;
use berth::image::pull::{self, Progress, PullEvent, PullOptions};
use berth::image::registry::retry::seconds;
use berth::image::{ImageRef, Platform, ResolvedImage};
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

pub(crate) fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
        .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ ")
}

/// A layer's line: `<id>: <status>`.
pub(crate) fn status_style() -> ProgressStyle {
    style("{prefix}: {msg}")
}

/// Downloading: bytes so far of the total, with a bar.
pub(crate) fn bytes_style() -> ProgressStyle {
    style("{prefix}: {msg:<16} [{bar:30}] {bytes}/{total_bytes}")
}

/// Extracting reports no progress (containerd's Diff.Apply has none): say
/// what is honest, that it is alive and for how long.
fn extracting_style() -> ProgressStyle {
    style("{prefix}: {msg:<16} {spinner} {elapsed}")
}

impl Renderer {
    fn line(&self, layer: &str, status: &str) {
        eprintln!("{layer}: {status}");
    }

    fn handle(&mut self, ev: PullEvent) {
        if let PullEvent::AlreadyExists { layer } = &ev {
            self.existed.insert(layer.clone());
        }
        if matches!(self.mode, Mode::Quiet) {
            return;
        }
        match ev {
            PullEvent::NotLocal { reference } => {
                return eprintln!("Unable to find image '{reference}' locally");
            }
            PullEvent::Pulling { tag, repository } => {
                return eprintln!("{tag}: Pulling from {repository}");
            }
            PullEvent::Done {
                digest,
                updated,
                reference,
            } => {
                self.finish();
                eprintln!("Digest: {digest}");
                let status = match updated {
                    true => "Downloaded newer image for",
                    false => "Image is up to date for",
                };
                return eprintln!("Status: {status} {reference}");
            }
            _ => {}
        }
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Plain => match ev {
                PullEvent::Waiting { layer, .. } => self.line(&layer, "Pulling fs layer"),
                PullEvent::AlreadyExists { layer } => self.line(&layer, "Already exists"),
                PullEvent::Resuming { layer, offset } => {
                    self.line(&layer, &format!("Resuming download at byte {offset}"))
                }
                PullEvent::Retrying {
                    layer,
                    delay,
                    reason,
                } => self.line(
                    &layer,
                    &format!("Retrying in {} ({reason})", seconds(delay)),
                ),
                PullEvent::Downloaded { layer } => self.line(&layer, "Download complete"),
                PullEvent::PullComplete { layer } if !self.existed.contains(&layer) => {
                    self.line(&layer, "Pull complete")
                }
                _ => {}
            },
            Mode::Bars { multi, bars } => {
                let existed = self.existed.contains(ev_layer(&ev));
                bar_event(multi, bars, ev, existed)
            }
        }
    }

    /// Leaves every layer's last line in place and the cursor on a fresh
    /// line, so what is printed next starts there.
    fn finish(&mut self) {
        if let Mode::Bars { multi, bars } = &mut self.mode {
            for bar in bars.values() {
                if !bar.is_finished() {
                    bar.disable_steady_tick();
                    bar.abandon();
                }
            }
            bars.clear();
            let _ = multi;
            self.mode = Mode::Quiet;
        }
    }
}

fn ev_layer(ev: &PullEvent) -> &str {
    match ev {
        PullEvent::Resolved { .. }
        | PullEvent::NotLocal { .. }
        | PullEvent::Pulling { .. }
        | PullEvent::Done { .. } => "",
        PullEvent::Waiting { layer, .. }
        | PullEvent::AlreadyExists { layer }
        | PullEvent::Resuming { layer, .. }
        | PullEvent::Retrying { layer, .. }
        | PullEvent::Downloading { layer, .. }
        | PullEvent::Downloaded { layer }
        | PullEvent::Extracting { layer }
        | PullEvent::PullComplete { layer } => layer,
    }
}

fn bar_event(
    multi: &MultiProgress,
    bars: &mut HashMap<String, ProgressBar>,
    ev: PullEvent,
    existed: bool,
) {
    if let PullEvent::Waiting { layer, size } = &ev {
        let bar = multi.add(ProgressBar::new(*size));
        bar.set_style(status_style());
        bar.set_prefix(layer.clone());
        bar.set_message("Waiting");
        bars.insert(layer.clone(), bar);
        return;
    }
    let Some(b) = bars.get(ev_layer(&ev)) else {
        return;
    };
    match ev {
        PullEvent::AlreadyExists { .. } => {
            b.set_style(status_style());
            b.finish_with_message("Already exists");
        }
        PullEvent::Resuming { offset, .. } => {
            b.set_style(bytes_style());
            b.set_position(offset);
            b.set_message("Resuming");
        }
        PullEvent::Retrying { delay, .. } => {
            b.set_style(status_style());
            b.set_message(format!("Retrying in {}", seconds(delay)));
        }
        PullEvent::Downloading { current, total, .. } => {
            if b.message() != "Downloading" {
                b.set_style(bytes_style());
                b.set_length(total);
                b.set_message("Downloading");
            }
            b.set_position(current);
        }
        PullEvent::Downloaded { .. } => {
            b.set_style(status_style());
            b.set_message("Download complete");
        }
        PullEvent::Extracting { .. } if !existed => {
            b.set_style(extracting_style());
            b.set_message("Extracting");
            b.reset_elapsed();
            b.enable_steady_tick(Duration::from_millis(120));
        }
        PullEvent::PullComplete { .. } if !existed => {
            b.disable_steady_tick();
            b.set_style(status_style());
            b.finish_with_message("Pull complete");
        }
        _ => {}
    }
}

/// Pull progress: bars on a terminal, docker's lines otherwise, nothing
/// with -q. `finish` before printing anything after the pull.
pub struct PullView {
    renderer: Arc<Mutex<Renderer>>,
}

impl PullView {
    pub fn new(quiet: bool) -> PullView {
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
        PullView {
            renderer: Arc::new(Mutex::new(Renderer {
                mode,
                existed: HashSet::new(),
            })),
        }
    }

    /// The sink the library's pull reports to.
    pub fn sink(&self) -> Progress {
        let r = self.renderer.clone();
        Arc::new(move |ev| {
            if let Ok(mut r) = r.lock() {
                r.handle(ev);
            }
        })
    }

    pub fn finish(&self) {
        if let Ok(mut r) = self.renderer.lock() {
            r.finish();
        }
    }
}

/// Pulls with docker's status lines (`pull`).
pub async fn pull_image(
    ctx: &Ctx,
    image: &ImageRef,
    platform: Platform,
    quiet: bool,
    max: Option<usize>,
) -> berth::Result<pull::Pulled> {
    let client = ctx.client().await?;
    let opts = pull_options(ctx, platform, max);
    let view = PullView::new(quiet);
    let pulled = choose::pull_reported(client, image, &opts, view.sink()).await;
    view.finish();
    pulled
}

/// The image for a new container, found or pulled as `--pull` says, the
/// pull shown as `pull` shows it.
pub async fn image_for_container(
    ctx: &Ctx,
    flags: &ContainerFlags,
    quiet: bool,
) -> berth::Result<ResolvedImage> {
    let client = ctx.client().await?;
    let opts = pull_options(ctx, ctx.platform(flags.platform.as_deref())?, None);
    let view = PullView::new(quiet);
    let image = choose::for_container(client, flags.image()?, flags.pull, &opts, view.sink()).await;
    view.finish();
    image
}

fn pull_options(ctx: &Ctx, platform: Platform, max: Option<usize>) -> PullOptions {
    PullOptions {
        platform,
        max_concurrent_downloads: max,
        insecure_registries: ctx.global.insecure_registry.clone(),
    }
}

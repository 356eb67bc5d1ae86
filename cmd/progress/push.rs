//! Pushing as docker shows it, on stdout: per-layer bars on a terminal,
//! docker's plain lines otherwise, nothing with -q.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use berth::image::push::PushEvent;
use berth::image::registry::retry::seconds;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget};

use super::{bytes_style, status_style};

enum Mode {
    Quiet,
    Plain,
    Bars {
        multi: MultiProgress,
        bars: HashMap<String, ProgressBar>,
    },
}

pub struct PushView {
    mode: Mutex<Mode>,
}

impl PushView {
    pub fn new(quiet: bool) -> PushView {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stdout().is_terminal() {
            Mode::Bars {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stdout()),
                bars: HashMap::new(),
            }
        } else {
            Mode::Plain
        };
        PushView {
            mode: Mutex::new(mode),
        }
    }

    /// What the library's push reports to.
    pub fn handle(&self, ev: PushEvent) {
        let Ok(mut mode) = self.mode.lock() else {
            return;
        };
        match &mut *mode {
            Mode::Quiet => {}
            Mode::Plain => {
                if let Some((layer, line)) = plain_line(ev) {
                    println!("{layer}: {line}");
                }
            }
            Mode::Bars { multi, bars } => bar_event(multi, bars, ev),
        }
    }

    /// Leaves each layer's last line in place, the cursor on a fresh line.
    pub fn finish(&self) {
        if let Ok(mut mode) = self.mode.lock()
            && let Mode::Bars { bars, .. } = &mut *mode
        {
            for bar in bars.values().filter(|b| !b.is_finished()) {
                bar.abandon();
            }
            bars.clear();
            // Dropping the MultiProgress leaves the cursor below its lines.
            *mode = Mode::Quiet;
        }
    }
}

/// docker's line for an event (none for byte counts).
fn plain_line(ev: PushEvent) -> Option<(String, String)> {
    Some(match ev {
        PushEvent::Preparing { layer } => (layer, "Preparing".into()),
        PushEvent::Exists { layer } => (layer, "Layer already exists".into()),
        PushEvent::Mounted { layer, from } => (layer, format!("Mounted from {from}")),
        PushEvent::Pushed { layer } => (layer, "Pushed".into()),
        PushEvent::Retrying {
            layer,
            delay,
            reason,
        } => (layer, format!("Retrying in {} ({reason})", seconds(delay))),
        PushEvent::Pushing { .. } => return None,
    })
}

fn bar_event(multi: &MultiProgress, bars: &mut HashMap<String, ProgressBar>, ev: PushEvent) {
    if let PushEvent::Preparing { layer } = &ev {
        let bar = multi.add(ProgressBar::new(0));
        bar.set_style(status_style());
        bar.set_prefix(layer.clone());
        bar.set_message("Preparing");
        bars.insert(layer.clone(), bar);
        return;
    }
    if let PushEvent::Pushing {
        layer,
        current,
        total,
    } = &ev
    {
        if let Some(b) = bars.get(layer) {
            if b.message() != "Pushing" {
                b.set_style(bytes_style());
                b.set_length(*total);
                b.set_message("Pushing");
            }
            b.set_position(*current);
        }
        return;
    }
    let finished = !matches!(ev, PushEvent::Retrying { .. });
    let Some((layer, line)) = plain_line(ev) else {
        return;
    };
    if let Some(b) = bars.get(&layer) {
        b.set_style(status_style());
        if finished {
            b.finish_with_message(line);
        } else {
            b.set_message(line);
        }
    }
}

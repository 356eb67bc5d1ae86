//! Build progress on stderr: docker's plain `#N` lines, a live view of the
//! steps on a terminal (tty), BuildKit's status as JSON lines (rawjson), or
//! nothing (-q).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use berth::build::progress::PlainPrinter;
use berth::build::{BuildEvent, Events};
use berth::buildkit::proto::StatusResponse;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

enum Mode {
    Quiet,
    Plain(PlainPrinter),
    Json,
    Tty(Tty),
}

struct Tty {
    multi: MultiProgress,
    bars: HashMap<String, ProgressBar>,
    numbers: HashMap<String, usize>,
    done: HashMap<String, bool>,
    /// Last log lines per step, shown when the step fails.
    logs: HashMap<String, Vec<String>>,
    plain: PlainPrinter,
}

pub struct Progress {
    mode: Arc<Mutex<Mode>>,
}

impl Progress {
    pub fn new(mode: &str, terminal: bool) -> Progress {
        let mode = match mode {
            "quiet" => Mode::Quiet,
            "rawjson" => Mode::Json,
            "tty" | "auto" if terminal || mode == "tty" => Mode::Tty(Tty {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                bars: HashMap::new(),
                numbers: HashMap::new(),
                done: HashMap::new(),
                logs: HashMap::new(),
                plain: PlainPrinter::new(),
            }),
            _ => Mode::Plain(PlainPrinter::new()),
        };
        Progress {
            mode: Arc::new(Mutex::new(mode)),
        }
    }

    pub fn events(&self) -> Events {
        let mode = self.mode.clone();
        Arc::new(move |ev| {
            let Ok(mut m) = mode.lock() else { return };
            match ev {
                BuildEvent::Notice(n) => match &*m {
                    Mode::Quiet => {}
                    Mode::Tty(t) => {
                        let _ = t.multi.println(format!("WARNING: {n}"));
                    }
                    _ => eprintln!("WARNING: {n}"),
                },
                BuildEvent::Status(s) => render(&mut m, &s),
            }
        })
    }

    /// Ends the live view (a failed step's last log lines were printed
    /// when it failed).
    pub fn finish(&self) {
        let Ok(mut m) = self.mode.lock() else { return };
        if let Mode::Plain(p) = &mut *m {
            eprint!("{}", p.finish());
        }
        if let Mode::Tty(t) = &mut *m {
            for bar in t.bars.values() {
                if !bar.is_finished() {
                    bar.abandon();
                }
            }
        }
        let _ = std::io::stderr().flush();
    }
}

fn render(m: &mut Mode, s: &StatusResponse) {
    match m {
        Mode::Quiet => {}
        Mode::Plain(p) => {
            let text = p.update(s);
            if !text.is_empty() {
                eprint!("{text}");
            }
        }
        Mode::Json => eprintln!("{}", json(s)),
        Mode::Tty(t) => t.update(s),
    }
}

impl Tty {
    fn update(&mut self, s: &StatusResponse) {
        // The plain printer numbers steps and catches errors; its text is
        // kept per step for failures.
        let _ = self.plain.update(s);
        for l in &s.logs {
            let lines = self.logs.entry(l.vertex.clone()).or_default();
            lines.extend(String::from_utf8_lossy(&l.msg).lines().map(str::to_string));
            let excess = lines.len().saturating_sub(10);
            lines.drain(..excess);
        }
        for v in &s.vertexes {
            let seen = v.started.is_some() || v.cached || v.completed.is_some();
            if (!seen && !self.bars.contains_key(&v.digest))
                || self.done.get(&v.digest) == Some(&true)
            {
                continue;
            }
            let n = self.numbers.len() + 1;
            let number = *self.numbers.entry(v.digest.clone()).or_insert(n);
            let bar = self.bars.entry(v.digest.clone()).or_insert_with(|| {
                let b = self.multi.add(ProgressBar::new_spinner());
                b.set_style(
                    ProgressStyle::with_template(" {spinner} {msg} {elapsed:>4}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                b.enable_steady_tick(Duration::from_millis(120));
                b
            });
            bar.set_message(format!("#{number} {}", v.name));
            let finished = v.completed.is_some() || (v.cached && v.started.is_none());
            if finished && !self.done.get(&v.digest).copied().unwrap_or(false) {
                self.done.insert(v.digest.clone(), true);
                let status = if !v.error.is_empty() {
                    format!("ERROR: {}", v.error)
                } else if v.cached {
                    "CACHED".to_string()
                } else {
                    let took = match (&v.started, &v.completed) {
                        (Some(a), Some(b)) => berth::util::timestamp_to_system(b)
                            .duration_since(berth::util::timestamp_to_system(a))
                            .unwrap_or_default(),
                        _ => Duration::ZERO,
                    };
                    format!("DONE {:.1}s", took.as_secs_f64())
                };
                let mark = if v.error.is_empty() {
                    " ✔ {msg}"
                } else {
                    " ✘ {msg}"
                };
                bar.set_style(
                    ProgressStyle::with_template(mark)
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.finish_with_message(format!("#{number} {}  {status}", v.name));
                if !v.error.is_empty() {
                    for line in self.logs.get(&v.digest).into_iter().flatten() {
                        let _ = self.multi.println(format!("#{number} {line}"));
                    }
                }
            } else if !finished {
                self.done.entry(v.digest.clone()).or_insert(false);
            }
        }
    }
}

/// BuildKit's SolveStatus as JSON, one object per update.
fn json(s: &StatusResponse) -> String {
    use base64::Engine;
    let ts = |t: &Option<prost_types::Timestamp>| {
        t.as_ref()
            .map(|t| berth::util::rfc3339_nanos(berth::util::timestamp_to_system(t)))
    };
    let vertexes: Vec<_> = s
        .vertexes
        .iter()
        .map(|v| {
            serde_json::json!({"digest": v.digest, "inputs": v.inputs, "name": v.name,
                "started": ts(&v.started), "completed": ts(&v.completed), "cached": v.cached,
                "error": if v.error.is_empty() { None } else { Some(&v.error) }})
        })
        .collect();
    let statuses: Vec<_> = s
        .statuses
        .iter()
        .map(|st| {
            serde_json::json!({"id": st.id, "vertex": st.vertex, "name": st.name,
                "current": st.current, "total": st.total, "timestamp": ts(&st.timestamp),
                "started": ts(&st.started), "completed": ts(&st.completed)})
        })
        .collect();
    let logs: Vec<_> = s
        .logs
        .iter()
        .map(|l| {
            serde_json::json!({"vertex": l.vertex, "stream": l.stream,
                "data": base64::engine::general_purpose::STANDARD.encode(&l.msg),
                "timestamp": ts(&l.timestamp)})
        })
        .collect();
    serde_json::json!({"vertexes": vertexes, "statuses": statuses, "logs": logs}).to_string()
}

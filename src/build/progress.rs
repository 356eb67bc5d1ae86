//! BuildKit's progress as docker's plain output: `#N name` when a step
//! starts, its logs as `#N 0.123 line`, sub-progress when it finishes
//! (`#N transferring context: 2.05kB done`), and `#N DONE 0.3s`,
//! `#N CACHED` or `#N ERROR: ...`; a blank line between blocks, the header
//! again when output comes back to a step. Pure: it returns text.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::buildkit::proto::{StatusResponse, Vertex, VertexStatus};
use crate::util::timestamp_to_system;

#[derive(Default)]
struct Step {
    number: usize,
    name: String,
    started: Option<SystemTime>,
    done: bool,
    partial: String,
}

#[derive(Default)]
pub struct PlainPrinter {
    steps: HashMap<String, Step>,
    next: usize,
    /// The step whose block is open.
    current: Option<String>,
    printed_any: bool,
    /// Steps finished in the last update: their DONE goes out with the
    /// next one, after sub-progress that BuildKit sends just behind it.
    finished: Vec<Vertex>,
    /// The last error, for the summary.
    pub error: Option<String>,
}

impl PlainPrinter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, resp: &StatusResponse) -> String {
        let mut out = String::new();
        // Held back from the last update: those with no sub-progress now
        // finish first; the others after theirs.
        let (late, pending): (Vec<Vertex>, Vec<Vertex>) = std::mem::take(&mut self.finished)
            .into_iter()
            .partition(|v| resp.statuses.iter().any(|s| s.vertex == v.digest));
        for v in &pending {
            self.vertex_finished(v, &mut out);
        }
        let late_digests: Vec<String> = late.iter().map(|v| v.digest.clone()).collect();
        self.finished = late;
        // Steps finishing now are held too (their sub-progress tends to
        // come just behind); leaving their block prints them.
        for v in &resp.vertexes {
            self.step(&v.digest).name = v.name.clone();
            let finished = v.completed.is_some() || (v.cached && v.started.is_none());
            if finished && !self.steps.get(&v.digest).is_some_and(|s| s.done) {
                self.finished.retain(|f| f.digest != v.digest);
                self.finished.push(v.clone());
            }
        }
        for s in &resp.statuses {
            self.status(s, &mut out);
        }
        for v in &resp.vertexes {
            self.vertex_started(v, &mut out);
        }
        for l in &resp.logs {
            let Some(at) = l.timestamp.as_ref().map(timestamp_to_system) else {
                continue;
            };
            self.log(&l.vertex, at, &String::from_utf8_lossy(&l.msg), &mut out);
        }
        for w in &resp.warnings {
            self.open(&w.vertex, &mut out);
            let n = self.number(&w.vertex);
            out.push_str(&format!(
                "#{n} WARN: {}\n",
                String::from_utf8_lossy(&w.short)
            ));
        }
        let (now, keep): (Vec<Vertex>, Vec<Vertex>) = std::mem::take(&mut self.finished)
            .into_iter()
            .partition(|v| late_digests.contains(&v.digest));
        self.finished = keep;
        for v in &now {
            self.vertex_finished(v, &mut out);
        }
        out
    }

    /// What is still held back, at the end of the build.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        for v in std::mem::take(&mut self.finished) {
            self.vertex_finished(&v, &mut out);
        }
        out
    }

    fn number(&self, digest: &str) -> usize {
        self.steps.get(digest).map_or(0, |s| s.number)
    }

    fn step(&mut self, digest: &str) -> &mut Step {
        self.steps.entry(digest.to_string()).or_default()
    }

    /// Makes `digest` the open block, printing its header if it was not.
    fn open(&mut self, digest: &str, out: &mut String) {
        if self.current.as_deref() == Some(digest) {
            return;
        }
        // Leaving a finished step: its DONE goes out before the switch.
        if let Some(cur) = self.current.clone()
            && let Some(pos) = self.finished.iter().position(|v| v.digest == cur)
        {
            let v = self.finished.remove(pos);
            self.vertex_finished(&v, out);
        }
        if self.printed_any {
            out.push('\n');
        }
        self.printed_any = true;
        let next = self.next + 1;
        let s = self.step(digest);
        if s.number == 0 {
            s.number = next;
            self.next = next;
        }
        let s = self.step(digest);
        out.push_str(&format!("#{} {}\n", s.number, s.name));
        self.current = Some(digest.to_string());
    }

    fn vertex_started(&mut self, v: &Vertex, out: &mut String) {
        let s = self.step(&v.digest);
        s.name = v.name.clone();
        if v.started.is_some() && s.started.is_none() {
            s.started = v.started.as_ref().map(timestamp_to_system);
            self.open(&v.digest, out);
        } else if v.cached && v.started.is_none() && !s.done {
            self.open(&v.digest, out);
        }
    }

    fn status(&mut self, st: &VertexStatus, out: &mut String) {
        let Some(completed) = st.completed.as_ref() else {
            return;
        };
        self.open(&st.vertex, out);
        let n = self.number(&st.vertex);
        let mut line = format!("#{n} {}", st.id);
        if st.total > 0 {
            line.push_str(&format!(" {} / {}", size(st.current), size(st.total)));
        } else if st.current > 0 {
            line.push_str(&format!(" {}", size(st.current)));
        }
        if let Some(started) = st.started.as_ref() {
            let took = elapsed(timestamp_to_system(started), timestamp_to_system(completed));
            if took > Duration::from_millis(10) {
                line.push_str(&format!(" {:.1}s", took.as_secs_f64()));
            }
        }
        line.push_str(" done\n");
        out.push_str(&line);
    }

    fn log(&mut self, digest: &str, at: SystemTime, msg: &str, out: &mut String) {
        self.open(digest, out);
        let s = self.step(digest);
        let since = s.started.map_or(Duration::ZERO, |st| elapsed(st, at));
        let mut text = std::mem::take(&mut s.partial);
        text.push_str(msg);
        let mut lines: Vec<&str> = text.split('\n').collect();
        let rest = lines.pop().unwrap_or_default().to_string();
        let number = s.number;
        for line in lines {
            out.push_str(&format!(
                "#{number} {} {}\n",
                seconds(since),
                line.trim_end_matches('\r')
            ));
        }
        self.step(digest).partial = rest;
    }

    fn vertex_finished(&mut self, v: &Vertex, out: &mut String) {
        if self.steps.get(&v.digest).is_some_and(|s| s.done) {
            return;
        }
        let finished = v.completed.is_some() || (v.cached && v.started.is_none());
        if !finished {
            return;
        }
        self.open(&v.digest, out);
        let s = self.step(&v.digest);
        s.done = true;
        let number = s.number;
        if !s.partial.is_empty() {
            let rest = std::mem::take(&mut s.partial);
            out.push_str(&format!("#{number} {rest}\n"));
        }
        let started = s.started;
        if !v.error.is_empty() {
            if v.error.ends_with("context canceled") {
                out.push_str(&format!("#{number} CANCELED\n"));
            } else {
                out.push_str(&format!("#{number} ERROR: {}\n", v.error));
                self.error = Some(v.error.clone());
            }
        } else if v.cached {
            out.push_str(&format!("#{number} CACHED\n"));
        } else {
            let took = match (started, v.completed.as_ref()) {
                (Some(st), Some(c)) => elapsed(st, timestamp_to_system(c)),
                _ => Duration::ZERO,
            };
            out.push_str(&format!("#{number} DONE {:.1}s\n", took.as_secs_f64()));
        }
    }
}

fn elapsed(from: SystemTime, to: SystemTime) -> Duration {
    to.duration_since(from).unwrap_or_default()
}

/// Log offsets: 3 decimals under 10 s, 2 under 100 s, then 1.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.3}")
    } else if s < 100.0 {
        format!("{s:.2}")
    } else {
        format!("{s:.1}")
    }
}

/// Decimal units as BuildKit prints them: `2B`, `1.23kB`, `45.68MB`.
pub fn size(n: i64) -> String {
    let n = n.max(0) as f64;
    if n < 1000.0 {
        return format!("{}B", n as i64);
    }
    let units = ["kB", "MB", "GB", "TB", "PB"];
    let mut v = n / 1000.0;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    format!("{v:.2}{}", units[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buildkit::proto::VertexLog;
    use crate::util::system_to_timestamp;
    use std::time::UNIX_EPOCH;

    fn t(ms: u64) -> Option<prost_types::Timestamp> {
        Some(system_to_timestamp(
            UNIX_EPOCH + Duration::from_millis(1_000_000 + ms),
        ))
    }

    fn vertex(d: &str, name: &str, started: Option<u64>, completed: Option<u64>) -> Vertex {
        Vertex {
            digest: d.into(),
            name: name.into(),
            started: started.and_then(t),
            completed: completed.and_then(t),
            ..Default::default()
        }
    }

    #[test]
    fn plain_output_like_docker() {
        let mut p = PlainPrinter::new();
        let mut out = String::new();
        out += &p.update(&StatusResponse {
            vertexes: vec![vertex("a", "[internal] load build context", Some(0), None)],
            statuses: vec![VertexStatus {
                id: "transferring context:".into(),
                vertex: "a".into(),
                current: 2050,
                started: t(0),
                completed: t(20),
                ..Default::default()
            }],
            ..Default::default()
        });
        out += &p.update(&StatusResponse {
            vertexes: vec![
                vertex("a", "[internal] load build context", Some(0), Some(40)),
                vertex("b", "[2/2] RUN echo hi", Some(100), None),
            ],
            logs: vec![VertexLog {
                vertex: "b".into(),
                timestamp: t(223),
                stream: 1,
                msg: b"hi\npart".to_vec(),
            }],
            ..Default::default()
        });
        out += &p.update(&StatusResponse {
            vertexes: vec![
                Vertex {
                    cached: true,
                    ..vertex("c", "[1/2] FROM base", None, None)
                },
                vertex("b", "[2/2] RUN echo hi", Some(100), Some(400)),
            ],
            ..Default::default()
        });
        out += &p.update(&StatusResponse {
            vertexes: vec![Vertex {
                error: "process \"/bin/sh -c false\" did not complete successfully: exit code: 1"
                    .into(),
                ..vertex("d", "[3/3] RUN false", Some(500), Some(600))
            }],
            ..Default::default()
        });
        out += &p.finish();
        insta::assert_snapshot!(out);
        assert!(p.error.as_deref().unwrap().contains("exit code: 1"));
    }

    #[test]
    fn sizes() {
        assert_eq!(size(2), "2B");
        assert_eq!(size(2050), "2.05kB");
        assert_eq!(size(45_678_000), "45.68MB");
    }
}

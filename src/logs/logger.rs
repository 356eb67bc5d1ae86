//! berth's binary as containerd's log driver. For a detached container
//! berth gives the task the log URI
//! `binary:///path/to/berth?berth-log-dir=<dir>&max-size=…&max-file=…`; the
//! shim starts berth with argv `[path, key, value, …]` (in no particular
//! order), the environment `CONTAINER_ID`/`CONTAINER_NAMESPACE`, the
//! container's stdout on fd 3, stderr on fd 4 and a ready pipe on fd 5, and
//! waits until fd 5 is closed. The logger writes json-file records until
//! both streams end; it outlives the berth that started the container.

use std::collections::HashMap;
use std::io::Read;
use std::os::fd::FromRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::jsonfile::Writer;
use super::{Entry, LogConfig, Stream, json_log_name};

/// The key that marks a logger invocation (and names the directory).
pub const DIR_KEY: &str = "berth-log-dir";

/// docker's copier cuts lines longer than this into partial records.
const MAX_LINE: usize = 16 * 1024;

/// The log URI for a container whose files live in `dir`.
pub fn uri(exe: &Path, dir: &Path, cfg: &LogConfig) -> String {
    let mut query = vec![(DIR_KEY, dir.display().to_string())];
    if let Some(size) = cfg.max_size {
        query.push(("max-size", size.to_string()));
        query.push(("max-file", cfg.max_file.to_string()));
    }
    let query: Vec<String> = query
        .into_iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
        .collect();
    format!("binary://{}?{}", exe.display(), query.join("&"))
}

/// Query-value encoding: everything but unreserved characters and `/`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What a logger invocation says, if argv is one.
#[derive(Debug, PartialEq)]
pub struct Invocation {
    pub dir: PathBuf,
    pub max_size: Option<u64>,
    pub max_file: u32,
}

pub fn invocation(argv: &[String]) -> Option<Invocation> {
    let args = argv.get(1..)?;
    if args.len() % 2 != 0 {
        return None;
    }
    let pairs: HashMap<&str, &str> = args
        .chunks(2)
        .map(|kv| (kv[0].as_str(), kv[1].as_str()))
        .collect();
    Some(Invocation {
        dir: PathBuf::from(pairs.get(DIR_KEY)?),
        max_size: pairs.get("max-size").and_then(|v| v.parse().ok()),
        max_file: pairs
            .get("max-file")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
    })
}

/// Runs the logger; the process exit code.
pub fn run(inv: Invocation) -> i32 {
    let id = std::env::var("CONTAINER_ID").unwrap_or_default();
    if crate::util::validate_identifier(&id).is_err() {
        eprintln!("berth logger: no valid CONTAINER_ID");
        return 2;
    }
    let path = inv.dir.join(json_log_name(&id));
    let writer = match Writer::open(&path, inv.max_size, inv.max_file) {
        Ok(w) => Arc::new(Mutex::new(w)),
        Err(e) => {
            eprintln!("berth logger: opening {}: {e}", path.display());
            return 1;
        }
    };
    // SAFETY: the shim hands these descriptors to the logger and nothing
    // else in this process uses them.
    let (stdout, stderr, ready) = unsafe {
        (
            std::fs::File::from_raw_fd(3),
            std::fs::File::from_raw_fd(4),
            std::fs::File::from_raw_fd(5),
        )
    };
    // Closing the ready pipe tells the shim to go on.
    drop(ready);
    let w2 = writer.clone();
    let err_thread = std::thread::spawn(move || copy(stderr, Stream::Stderr, &w2));
    copy(stdout, Stream::Stdout, &writer);
    // Both streams end together when the task is deleted; with a TTY the
    // stderr pipe never carries data and may never end: don't wait for it.
    for _ in 0..50 {
        if err_thread.is_finished() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    0
}

/// Cuts a stream into records, docker's way: at newlines, and every
/// `MAX_LINE` bytes of a longer line (whose chunks share the time of the
/// first one).
pub struct Splitter {
    stream: Stream,
    pending: Vec<u8>,
    line_started: Option<SystemTime>,
}

impl Splitter {
    pub fn new(stream: Stream) -> Splitter {
        Splitter {
            stream,
            pending: Vec::with_capacity(MAX_LINE),
            line_started: None,
        }
    }

    fn entry(&mut self, line: &[u8]) -> Entry {
        let time = *self.line_started.get_or_insert_with(SystemTime::now);
        if line.ends_with(b"\n") {
            self.line_started = None;
        }
        Entry {
            stream: self.stream,
            time,
            line: line.to_vec(),
        }
    }

    /// Adds bytes; calls `emit` for each record they complete.
    pub fn push(&mut self, data: &[u8], emit: &mut dyn FnMut(Entry)) {
        self.pending.extend_from_slice(data);
        let mut start = 0;
        loop {
            let end = self.pending.len().min(start + MAX_LINE);
            let window = &self.pending[start..end];
            let cut = match window.iter().position(|b| *b == b'\n') {
                Some(pos) => pos + 1,
                None if window.len() == MAX_LINE => MAX_LINE,
                None => break,
            };
            let line = self.pending[start..start + cut].to_vec();
            emit(self.entry(&line));
            start += cut;
        }
        self.pending.drain(..start);
    }

    /// The stream ended: what is left is a last, partial record.
    pub fn finish(&mut self, emit: &mut dyn FnMut(Entry)) {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            emit(self.entry(&rest));
        }
    }
}

/// Copies a stream into the log until it ends.
pub fn copy(mut from: impl Read, stream: Stream, to: &Mutex<Writer>) {
    let mut split = Splitter::new(stream);
    let mut buf = vec![0u8; 32 * 1024];
    let mut emit = |e: Entry| {
        if let Ok(mut w) = to.lock() {
            let _ = w.write(&e);
        }
    };
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => split.push(&buf[..n], &mut emit),
        }
    }
    split.finish(&mut emit);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::jsonfile;

    #[test]
    fn uri_and_invocation_round_trip() {
        let cfg = LogConfig {
            max_size: Some(1024),
            max_file: 3,
            ..Default::default()
        };
        let u = uri(
            Path::new("/usr/local/bin/berth"),
            Path::new("/var/lib/berth/ns 1/containers/abc"),
            &cfg,
        );
        assert_eq!(
            u,
            "binary:///usr/local/bin/berth?berth-log-dir=/var/lib/berth/ns%201/containers/abc&max-size=1024&max-file=3"
        );
        // The shim's argv: the path, then the decoded pairs in any order.
        let argv: Vec<String> = [
            "/usr/local/bin/berth",
            "max-file",
            "3",
            DIR_KEY,
            "/var/lib/berth/ns 1/containers/abc",
            "max-size",
            "1024",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            invocation(&argv).unwrap(),
            Invocation {
                dir: PathBuf::from("/var/lib/berth/ns 1/containers/abc"),
                max_size: Some(1024),
                max_file: 3,
            }
        );
        assert!(invocation(&["berth".into(), "ps".into()]).is_none());
        assert!(invocation(&["berth".into()]).is_none());
    }

    #[test]
    fn splits_lines_and_long_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x-json.log");
        let w = Mutex::new(Writer::open(&path, None, 1).unwrap());
        let mut input = b"one\ntwo\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE + 5));
        input.extend_from_slice(b"\nlast");
        copy(&input[..], Stream::Stdout, &w);
        let text = std::fs::read(&path).unwrap();
        let lines: Vec<Vec<u8>> = text
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| jsonfile::decode(l).unwrap().line)
            .collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], b"one\n");
        assert_eq!(lines[2].len(), MAX_LINE);
        assert_eq!(lines[3], b"xxxxx\n");
        assert_eq!(lines[4], b"last");
    }
}

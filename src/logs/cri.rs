//! Kubernetes containers' logs, which the CRI plugin writes and kubelet
//! rotates: `<RFC3339Nano> <stdout|stderr> <F|P> <message>` per line (`P`:
//! the line goes on in the next record), in `<n>.log`, with rotated files
//! `<n>.log.<YYYYMMDD-HHMMSS>` and older ones gzipped (`.gz`).

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::read::{Decoder, Window};
use super::{Entry, Stream};

/// The CRI plugin's record of a container, where the log path lives.
pub const METADATA_EXTENSION: &str = "io.cri-containerd.container.metadata";

/// `LogPath` from the CRI metadata extension's JSON
/// (`{"Version":"v1","Metadata":{…,"LogPath":"…"}}`).
pub fn log_path_from_metadata(json: &[u8]) -> Option<PathBuf> {
    let v: serde_json::Value = serde_json::from_slice(json).ok()?;
    let p = v.pointer("/Metadata/LogPath")?.as_str()?;
    (!p.is_empty()).then(|| PathBuf::from(p))
}

pub fn decode(line: &[u8]) -> Option<Entry> {
    let mut parts = line.splitn(4, |b| *b == b' ');
    let time = crate::util::parse_rfc3339(std::str::from_utf8(parts.next()?).ok()?)?;
    let stream = match parts.next()? {
        b"stdout" => Stream::Stdout,
        b"stderr" => Stream::Stderr,
        _ => return None,
    };
    let full = match parts.next()? {
        b"F" => true,
        b"P" => false,
        _ => return None,
    };
    let mut msg = parts.next().unwrap_or_default().to_vec();
    if full {
        msg.push(b'\n');
    }
    Some(Entry {
        stream,
        time,
        line: msg,
    })
}

/// kubelet's rotated files oldest first (`.gz` unless a plain twin
/// exists; `.tmp` skipped), then the current one.
pub fn files(current: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (current.parent(), current.file_name()) else {
        return vec![current.to_path_buf()];
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let mut rotated: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    n.starts_with(&prefix) && !n.ends_with(".tmp")
                })
                .collect()
        })
        .unwrap_or_default();
    rotated.retain(|p| p.extension().is_none_or(|e| e != "gz") || !p.with_extension("").exists());
    // The timestamp suffix sorts by time; `.gz` does not change the order.
    rotated.sort_by_key(|p| p.to_string_lossy().trim_end_matches(".gz").to_string());
    rotated.push(current.to_path_buf());
    rotated
}

/// Reads the CRI log (gzipped rotations too), calling `sink` per record.
/// kubelet bounds these files (10 MiB x 5 by default), so they are read
/// whole.
pub fn read(
    current: &Path,
    window: &Window,
    sink: &mut dyn FnMut(&Entry) -> io::Result<()>,
) -> io::Result<()> {
    let mut entries = Vec::new();
    for path in files(current) {
        let mut data = Vec::new();
        let f = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        if path.extension().is_some_and(|e| e == "gz") {
            flate2::read::GzDecoder::new(f).read_to_end(&mut data)?;
        } else {
            let mut f = f;
            f.read_to_end(&mut data)?;
        }
        entries.extend(
            data.split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .filter_map(decode),
        );
    }
    let skip = match window.tail {
        Some(n) => entries.len().saturating_sub(n),
        None => 0,
    };
    let within = Window {
        tail: None,
        ..*window
    };
    for e in entries.iter().skip(skip) {
        if within.since.is_none_or(|s| e.time >= s) && within.until.is_none_or(|u| e.time <= u) {
            sink(e)?;
        }
    }
    Ok(())
}

/// For following the current file with the json-file machinery.
pub const DECODER: Decoder = decode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cri_lines() {
        let e = decode(b"2024-01-01T00:00:00.5Z stdout F hello world").unwrap();
        assert_eq!(
            (e.stream, e.line.as_slice()),
            (Stream::Stdout, &b"hello world\n"[..])
        );
        let p = decode(b"2024-01-01T00:00:00Z stderr P part").unwrap();
        assert_eq!(
            (p.stream, p.line.as_slice()),
            (Stream::Stderr, &b"part"[..])
        );
        assert_eq!(
            decode(b"2024-01-01T00:00:00Z stdout F ").unwrap().line,
            b"\n"
        );
        assert!(decode(b"garbage").is_none());
        assert_eq!(
            log_path_from_metadata(
                br#"{"Version":"v1","Metadata":{"ID":"x","LogPath":"/var/log/pods/a/c/0.log"}}"#
            ),
            Some(PathBuf::from("/var/log/pods/a/c/0.log"))
        );
    }

    #[test]
    fn rotated_files_in_order_gzipped_or_not() {
        use std::io::Write;
        let tmp = tempfile::tempdir().unwrap();
        let cur = tmp.path().join("0.log");
        let line = |s: &str| format!("2024-01-01T00:00:00Z stdout F {s}\n");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(line("oldest").as_bytes()).unwrap();
        std::fs::write(
            tmp.path().join("0.log.20240101-000000.gz"),
            gz.finish().unwrap(),
        )
        .unwrap();
        std::fs::write(tmp.path().join("0.log.20240101-000100"), line("older")).unwrap();
        std::fs::write(tmp.path().join("0.log.20240101-000200.tmp"), line("skip")).unwrap();
        std::fs::write(&cur, line("current")).unwrap();
        let mut got = Vec::new();
        read(&cur, &Window::default(), &mut |e| {
            got.push(String::from_utf8(e.line.clone()).unwrap());
            Ok(())
        })
        .unwrap();
        assert_eq!(got, ["oldest\n", "older\n", "current\n"]);
    }
}

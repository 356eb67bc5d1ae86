//! docker's json-file format: `{"log":"…","stream":"stdout","time":"…"}`
//! per line, in `<id>-json.log`, rotated to `<id>-json.log.1`, `.2`, …
//! when it would pass `max-size`, keeping `max-file` files in all.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{Entry, Stream};

/// Go's `time.RFC3339Nano` in UTC: trailing zeros of the fraction trimmed.
pub fn format_time(t: SystemTime) -> String {
    let d = chrono::DateTime::<chrono::Utc>::from(t);
    let mut s = d.format("%Y-%m-%dT%H:%M:%S").to_string();
    let nanos = d.timestamp_subsec_nanos();
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// A JSON string the way moby's json-file marshaller writes it: `"`, `\`,
/// newline and carriage return by name, every other control byte and
/// `<` `>` `&` as `\u00xx`, invalid UTF-8 as U+FFFD.
fn push_json_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                    out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
                }
                c if (c as u32) < 0x20 => {
                    out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        if !chunk.invalid().is_empty() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
    out.push(b'"');
}

/// One record as a line of the file (with its newline).
pub fn encode(e: &Entry) -> Vec<u8> {
    let mut out = Vec::with_capacity(e.line.len() + 64);
    out.extend_from_slice(b"{\"log\":");
    push_json_string(&mut out, &e.line);
    out.extend_from_slice(b",\"stream\":\"");
    out.extend_from_slice(e.stream.name().as_bytes());
    out.extend_from_slice(b"\",\"time\":\"");
    out.extend_from_slice(format_time(e.time).as_bytes());
    out.extend_from_slice(b"\"}\n");
    out
}

/// Reads a JSON string starting at `s[0] == '"'`; returns its bytes and
/// what follows the closing quote.
fn take_string(s: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 1;
    while i < s.len() {
        match s[i] {
            b'"' => return Some((out, &s[i + 1..])),
            b'\\' => {
                let esc = *s.get(i + 1)?;
                i += 2;
                match esc {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'/' | b'\\' | b'"' => out.push(esc),
                    b'u' => {
                        let (c, used) = unicode_escape(&s[i..])?;
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i += used;
                    }
                    _ => return None,
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

/// `XXXX` (after `\u`), with a surrogate pair's second half; the char and
/// how many bytes were used.
fn unicode_escape(s: &[u8]) -> Option<(char, usize)> {
    let hex = |b: &[u8]| u32::from_str_radix(std::str::from_utf8(b.get(..4)?).ok()?, 16).ok();
    let first = hex(s)?;
    if (0xD800..0xDC00).contains(&first) && s.get(4..6) == Some(b"\\u") {
        let second = hex(&s[6..])?;
        let c = 0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00) & 0x3ff);
        return Some((char::from_u32(c).unwrap_or('\u{fffd}'), 10));
    }
    Some((char::from_u32(first).unwrap_or('\u{fffd}'), 4))
}

/// Parses one line of a json log (without its newline). The fast path
/// reads docker's own field order; anything else goes through serde.
pub fn decode(line: &[u8]) -> Option<Entry> {
    fast_decode(line).or_else(|| slow_decode(line))
}

fn fast_decode(line: &[u8]) -> Option<Entry> {
    let rest = line.strip_prefix(b"{\"log\":")?;
    let (log, rest) = take_string(rest)?;
    let rest = rest.strip_prefix(b",\"stream\":\"")?;
    let (stream, rest) = if let Some(r) = rest.strip_prefix(b"stdout\"") {
        (Stream::Stdout, r)
    } else {
        (Stream::Stderr, rest.strip_prefix(b"stderr\"")?)
    };
    let rest = rest.strip_prefix(b",\"time\":\"")?;
    let end = rest.iter().position(|b| *b == b'"')?;
    if &rest[end..] != b"\"}" {
        return None;
    }
    let time = crate::util::parse_rfc3339(std::str::from_utf8(&rest[..end]).ok()?)?;
    Some(Entry {
        stream,
        time,
        line: log,
    })
}

fn slow_decode(line: &[u8]) -> Option<Entry> {
    #[derive(serde::Deserialize)]
    struct Raw {
        log: String,
        stream: String,
        time: String,
    }
    let raw: Raw = serde_json::from_slice(line).ok()?;
    Some(Entry {
        stream: if raw.stream == "stderr" {
            Stream::Stderr
        } else {
            Stream::Stdout
        },
        time: crate::util::parse_rfc3339(&raw.time)?,
        line: raw.log.into_bytes(),
    })
}

/// The files of a log, oldest first: `.N` … `.1`, then the current one.
pub fn files(current: &Path) -> Vec<PathBuf> {
    let mut rotated: Vec<(u32, PathBuf)> = Vec::new();
    for n in 1.. {
        let p = rotated_name(current, n);
        if !p.exists() {
            break;
        }
        rotated.push((n, p));
    }
    let mut out: Vec<PathBuf> = rotated.into_iter().rev().map(|(_, p)| p).collect();
    if current.exists() {
        out.push(current.to_path_buf());
    }
    out
}

fn rotated_name(current: &Path, n: u32) -> PathBuf {
    let mut s = current.as_os_str().to_owned();
    s.push(format!(".{n}"));
    PathBuf::from(s)
}

/// Appends records to a json log, rotating by size.
pub struct Writer {
    path: PathBuf,
    file: File,
    size: u64,
    max_size: Option<u64>,
    max_file: u32,
}

impl Writer {
    pub fn open(path: &Path, max_size: Option<u64>, max_file: u32) -> io::Result<Writer> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        Ok(Writer {
            path: path.to_path_buf(),
            file,
            size,
            max_size,
            max_file: max_file.max(1),
        })
    }

    /// Writes a record, rotating first when the file has reached
    /// `max-size` (docker checks before each write, so a file may pass
    /// the limit by one record).
    pub fn write(&mut self, e: &Entry) -> io::Result<()> {
        let bytes = encode(e);
        if let Some(max) = self.max_size
            && self.size >= max
        {
            self.rotate()?;
        }
        self.file.write_all(&bytes)?;
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// `.N-1` → `.N` … current → `.1`, dropping what passes `max-file`;
    /// with one file only, the current one is replaced by a new one.
    fn rotate(&mut self) -> io::Result<()> {
        let keep = self.max_file - 1;
        if keep == 0 {
            std::fs::remove_file(&self.path)?;
        } else {
            let _ = std::fs::remove_file(rotated_name(&self.path, keep));
            for n in (1..keep).rev() {
                let from = rotated_name(&self.path, n);
                if from.exists() {
                    std::fs::rename(&from, rotated_name(&self.path, n + 1))?;
                }
            }
            std::fs::rename(&self.path, rotated_name(&self.path, 1))?;
        }
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn entry(stream: Stream, line: &[u8]) -> Entry {
        Entry {
            stream,
            time: UNIX_EPOCH + Duration::new(1_704_067_200, 123_400_000),
            line: line.to_vec(),
        }
    }

    #[test]
    fn encodes_like_docker() {
        assert_eq!(
            String::from_utf8(encode(&entry(Stream::Stdout, b"hi <x> & \"q\"\t\n"))).unwrap(),
            "{\"log\":\"hi \\u003cx\\u003e \\u0026 \\\"q\\\"\\u0009\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.1234Z\"}\n"
        );
        assert_eq!(
            format_time(UNIX_EPOCH + Duration::from_secs(1_704_067_200)),
            "2024-01-01T00:00:00Z"
        );
    }

    #[test]
    fn round_trips() {
        for line in [
            &b"plain\n"[..],
            b"tab\tand \x01 control\n",
            "é and 😀\n".as_bytes(),
            b"no newline",
            b"",
        ] {
            let e = entry(Stream::Stderr, line);
            let bytes = encode(&e);
            let back = decode(&bytes[..bytes.len() - 1]).unwrap();
            assert_eq!(back, e, "{line:?}");
        }
        // Invalid UTF-8 becomes U+FFFD, as in docker.
        let e = entry(Stream::Stdout, b"a\xffb");
        let back = decode(encode(&e).trim_ascii_end()).unwrap();
        assert_eq!(back.line, "a\u{fffd}b".as_bytes());
        // Other field orders still parse.
        let other =
            br#"{"stream":"stdout","log":"x\n","time":"2024-01-01T00:00:00Z","attrs":{"a":"b"}}"#;
        assert_eq!(decode(other).unwrap().line, b"x\n");
        assert!(decode(b"garbage").is_none());
    }

    #[test]
    fn rotates_by_size_keeping_max_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("c-json.log");
        let mut w = Writer::open(&path, Some(200), 3).unwrap();
        for i in 0..20 {
            w.write(&entry(Stream::Stdout, format!("line {i}\n").as_bytes()))
                .unwrap();
        }
        let names: Vec<String> = files(&path)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["c-json.log.2", "c-json.log.1", "c-json.log"]);
        // Rotation happens once a file has reached the size: by at most
        // one record past it.
        for f in files(&path) {
            assert!(std::fs::metadata(&f).unwrap().len() < 200 + 80);
        }
        // The newest lines are all there, in order.
        let all: Vec<String> = files(&path)
            .iter()
            .flat_map(|f| {
                std::fs::read(f)
                    .unwrap()
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(|l| String::from_utf8(decode(l).unwrap().line).unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(all.last().unwrap(), "line 19\n");
        let nums: Vec<u32> = all
            .iter()
            .map(|l| l.trim().trim_start_matches("line ").parse().unwrap())
            .collect();
        assert!(nums.windows(2).all(|w| w[1] == w[0] + 1), "{nums:?}");
    }
}

//! Reading a log back: every file oldest first, or only the last N records
//! found by reading backwards from the end (a multi-GB log is never loaded
//! whole), a time window, and following the log as it grows and rotates.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::Entry;

/// Which records to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    /// Only the last N records (of the whole log, before the time filter,
    /// as docker counts them).
    pub tail: Option<usize>,
    pub since: Option<SystemTime>,
    pub until: Option<SystemTime>,
}

impl Window {
    fn wants(&self, e: &Entry) -> bool {
        self.since.is_none_or(|s| e.time >= s) && self.until.is_none_or(|u| e.time <= u)
    }
}

/// A log format: how one line of a file becomes a record.
pub type Decoder = fn(&[u8]) -> Option<Entry>;

/// Where reading stopped in the current file, to follow from there.
#[derive(Debug, Clone)]
pub struct Position {
    path: PathBuf,
    offset: u64,
    inode: u64,
}

impl Position {
    /// The current end of `path`: following from here shows only what
    /// comes next.
    pub fn end_of(path: &Path) -> io::Result<Position> {
        let md = std::fs::metadata(path)?;
        Ok(Position {
            path: path.to_path_buf(),
            offset: md.len(),
            inode: std::os::unix::fs::MetadataExt::ino(&md),
        })
    }
}

/// Start offsets in `files` (oldest first) so that exactly the last `n`
/// lines remain, scanning backwards block by block.
fn tail_starts(files: &[PathBuf], n: usize) -> io::Result<Vec<(PathBuf, u64)>> {
    const BLOCK: u64 = 64 * 1024;
    let mut out = Vec::new();
    let mut wanted = n;
    for path in files.iter().rev() {
        let mut f = File::open(path)?;
        let len = f.metadata()?.len();
        if wanted == 0 {
            break;
        }
        // A file's last byte is its final newline: count newlines before it.
        let mut end = len.saturating_sub(1);
        let mut start = 0;
        let mut found = false;
        let mut buf = vec![0u8; BLOCK as usize];
        while end > 0 && !found {
            let from = end.saturating_sub(BLOCK);
            let chunk = &mut buf[..(end - from) as usize];
            f.seek(SeekFrom::Start(from))?;
            f.read_exact(chunk)?;
            for (i, b) in chunk.iter().enumerate().rev() {
                if *b == b'\n' {
                    wanted -= 1;
                    if wanted == 0 {
                        start = from + i as u64 + 1;
                        found = true;
                        break;
                    }
                }
            }
            end = from;
        }
        if len > 0 && !found {
            // The whole file counts; its first line too.
            wanted -= 1;
        }
        out.push((path.clone(), start));
        if found {
            break;
        }
    }
    out.reverse();
    Ok(out)
}

/// Reads the log whose current file is `current` (rotated ones beside it,
/// as `files` lists them), calling `sink` per record in the window.
pub fn read(
    files: &[PathBuf],
    decode: Decoder,
    window: &Window,
    sink: &mut dyn FnMut(&Entry) -> io::Result<()>,
) -> io::Result<Option<Position>> {
    let starts = match window.tail {
        // Nothing from before: following starts at the current end.
        Some(0) => {
            return Ok(files.last().and_then(|p| Position::end_of(p).ok()));
        }
        Some(n) => tail_starts(files, n)?,
        None => files.iter().map(|p| (p.clone(), 0)).collect(),
    };
    let mut last = None;
    for (path, start) in starts {
        let mut f = File::open(&path)?;
        let inode = std::os::unix::fs::MetadataExt::ino(&f.metadata()?);
        f.seek(SeekFrom::Start(start))?;
        let offset = read_lines(f, start, decode, window, sink)?;
        last = Some(Position {
            path,
            offset,
            inode,
        });
    }
    Ok(last)
}

/// Reads whole lines from `f` (at `offset`); returns the offset after the
/// last complete line.
fn read_lines(
    f: File,
    mut offset: u64,
    decode: Decoder,
    window: &Window,
    sink: &mut dyn FnMut(&Entry) -> io::Result<()>,
) -> io::Result<u64> {
    let mut r = BufReader::with_capacity(1 << 20, f);
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line)?;
        if n == 0 || line.last() != Some(&b'\n') {
            // A line still being written is read again when complete.
            return Ok(offset);
        }
        offset += n as u64;
        if let Some(e) = decode(&line[..n - 1])
            && window.wants(&e)
        {
            sink(&e)?;
        }
    }
}

/// Keeps reading the current file as it grows, starting at `pos`, and
/// the new one after a rotation (the old one is read to its end through
/// the handle kept open), until `stopped` is set and everything written by
/// then has been read.
pub fn follow(
    current: &Path,
    pos: Option<Position>,
    decode: Decoder,
    window: &Window,
    stopped: &Arc<AtomicBool>,
    sink: &mut dyn FnMut(&Entry) -> io::Result<()>,
) -> io::Result<()> {
    let window = Window {
        tail: None,
        ..*window
    };
    let open_at = |offset: u64| -> io::Result<Option<(File, u64, u64)>> {
        match File::open(current) {
            Ok(mut f) => {
                let inode = std::os::unix::fs::MetadataExt::ino(&f.metadata()?);
                f.seek(SeekFrom::Start(offset))?;
                Ok(Some((f, offset, inode)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    };
    // (file, offset of the next unread line, inode)
    let mut open = match &pos {
        Some(p) if p.path == current => open_at(p.offset)?.filter(|(_, _, i)| *i == p.inode),
        _ => None,
    };
    if open.is_none() && pos.is_none() {
        open = open_at(0)?;
    }
    loop {
        // Read the flag first: what the container wrote before it stopped
        // is then read in this pass.
        let done = stopped.load(Ordering::SeqCst);
        if let Some((f, offset, _)) = open.as_mut() {
            if f.metadata()?.len() < *offset {
                // Truncated in place (rotation with one file): from the top.
                *offset = 0;
            }
            let mut handle = f.try_clone()?;
            handle.seek(SeekFrom::Start(*offset))?;
            *offset = read_lines(handle, *offset, decode, &window, sink)?;
        }
        let now = File::open(current)
            .and_then(|f| f.metadata())
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
            .ok();
        match (&open, now) {
            // Rotated: the old file was read to its end above; files
            // rotated after it (several rotations between two looks) next.
            (Some((f, offset, inode)), Some(n)) if *inode != n => {
                // Lines written to the old file after the pass above and
                // before the rotation: through the handle, which still
                // reads it even when renamed or removed.
                let mut handle = f.try_clone()?;
                handle.seek(SeekFrom::Start(*offset))?;
                read_lines(handle, *offset, decode, &window, sink)?;
                read_newer_rotations(current, *inode, decode, &window, sink)?;
                open = open_at(0)?;
            }
            (None, Some(_)) => open = open_at(0)?,
            _ if done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Reads, oldest first, the rotated files newer than the one with `inode`.
fn read_newer_rotations(
    current: &Path,
    inode: u64,
    decode: Decoder,
    window: &Window,
    sink: &mut dyn FnMut(&Entry) -> io::Result<()>,
) -> io::Result<()> {
    let files = super::jsonfile::files(current);
    let ino = |p: &PathBuf| {
        std::fs::metadata(p)
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
            .ok()
    };
    // Ours may already be gone (rotated past max-file): then every rotated
    // file there is newer.
    let first = files
        .iter()
        .position(|p| ino(p) == Some(inode))
        .map_or(0, |ours| ours + 1);
    for path in files
        .get(first..files.len().saturating_sub(1))
        .unwrap_or(&[])
    {
        read_lines(File::open(path)?, 0, decode, window, sink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::jsonfile::{self, Writer};
    use crate::logs::{Entry, Stream};
    use std::time::UNIX_EPOCH;

    fn write_log(dir: &Path, n: usize, max_size: Option<u64>) -> PathBuf {
        let path = dir.join("c-json.log");
        let mut w = Writer::open(&path, max_size, 4).unwrap();
        for i in 0..n {
            w.write(&Entry {
                stream: if i % 2 == 0 {
                    Stream::Stdout
                } else {
                    Stream::Stderr
                },
                time: UNIX_EPOCH + Duration::from_secs(1000 + i as u64),
                line: format!("line {i}\n").into_bytes(),
            })
            .unwrap();
        }
        path
    }

    fn collect(path: &Path, window: Window) -> Vec<String> {
        let mut out = Vec::new();
        read(
            &jsonfile::files(path),
            jsonfile::decode,
            &window,
            &mut |e| {
                out.push(
                    String::from_utf8(e.line.clone())
                        .unwrap()
                        .trim()
                        .to_string(),
                );
                Ok(())
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn tail_zero_follows_from_the_current_end() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_log(tmp.path(), 5, None);
        let window = Window {
            tail: Some(0),
            ..Default::default()
        };
        let pos = read(
            std::slice::from_ref(&path),
            jsonfile::decode,
            &window,
            &mut |_| panic!("nothing from before"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(pos.offset, std::fs::metadata(&path).unwrap().len());
    }

    #[test]
    fn tail_counts_from_the_end_across_rotated_files() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_log(tmp.path(), 50, Some(600));
        assert!(jsonfile::files(&path).len() > 1);
        let all = collect(&path, Window::default());
        let last3 = collect(
            &path,
            Window {
                tail: Some(3),
                ..Default::default()
            },
        );
        assert_eq!(last3, all[all.len() - 3..]);
        let n = all.len();
        let many = collect(
            &path,
            Window {
                tail: Some(n - 1),
                ..Default::default()
            },
        );
        assert_eq!(many, all[1..]);
        assert_eq!(
            collect(
                &path,
                Window {
                    tail: Some(n + 10),
                    ..Default::default()
                }
            ),
            all
        );
        assert!(
            collect(
                &path,
                Window {
                    tail: Some(0),
                    ..Default::default()
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn time_window() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_log(tmp.path(), 10, None);
        let at = |s| Some(UNIX_EPOCH + Duration::from_secs(s));
        let got = collect(
            &path,
            Window {
                since: at(1003),
                until: at(1005),
                tail: None,
            },
        );
        assert_eq!(got, ["line 3", "line 4", "line 5"]);
    }

    #[test]
    fn follows_growth_and_rotation_until_stopped() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_log(tmp.path(), 2, None);
        let pos = read(
            &jsonfile::files(&path),
            jsonfile::decode,
            &Window::default(),
            &mut |_| Ok(()),
        )
        .unwrap();
        let stopped = Arc::new(AtomicBool::new(false));
        let (p2, s2) = (path.clone(), stopped.clone());
        let writer = std::thread::spawn(move || {
            let mut w = Writer::open(&p2, Some(150), 3).unwrap();
            for i in 2..12 {
                w.write(&Entry {
                    stream: Stream::Stdout,
                    time: UNIX_EPOCH,
                    line: format!("line {i}\n").into_bytes(),
                })
                .unwrap();
                std::thread::sleep(Duration::from_millis(30));
            }
            s2.store(true, Ordering::SeqCst);
        });
        let mut seen = Vec::new();
        follow(
            &path,
            pos,
            jsonfile::decode,
            &Window::default(),
            &stopped,
            &mut |e| {
                seen.push(
                    String::from_utf8(e.line.clone())
                        .unwrap()
                        .trim()
                        .to_string(),
                );
                Ok(())
            },
        )
        .unwrap();
        writer.join().unwrap();
        let want: Vec<String> = (2..12).map(|i| format!("line {i}")).collect();
        assert_eq!(seen, want);
    }
}

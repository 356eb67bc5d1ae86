//! A streaming tar reader (ustar, GNU long names, PAX path/size): headers
//! one at a time, bodies read in chunks, nothing held in memory but the
//! current block; and the writer `save` needs (ustar, short names).

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const BLOCK: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub path: String,
    pub size: u64,
    /// The typeflag: b'0' (or 0) regular, b'5' directory, b'2' symlink...
    pub kind: u8,
    pub linkname: String,
}

impl Header {
    pub fn is_file(&self) -> bool {
        self.kind == b'0' || self.kind == 0 || self.kind == b'7'
    }
}

pub struct Reader<R> {
    inner: R,
    /// Unread bytes of the current entry, then its padding.
    remaining: u64,
    padding: u64,
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

impl<R: AsyncRead + Unpin> Reader<R> {
    pub fn new(inner: R) -> Self {
        Reader {
            inner,
            remaining: 0,
            padding: 0,
        }
    }

    /// The next entry's header (the rest of the previous entry is skipped),
    /// or None at the end of the archive.
    pub async fn next(&mut self) -> io::Result<Option<Header>> {
        let mut long_name: Option<String> = None;
        let mut pax_path: Option<String> = None;
        let mut pax_size: Option<u64> = None;
        loop {
            self.skip_rest().await?;
            let mut block = [0u8; BLOCK];
            if !self.read_block(&mut block).await? || block.iter().all(|b| *b == 0) {
                return Ok(None);
            }
            verify_checksum(&block)?;
            let kind = block[156];
            let size = parse_size(&block[124..136])?;
            self.remaining = size;
            self.padding = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
            match kind {
                b'L' => long_name = Some(self.read_small(size).await?),
                b'x' => {
                    let text = self.read_small(size).await?;
                    for (k, v) in parse_pax(&text) {
                        match k.as_str() {
                            "path" => pax_path = Some(v),
                            "size" => pax_size = v.parse().ok(),
                            _ => {}
                        }
                    }
                }
                b'g' => {}
                _ => {
                    let mut path = cstr(&block[0..100]);
                    if &block[257..262] == b"ustar" {
                        let prefix = cstr(&block[345..500]);
                        if !prefix.is_empty() {
                            path = format!("{prefix}/{path}");
                        }
                    }
                    if let Some(size) = pax_size {
                        self.remaining = size;
                        self.padding = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
                    }
                    return Ok(Some(Header {
                        path: pax_path.or(long_name).unwrap_or(path),
                        size: self.remaining,
                        kind,
                        linkname: cstr(&block[157..257]),
                    }));
                }
            }
        }
    }

    /// Reads up to `buf.len()` bytes of the current entry; 0 at its end.
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            return Ok(0);
        }
        let want = buf.len().min(self.remaining as usize);
        let n = self.inner.read(&mut buf[..want]).await?;
        if n == 0 {
            return Err(bad("archive ends inside an entry"));
        }
        self.remaining -= n as u64;
        Ok(n)
    }

    /// The whole current entry, for small documents (at most 16 MiB).
    pub async fn read_small(&mut self, size: u64) -> io::Result<String> {
        if size > 16 << 20 {
            return Err(bad(format!("archive entry of {size} bytes is too large")));
        }
        let mut data = vec![0u8; size as usize];
        let mut at = 0;
        while at < data.len() {
            let n = self.read(&mut data[at..]).await?;
            at += n;
        }
        String::from_utf8(data).map_err(|_| bad("archive entry is not UTF-8"))
    }

    async fn skip_rest(&mut self) -> io::Result<()> {
        let mut n = self.remaining + self.padding;
        let mut buf = [0u8; 8192];
        while n > 0 {
            let want = buf.len().min(n as usize);
            let got = self.inner.read(&mut buf[..want]).await?;
            if got == 0 {
                return Err(bad("archive ends inside an entry"));
            }
            n -= got as u64;
        }
        self.remaining = 0;
        self.padding = 0;
        Ok(())
    }

    /// False at a clean end of input.
    async fn read_block(&mut self, block: &mut [u8; BLOCK]) -> io::Result<bool> {
        let mut at = 0;
        while at < BLOCK {
            let n = self.inner.read(&mut block[at..]).await?;
            if n == 0 {
                return if at == 0 {
                    Ok(false)
                } else {
                    Err(bad("archive ends inside a header"))
                };
            }
            at += n;
        }
        Ok(true)
    }
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn parse_size(field: &[u8]) -> io::Result<u64> {
    if field[0] & 0x80 != 0 {
        // base-256
        let mut v: u64 = (field[0] & 0x7f) as u64;
        for b in &field[1..] {
            v = v
                .checked_mul(256)
                .ok_or_else(|| bad("tar size overflows"))?
                + *b as u64;
        }
        return Ok(v);
    }
    let s = cstr(field);
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(s, 8).map_err(|_| bad(format!("invalid tar size {s:?}")))
}

/// Whether `block` is a tar header (its checksum holds): how `build -`
/// tells a tar context from a Dockerfile.
pub fn is_header(block: &[u8]) -> bool {
    <&[u8; BLOCK]>::try_from(block).is_ok_and(|b| verify_checksum(b).is_ok())
}

fn verify_checksum(block: &[u8; BLOCK]) -> io::Result<()> {
    let stored = cstr(&block[148..156]);
    let stored = stored.trim_matches(|c: char| c == ' ' || c == '\0');
    let want = u32::from_str_radix(stored, 8).map_err(|_| bad("not a tar archive"))?;
    let sum: u32 = block
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                b' ' as u32
            } else {
                *b as u32
            }
        })
        .sum();
    if sum != want {
        return Err(bad("not a tar archive (header checksum mismatch)"));
    }
    Ok(())
}

/// PAX records: "<len> key=value\n".
fn parse_pax(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((len, _)) = rest.split_once(' ') {
        let Ok(n) = len.parse::<usize>() else { break };
        if n == 0 || n > rest.len() {
            break;
        }
        let record = &rest[len.len() + 1..n];
        if let Some((k, v)) = record.trim_end_matches('\n').split_once('=') {
            out.push((k.to_string(), v.to_string()));
        }
        rest = &rest[n..];
    }
    out
}

/// Writes a ustar archive: entries with names under 100 bytes (what an
/// image layout needs), owned by root, dated 0 as BuildKit's are.
pub struct Writer<W> {
    out: W,
}

impl<W: AsyncWrite + Unpin> Writer<W> {
    pub fn new(out: W) -> Self {
        Writer { out }
    }

    fn header(name: &str, size: u64, kind: u8, mode: u32) -> io::Result<[u8; BLOCK]> {
        if name.len() >= 100 {
            return Err(bad(format!("tar entry name {name:?} is too long")));
        }
        let mut h = [0u8; BLOCK];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(format!("{mode:07o}").as_bytes());
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = kind;
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| *b as u32).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        Ok(h)
    }

    pub async fn dir(&mut self, name: &str) -> io::Result<()> {
        let h = Self::header(name, 0, b'5', 0o755)?;
        self.out.write_all(&h).await
    }

    /// A regular file of `size` bytes; its data follows through `data`,
    /// then `end_file`.
    pub async fn file_header(&mut self, name: &str, size: u64) -> io::Result<()> {
        let h = Self::header(name, size, b'0', 0o444)?;
        self.out.write_all(&h).await
    }

    pub async fn data(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.out.write_all(chunk).await
    }

    /// Pads the file of `size` bytes to a whole block.
    pub async fn end_file(&mut self, size: u64) -> io::Result<()> {
        let pad = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
        self.out.write_all(&vec![0u8; pad as usize]).await
    }

    pub async fn small_file(&mut self, name: &str, body: &[u8]) -> io::Result<()> {
        self.file_header(name, body.len() as u64).await?;
        self.data(body).await?;
        self.end_file(body.len() as u64).await
    }

    /// The two zero blocks that end an archive.
    pub async fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&[0u8; BLOCK * 2]).await?;
        self.out.flush().await?;
        Ok(self.out)
    }
}

/// Hand-built entries for tests (any typeflag, link target, body).
#[cfg(test)]
pub(crate) mod testing {
    use super::BLOCK;

    /// One entry: header and padded body.
    pub fn entry(name: &str, body: &[u8], kind: u8, link: &str) -> Vec<u8> {
        let mut h = vec![0u8; BLOCK];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[124..135].copy_from_slice(format!("{:011o}", body.len()).as_bytes());
        h[156] = kind;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| *b as u32).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        h.extend_from_slice(body);
        h.resize(h.len().div_ceil(BLOCK) * BLOCK, 0);
        h
    }

    /// A whole archive: (name, body, typeflag, link target) entries.
    pub fn tar_of(entries: &[(&str, &[u8], u8, &str)]) -> Vec<u8> {
        let mut out: Vec<u8> = entries
            .iter()
            .flat_map(|(name, body, kind, link)| entry(name, body, *kind, link))
            .collect();
        out.extend(vec![0u8; BLOCK * 2]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, body: &[u8], kind: u8) -> Vec<u8> {
        testing::entry(name, body, kind, "")
    }

    #[tokio::test]
    async fn reads_entries_long_names_and_pax() {
        let long = "blobs/".to_string() + &"x".repeat(150);
        let mut tar = entry("a.txt", b"hello", b'0');
        tar.extend(entry("././@LongLink", long.as_bytes(), b'L'));
        tar.extend(entry("short", b"0123456789", b'0'));
        let pax = "21 path=from/pax/name\n";
        tar.extend(entry("PaxHeader", pax.as_bytes(), b'x'));
        tar.extend(entry("ignored", b"", b'5'));
        tar.extend(vec![0u8; BLOCK * 2]);
        let mut r = Reader::new(&tar[..]);
        let a = r.next().await.unwrap().unwrap();
        assert_eq!((a.path.as_str(), a.size, a.is_file()), ("a.txt", 5, true));
        // The body may be skipped without reading it.
        let b = r.next().await.unwrap().unwrap();
        assert_eq!(b.path, long);
        let mut buf = [0u8; 4];
        assert_eq!(r.read(&mut buf).await.unwrap(), 4);
        assert_eq!(&buf, b"0123");
        let c = r.next().await.unwrap().unwrap();
        assert_eq!((c.path.as_str(), c.kind), ("from/pax/name", b'5'));
        assert!(r.next().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn writer_output_reads_back() {
        let mut w = Writer::new(Vec::new());
        w.dir("blobs/").await.unwrap();
        w.small_file("blobs/x", b"hello").await.unwrap();
        let data = w.finish().await.unwrap();
        assert_eq!(data.len() % BLOCK, 0);
        assert!(is_header(&data[..BLOCK]));
        let mut r = Reader::new(&data[..]);
        assert_eq!(r.next().await.unwrap().unwrap().kind, b'5');
        let f = r.next().await.unwrap().unwrap();
        assert_eq!(
            (
                f.path.as_str(),
                r.read_small(f.size).await.unwrap().as_str()
            ),
            ("blobs/x", "hello")
        );
        assert!(r.next().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn rejects_garbage_and_truncation() {
        let junk = vec![7u8; BLOCK];
        assert!(Reader::new(&junk[..]).next().await.is_err());
        let mut t = entry("f", &[1u8; 1000], b'0');
        t.truncate(BLOCK + 100);
        let mut r = Reader::new(&t[..]);
        r.next().await.unwrap().unwrap();
        assert!(r.next().await.is_err());
    }
}

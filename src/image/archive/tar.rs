//! Tar archives. Reading is tokio-tar's (`astral-tokio-tar`: ustar, GNU
//! long names and link targets, PAX), streamed one entry at a time and seen
//! through [`Header`], the little the loaders check; writing is berth's own
//! ustar writer, all `save` needs.

use std::io;

use futures::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const BLOCK: usize = 512;

/// What berth reads of an entry's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub path: String,
    pub size: u64,
    /// The typeflag: b'0' (or 0) regular, b'5' directory, b'2' symlink...
    pub kind: u8,
    /// A link's target, however long.
    pub linkname: String,
    /// The permission bits (and setuid, setgid, sticky).
    pub mode: u32,
}

impl Header {
    pub fn is_file(&self) -> bool {
        self.kind == b'0' || self.kind == 0 || self.kind == b'7'
    }
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// One entry: its header, and its body to read.
pub type Entry<R> = tokio_tar::Entry<tokio_tar::Archive<R>>;

/// The entries of an archive, in order; each must be done with before the
/// next is asked for.
pub struct Reader<R: AsyncRead + Unpin> {
    entries: tokio_tar::Entries<R>,
}

impl<R: AsyncRead + Unpin> Reader<R> {
    pub fn new(inner: R) -> io::Result<Self> {
        let mut archive = tokio_tar::Archive::new(inner);
        Ok(Reader {
            entries: archive.entries()?,
        })
    }

    /// The next entry, or None at the end of the archive.
    pub async fn next(&mut self) -> io::Result<Option<(Header, Entry<R>)>> {
        let Some(entry) = self.entries.next().await.transpose()? else {
            return Ok(None);
        };
        let text = |b: std::borrow::Cow<'_, [u8]>| String::from_utf8_lossy(&b).into_owned();
        let header = Header {
            path: text(entry.path_bytes()?),
            size: entry.effective_size(),
            kind: entry.header().entry_type().as_byte(),
            linkname: entry.link_name_bytes()?.map(text).unwrap_or_default(),
            mode: entry.header().mode().unwrap_or(0o644) & 0o7777,
        };
        Ok(Some((header, entry)))
    }
}

/// The whole body of a small entry (at most 16 MiB), as text.
pub async fn read_small(body: &mut (impl AsyncRead + Unpin), size: u64) -> io::Result<String> {
    if size > 16 << 20 {
        return Err(bad(format!("archive entry of {size} bytes is too large")));
    }
    let mut data = Vec::with_capacity(size as usize);
    body.take(size).read_to_end(&mut data).await?;
    if (data.len() as u64) < size {
        return Err(bad("archive ends inside an entry"));
    }
    String::from_utf8(data).map_err(|_| bad("archive entry is not UTF-8"))
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
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
        entry_with_mode(name, body, kind, link, 0o644)
    }

    /// One entry with the given permission bits.
    pub fn entry_with_mode(name: &str, body: &[u8], kind: u8, link: &str, mode: u32) -> Vec<u8> {
        let mut h = vec![0u8; BLOCK];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(format!("{mode:07o}").as_bytes());
        h[124..135].copy_from_slice(format!("{:011o}", body.len()).as_bytes());
        h[156] = kind;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
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
    async fn reads_entries_long_names_links_and_pax() {
        let long = "blobs/".to_string() + &"x".repeat(150);
        let target = "t/".to_string() + &"y".repeat(150);
        let mut tar = entry("a.txt", b"hello", b'0');
        tar.extend(entry("././@LongLink", long.as_bytes(), b'L'));
        tar.extend(entry("short", b"0123456789", b'0'));
        let pax = "22 path=from/pax/name\n";
        tar.extend(entry("PaxHeader", pax.as_bytes(), b'x'));
        tar.extend(entry("ignored", b"", b'5'));
        tar.extend(entry("././@LongLink", target.as_bytes(), b'K'));
        tar.extend(testing::entry("link", b"", b'2', "cut"));
        tar.extend(vec![0u8; BLOCK * 2]);
        let mut r = Reader::new(&tar[..]).unwrap();
        let (a, mut body) = r.next().await.unwrap().unwrap();
        assert_eq!(
            (a.path.as_str(), a.size, a.is_file(), a.mode),
            ("a.txt", 5, true, 0o644)
        );
        assert_eq!(read_small(&mut body, a.size).await.unwrap(), "hello");
        // The body may be left unread.
        let (b, mut body) = r.next().await.unwrap().unwrap();
        assert_eq!(b.path, long);
        let mut buf = [0u8; 4];
        body.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"0123");
        drop(body);
        let (c, _) = r.next().await.unwrap().unwrap();
        assert_eq!((c.path.as_str(), c.kind), ("from/pax/name", b'5'));
        // A link target over 100 bytes is whole (berth's reader cut it).
        let (l, _) = r.next().await.unwrap().unwrap();
        assert_eq!(
            (l.path.as_str(), l.kind, l.linkname.as_str()),
            ("link", b'2', target.as_str())
        );
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
        let mut r = Reader::new(&data[..]).unwrap();
        assert_eq!(r.next().await.unwrap().unwrap().0.kind, b'5');
        let (f, mut body) = r.next().await.unwrap().unwrap();
        assert_eq!(
            (
                f.path.as_str(),
                read_small(&mut body, f.size).await.unwrap().as_str()
            ),
            ("blobs/x", "hello")
        );
        drop(body);
        assert!(r.next().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn rejects_garbage_and_truncation() {
        let junk = vec![7u8; BLOCK];
        assert!(Reader::new(&junk[..]).unwrap().next().await.is_err());
        let mut t = entry("f", &[1u8; 1000], b'0');
        t.truncate(BLOCK + 100);
        let mut r = Reader::new(&t[..]).unwrap();
        let (f, mut body) = r.next().await.unwrap().unwrap();
        assert!(read_small(&mut body, f.size).await.is_err());
    }
}

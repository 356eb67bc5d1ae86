//! Tar streams on either side of a copy: [`TarSink`] writes entries as
//! an archive (GNU long names and links, so any path fits), [`read_tar`]
//! turns an archive into entries for a sink. Names are checked by the
//! sink that writes them, not trusted here.

use std::io::{self, Read, Write};
use std::path::Path;

use super::{Body, Entry, Kind, Sink};

pub struct TarSink<W: Write> {
    out: tar::Builder<W>,
}

impl<W: Write> TarSink<W> {
    pub fn new(out: W) -> Self {
        let mut out = tar::Builder::new(out);
        out.mode(tar::HeaderMode::Complete);
        TarSink { out }
    }

    /// Writes the end of the archive and hands the stream back.
    pub fn finish(self) -> io::Result<W> {
        self.out.into_inner()
    }
}

fn major_minor(dev: u64) -> (u32, u32) {
    (
        nix::sys::stat::major(dev) as u32,
        nix::sys::stat::minor(dev) as u32,
    )
}

impl<W: Write> Sink for TarSink<W> {
    fn put(&mut self, e: &Entry, body: Option<Body<'_>>) -> io::Result<u64> {
        let mut h = tar::Header::new_gnu();
        h.set_mode(e.mode);
        h.set_uid(e.uid as u64);
        h.set_gid(e.gid as u64);
        h.set_mtime(e.mtime.max(0) as u64);
        h.set_size(0);
        let mut name = e.name.clone().into_os_string();
        let kind = match &e.kind {
            Kind::Dir => {
                name.push("/");
                tar::EntryType::Directory
            }
            Kind::File => tar::EntryType::Regular,
            Kind::Symlink(_) => tar::EntryType::Symlink,
            Kind::Hardlink(_) => tar::EntryType::Link,
            Kind::Char(_) => tar::EntryType::Char,
            Kind::Block(_) => tar::EntryType::Block,
            Kind::Fifo => tar::EntryType::Fifo,
        };
        h.set_entry_type(kind);
        if let Kind::Char(dev) | Kind::Block(dev) = &e.kind {
            let (major, minor) = major_minor(*dev);
            h.set_device_major(major)?;
            h.set_device_minor(minor)?;
        }
        let name = Path::new(&name);
        match (&e.kind, body) {
            (Kind::File, Some(mut body)) => {
                h.set_size(e.size);
                // The size was taken before reading: a file that changes
                // meanwhile is cut or padded to it, as docker's archiver does.
                let mut limited = body.reader().take(e.size);
                let mut padded = (&mut limited).chain(io::repeat(0).take(e.size));
                let mut exact = (&mut padded).take(e.size);
                self.out.append_data(&mut h, name, &mut exact)?;
                Ok(e.size)
            }
            (Kind::Symlink(target) | Kind::Hardlink(target), _) => {
                self.out.append_link(&mut h, name, target)?;
                Ok(0)
            }
            _ => {
                self.out.append_data(&mut h, name, io::empty())?;
                Ok(0)
            }
        }
    }
}

/// Reads a tar archive from `input` and hands each entry to `sink`.
/// Returns the content bytes written.
pub fn read_tar(input: impl Read, sink: &mut dyn Sink) -> io::Result<u64> {
    let mut archive = tar::Archive::new(input);
    let mut bytes = 0;
    for item in archive.entries()? {
        let mut item = item?;
        let h = item.header();
        let dev = || {
            let major = h.device_major().ok().flatten().unwrap_or(0);
            let minor = h.device_minor().ok().flatten().unwrap_or(0);
            nix::sys::stat::makedev(major as u64, minor as u64)
        };
        let link = || -> io::Result<std::path::PathBuf> {
            Ok(item
                .link_name()?
                .map(|l| l.into_owned())
                .unwrap_or_default())
        };
        let kind = match h.entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => Kind::File,
            tar::EntryType::Directory => Kind::Dir,
            tar::EntryType::Symlink => Kind::Symlink(link()?),
            tar::EntryType::Link => Kind::Hardlink(link()?),
            tar::EntryType::Char => Kind::Char(dev()),
            tar::EntryType::Block => Kind::Block(dev()),
            tar::EntryType::Fifo => Kind::Fifo,
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "unsupported tar entry type {other:?} for {:?}",
                        item.path()?
                    ),
                ));
            }
        };
        let entry = Entry {
            name: item.path()?.into_owned(),
            kind,
            mode: h.mode()? & 0o7777,
            uid: h.uid()? as u32,
            gid: h.gid()? as u32,
            mtime: h.mtime()? as i64,
            mtime_nsec: 0,
            size: h.size()?,
        };
        let body = (entry.kind == Kind::File).then_some(Body::Stream(&mut item));
        bytes += sink.put(&entry, body)?;
    }
    Ok(bytes)
}

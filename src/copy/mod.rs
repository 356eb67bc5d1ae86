//! Copying file trees between two places that each stay inside their
//! own root: a directory opened once, under which every path is resolved
//! with openat2's `RESOLVE_IN_ROOT`, so `..` and symlinks (absolute or
//! not) never lead out of it. Sources are a tree under a root ([`walk`])
//! or a tar stream ([`read_tar`]); sinks are a directory ([`DirSink`]) or
//! a tar stream ([`TarSink`]). Nothing here knows containers: `cp`
//! composes these pieces with docker's path rules.

mod entry;
mod root;
mod tarfmt;
mod walk;
mod write;

pub use entry::{Body, Entry, Kind, clean_name};
pub use root::{Root, Stat};
pub use tarfmt::{TarSink, read_tar};
pub use walk::walk;
pub use write::{DirSink, Owner};

/// Where entries go: a directory or a tar stream.
pub trait Sink {
    /// Writes one entry (a regular file's bytes come in `body`); returns
    /// the bytes of content written.
    fn put(&mut self, entry: &Entry, body: Option<Body<'_>>) -> std::io::Result<u64>;
}

#[cfg(test)]
mod tests;

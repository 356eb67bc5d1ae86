//! Image archives: an OCI image layout in a tar, with docker's
//! manifest.json beside it (what `docker save` writes since 25 and what
//! BuildKit's docker exporter sends). `load` streams one into containerd,
//! `save` streams images out of it; `tar` reads and writes the container
//! format itself; `legacy` reads docker's layout from before 25.

pub mod import;
pub mod legacy;
pub mod load;
pub mod save;
pub mod tar;

use crate::error::{Error, ErrorKind};

/// An archive berth cannot read, in its words.
pub(crate) fn invalid(msg: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("invalid image archive: {}", msg.into()),
    )
}

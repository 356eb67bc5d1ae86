//! Image archives: an OCI image layout in a tar, with docker's
//! manifest.json beside it (what `docker save` writes since 25 and what
//! BuildKit's docker exporter sends). `load` streams one into containerd,
//! `save` streams images out of it; `tar` reads and writes the container
//! format itself.

pub mod import;
pub mod load;
pub mod save;
pub mod tar;

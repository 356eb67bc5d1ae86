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

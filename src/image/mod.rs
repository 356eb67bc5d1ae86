//! Images: references, registry pulls, containerd's content store,
//! unpacking into snapshots, listing and removal.

pub mod archive;
pub mod blob;
pub mod choose;
pub mod commit;
pub mod content;
pub mod grammar;
pub mod history;
pub mod inspect;
pub mod list;
pub mod manifest;
pub mod platform;
pub mod prune;
pub mod pull;
pub mod push;
pub mod reference;
pub mod registry;
pub mod remove;
pub mod store;
pub mod tag;
pub mod unpack;

pub use manifest::Platform;
pub use reference::ImageRef;
pub use store::ResolvedImage;

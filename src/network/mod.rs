//! Container networking on CNI, docker's way: the default `bridge`
//! network, user networks, published ports. `cni` runs plugins (generic),
//! `netns` keeps named network namespaces, `store` keeps networks as CNI
//! configuration lists, `ports` parses and reserves published ports, and
//! `attach` connects a container (and takes it down again).

pub mod attach;
pub mod cni;
pub mod endpoint;
pub mod filter;
mod gateway;
pub mod inside;
pub mod ipam;
pub mod manage;
pub mod netns;
pub mod ports;
pub mod store;

use std::path::PathBuf;
use std::sync::OnceLock;

pub use store::{DEFAULT_NETWORK, Network, Store};

/// Where plugins are looked for when nothing says otherwise.
pub const DEFAULT_CNI_PATH: &[&str] = &["/opt/cni/bin", "/usr/lib/cni"];

/// Where berth's networks and plugins are (from `--cni-netconfpath`,
/// `--cni-path` and the config file).
#[derive(Debug, Clone)]
pub struct Paths {
    pub netconf_dir: PathBuf,
    pub plugin_dirs: Vec<PathBuf>,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            netconf_dir: PathBuf::from(store::DEFAULT_NETCONF_DIR),
            plugin_dirs: DEFAULT_CNI_PATH.iter().map(PathBuf::from).collect(),
        }
    }
}

static PATHS: OnceLock<Paths> = OnceLock::new();

/// Sets the paths for this process (from the global options).
pub fn set_paths(paths: Paths) {
    let _ = PATHS.set(paths);
}

pub fn paths() -> Paths {
    PATHS.get().cloned().unwrap_or_default()
}

pub fn store() -> Store {
    Store::new(paths().netconf_dir)
}

pub fn plugins() -> cni::Plugins {
    cni::Plugins {
        dirs: paths().plugin_dirs,
    }
}

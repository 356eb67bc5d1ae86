//! berth's own configuration file: defaults for the global options, for
//! machines where every berth call should say the same (a CI node's
//! namespace, a registry reached over plain HTTP). `/etc/berth/berth.toml`,
//! or the file `BERTH_CONFIG` names. A flag or its environment variable
//! wins over the file; `insecure_registries` adds to `--insecure-registry`.
//!
//! ```toml
//! address = "/run/containerd/containerd.sock"
//! namespace = "ci"
//! snapshotter = "overlayfs"
//! data_root = "/var/lib/berth"
//! hosts_dir = "/etc/containerd/certs.d"
//! insecure_registries = ["registry.lan:5000"]
//! cni_path = "/opt/cni/bin:/usr/lib/cni"
//! cni_netconfpath = "/etc/berth/cni/net.d"
//! cgroup_manager = "systemd"
//! debug = false
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

pub const DEFAULT_PATH: &str = "/etc/berth/berth.toml";

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub address: Option<PathBuf>,
    pub namespace: Option<String>,
    pub snapshotter: Option<String>,
    pub data_root: Option<PathBuf>,
    pub hosts_dir: Option<PathBuf>,
    /// CNI plugin directories, colon-separated.
    pub cni_path: Option<String>,
    pub cni_netconfpath: Option<PathBuf>,
    /// `cgroupfs` or `systemd`.
    pub cgroup_manager: Option<String>,
    #[serde(default)]
    pub insecure_registries: Vec<String>,
    pub debug: Option<bool>,
}

/// Reads the configuration: `BERTH_CONFIG`'s file, which must exist, or
/// the default file, which may be absent (then everything is default).
pub fn load() -> Result<Config> {
    match std::env::var_os("BERTH_CONFIG") {
        Some(p) if !p.is_empty() => read(Path::new(&p), true),
        _ => read(Path::new(DEFAULT_PATH), false),
    }
}

fn read(path: &Path, required: bool) -> Result<Config> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Config::default());
        }
        Err(e) => {
            return Err(Error::invalid(format!(
                "config file {}: {e}",
                path.display()
            )));
        }
    };
    parse(&text).map_err(|e| e.context(format!("config file {}", path.display())))
}

pub fn parse(text: &str) -> Result<Config> {
    let c: Config = toml::from_str(text).map_err(|e| Error::invalid(e.message().to_string()))?;
    if let Some(m) = &c.cgroup_manager {
        crate::container::cgroups::Manager::parse(m)?;
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses_and_unknown_ones_are_refused() {
        let c = parse(
            r#"
namespace = "ci"
insecure_registries = ["reg.lan:5000"]
debug = true
"#,
        )
        .unwrap();
        assert_eq!(c.namespace.as_deref(), Some("ci"));
        assert_eq!(c.insecure_registries, ["reg.lan:5000"]);
        assert_eq!(c.debug, Some(true));
        assert_eq!(parse("").unwrap(), Config::default());
        let m = parse("cgroup_manager = \"systemd\"").unwrap();
        assert_eq!(m.cgroup_manager.as_deref(), Some("systemd"));
        let e = parse("cgroup_manager = \"none\"").unwrap_err();
        assert_eq!(
            e.message(),
            "invalid cgroup manager \"none\": cgroupfs or systemd"
        );
        let e = parse("namespase = \"x\"").unwrap_err();
        assert!(
            e.message().contains("unknown field `namespase`"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn an_absent_default_file_is_fine_a_named_one_is_not() {
        let d = tempfile::tempdir().unwrap();
        let missing = d.path().join("berth.toml");
        assert_eq!(read(&missing, false).unwrap(), Config::default());
        let e = read(&missing, true).unwrap_err();
        assert!(e.message().starts_with("config file "), "{}", e.message());
        std::fs::write(&missing, "namespace = 3").unwrap();
        let e = read(&missing, false).unwrap_err();
        assert!(
            e.message().contains("berth.toml: invalid type"),
            "{}",
            e.message()
        );
    }
}

//! `--runtime`, `--annotation`, `--userns`, `--isolation`,
//! `--volume-driver`: which containerd runtime (shim) runs the container,
//! the OCI annotations it gets, and the settings docker accepts on Linux
//! only in their default form (berth never remaps user namespaces, has no
//! isolation technologies and no volume plugins), with docker's refusals
//! of the rest.

use std::collections::BTreeMap;

use clap::Args;

use crate::client::DEFAULT_RUNTIME;
use crate::container::model::{CreateRequest, HostConfig};
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone, Default)]
pub struct RuntimeFlags {
    /// Runtime to use for this container (runc, or a containerd shim name such as io.containerd.runc.v2)
    #[arg(long, value_name = "string")]
    pub runtime: Option<String>,
    /// Add an annotation to the container (passed through to the OCI runtime)
    #[arg(long = "annotation", value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// User namespace to use (host or private: berth never remaps, as docker without userns-remap)
    #[arg(long, value_name = "string")]
    pub userns: Option<String>,
    /// Container isolation technology (default, the only one on Linux)
    #[arg(long, value_name = "string")]
    pub isolation: Option<String>,
    /// Optional volume driver for the container (local, the only one berth has)
    #[arg(long = "volume-driver", value_name = "string")]
    pub volume_driver: Option<String>,
}

impl RuntimeFlags {
    /// Fills the host config as docker's CLI does.
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let h = &mut req.host_config;
        h.runtime = self.runtime.clone().unwrap_or_default();
        let mut annotations = BTreeMap::new();
        for a in &self.annotation {
            let (k, v) = a.split_once('=').unwrap_or((a, ""));
            annotations.insert(k.to_string(), v.to_string());
        }
        h.annotations = annotations;
        h.userns_mode = self.userns.clone().unwrap_or_default();
        if !matches!(h.userns_mode.as_str(), "" | "host" | "private") {
            return Err(Error::invalid("--userns: invalid USER mode").cli());
        }
        h.isolation = self.isolation.clone().unwrap_or_default();
        h.volume_driver = self.volume_driver.clone().unwrap_or_default();
        Ok(())
    }
}

/// docker's daemon checks of these settings.
pub fn check(h: &HostConfig) -> Result<()> {
    if !matches!(h.isolation.as_str(), "" | "default") {
        return Err(Error::invalid(format!(
            "Invalid isolation: \"{}\" - linux only supports 'default'",
            h.isolation
        )));
    }
    if !matches!(h.volume_driver.as_str(), "" | "local") {
        return Err(Error::invalid(format!(
            "error looking up volume plugin {0}: plugin \"{0}\" not found",
            h.volume_driver
        )));
    }
    shim(&h.runtime).map(drop)
}

/// The containerd runtime (shim) for docker's runtime name: `runc` (and
/// no name) is containerd's runc shim; `io.containerd.*` names a shim
/// directly, as docker 23+ accepts.
pub fn shim(runtime: &str) -> Result<String> {
    match runtime {
        "" | "runc" => Ok(DEFAULT_RUNTIME.to_string()),
        r if r.starts_with("io.containerd.") && r.split('.').count() >= 4 => Ok(r.to_string()),
        r => Err(Error::invalid(format!(
            "unknown or invalid runtime name: {r}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(f: impl FnOnce(&mut RuntimeFlags)) -> Result<HostConfig> {
        let mut flags = RuntimeFlags::default();
        f(&mut flags);
        let mut req = CreateRequest::default();
        flags.apply(&mut req)?;
        check(&req.host_config)?;
        Ok(req.host_config)
    }

    #[test]
    fn runtimes_by_dockers_names() {
        assert_eq!(shim("").unwrap(), DEFAULT_RUNTIME);
        assert_eq!(shim("runc").unwrap(), DEFAULT_RUNTIME);
        assert_eq!(
            shim("io.containerd.runsc.v1").unwrap(),
            "io.containerd.runsc.v1"
        );
        assert_eq!(
            shim("crun").unwrap_err().message(),
            "unknown or invalid runtime name: crun"
        );
    }

    #[test]
    fn annotations_and_default_only_settings() {
        let h = apply(|f| {
            f.annotation = vec!["a=1".into(), "b".into(), "c=x=y".into()];
            f.userns = Some("host".into());
            f.isolation = Some("default".into());
            f.volume_driver = Some("local".into());
        })
        .unwrap();
        assert_eq!(h.annotations["a"], "1");
        assert_eq!(h.annotations["b"], "");
        assert_eq!(h.annotations["c"], "x=y");
        assert_eq!(
            (h.userns_mode.as_str(), h.isolation.as_str()),
            ("host", "default")
        );
        let err = |f: fn(&mut RuntimeFlags)| apply(f).unwrap_err().message().to_string();
        assert_eq!(
            err(|f| f.userns = Some("remap".into())),
            "--userns: invalid USER mode"
        );
        assert_eq!(
            err(|f| f.isolation = Some("hyperv".into())),
            "Invalid isolation: \"hyperv\" - linux only supports 'default'"
        );
        assert_eq!(
            err(|f| f.volume_driver = Some("nfs".into())),
            "error looking up volume plugin nfs: plugin \"nfs\" not found"
        );
    }
}

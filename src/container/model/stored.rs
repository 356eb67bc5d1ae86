//! What berth keeps with a container beyond containerd's record, as docker
//! keeps `config.v2.json` and `hostconfig.json`: the `Config` and
//! `HostConfig` it was created with (after the merge with the image and
//! the daemon's defaults), its networking requests, the image id and the
//! mounts creation made. A container extension: one create call stores it,
//! every later verb reads it from the record.

use serde::{Deserialize, Serialize};

use super::{Config, HostConfig, MountEntry, NetworkingConfig};

/// The extension key, and the Any types of its JSON (v1: berth before the
/// typed model, read for containers made then).
pub const EXTENSION: &str = "berth/config";
pub const TYPE_URL: &str = "berth.dev/container/v2";
pub(super) const V1_TYPE_URL: &str = "berth.dev/container-config/v1";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Stored {
    pub config: Config,
    pub host_config: HostConfig,
    pub networking_config: NetworkingConfig,
    /// docker's `.Image`: the id (config digest) of the image.
    pub image: String,
    /// Every mount besides docker's defaults, volumes with their names, in
    /// mount order.
    pub mounts: Vec<MountEntry>,
}

impl Stored {
    pub fn to_any(&self) -> prost_types::Any {
        prost_types::Any {
            type_url: TYPE_URL.to_string(),
            value: serde_json::to_vec(self).unwrap_or_default(),
        }
    }

    pub fn from_any(any: &prost_types::Any) -> Option<Stored> {
        match any.type_url.as_str() {
            V1_TYPE_URL => super::legacy::read(&any.value),
            _ => serde_json::from_slice(&any.value).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::model::RestartPolicyMode;

    #[test]
    fn round_trips_through_the_extension() {
        let mut s = Stored {
            image: "sha256:abc".into(),
            ..Default::default()
        };
        s.config.cmd = Some(vec!["sleep".into(), "1".into()]);
        s.host_config.restart_policy.name = RestartPolicyMode::Always;
        assert_eq!(Stored::from_any(&s.to_any()).unwrap(), s);
    }
}

//! What berth knows of a container beyond containerd's record: docker's
//! `Config` and `HostConfig` as the user asked for them (image as typed,
//! command, entrypoint, user, log driver, restart policy, ...), kept as a
//! container extension so one create call stores it and every later verb
//! (`start`, `stop`, `inspect`, ...) reads it from the record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::devices::DeviceMapping;
use super::limits::Ulimit;
use super::mounts::MountEntry;
use super::resources::Resources;
use super::throttle::Throttle;

use crate::logs::{Driver, LogConfig};

/// The extension key and the Any type of the stored JSON.
pub const EXTENSION: &str = "berth/config";
pub const TYPE_URL: &str = "berth.dev/container-config/v1";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredConfig {
    /// As typed (docker's `.Config.Image`).
    pub image: String,
    /// The image id (config digest) the container was created from.
    pub image_id: String,
    pub hostname: String,
    pub domainname: String,
    /// `-u` as given ("" when none).
    pub user: String,
    /// The environment the process gets.
    pub env: Vec<String>,
    /// docker's `.Config.Cmd` and `.Config.Entrypoint` after the merge
    /// rules (None: null in docker's JSON).
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub tty: bool,
    pub open_stdin: bool,
    pub attach_stdin: bool,
    pub attach_output: bool,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<i64>,
    pub log: StoredLog,
    pub auto_remove: bool,
    pub network_mode: String,
    pub restart: RestartPolicy,
    pub binds: Vec<String>,
    pub read_only: bool,
    /// With -t, the terminal's rows and columns.
    pub console_size: [u16; 2],
    pub cidfile: String,
    pub resources: Resources,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub security_opt: Vec<String>,
    pub devices: Vec<DeviceMapping>,
    pub device_cgroup_rules: Vec<String>,
    pub oom_score_adj: i32,
    /// Read bps, write bps, read iops, write iops throttles.
    pub blkio: [Vec<Throttle>; 4],
    pub group_add: Vec<String>,
    pub init: bool,
    /// docker's `IpcMode`, `PidMode`, `UTSMode`, `CgroupnsMode` as given.
    pub ipc_mode: String,
    pub pid_mode: String,
    pub uts_mode: String,
    pub cgroupns_mode: String,
    pub cgroup_parent: String,
    pub shm_size: i64,
    pub sysctls: BTreeMap<String, String>,
    pub ulimits: Vec<Ulimit>,
    /// Every mount besides docker's defaults, volumes with their names.
    pub mounts: Vec<MountEntry>,
    pub volumes_from: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredLog {
    /// `json-file` or `none`.
    pub driver: String,
    pub max_size: Option<u64>,
    pub max_file: u32,
}

impl From<&LogConfig> for StoredLog {
    fn from(c: &LogConfig) -> Self {
        StoredLog {
            driver: match c.driver {
                Driver::JsonFile => "json-file",
                Driver::None => "none",
            }
            .to_string(),
            max_size: c.max_size,
            max_file: c.max_file,
        }
    }
}

impl StoredLog {
    pub fn config(&self) -> LogConfig {
        LogConfig {
            driver: if self.driver == "none" {
                Driver::None
            } else {
                Driver::JsonFile
            },
            max_size: self.max_size,
            max_file: self.max_file.max(1),
        }
    }
}

/// docker's restart policy: `no`, `always`, `on-failure[:N]`, `unless-stopped`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RestartPolicy {
    pub name: String,
    pub maximum_retry_count: u32,
}

impl RestartPolicy {
    pub fn is_none(&self) -> bool {
        self.name.is_empty() || self.name == "no"
    }
}

impl StoredConfig {
    pub fn to_any(&self) -> prost_types::Any {
        prost_types::Any {
            type_url: TYPE_URL.to_string(),
            value: serde_json::to_vec(self).unwrap_or_default(),
        }
    }

    pub fn from_any(any: &prost_types::Any) -> Option<StoredConfig> {
        serde_json::from_slice(&any.value).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_extension() {
        let c = StoredConfig {
            image: "busybox".into(),
            cmd: Some(vec!["sleep".into(), "1".into()]),
            log: StoredLog::from(&LogConfig::default()),
            ..Default::default()
        };
        assert_eq!(StoredConfig::from_any(&c.to_any()).unwrap(), c);
        // Older or foreign records: missing fields take their defaults.
        let partial = prost_types::Any {
            type_url: TYPE_URL.into(),
            value: br#"{"image":"x"}"#.to_vec(),
        };
        assert_eq!(StoredConfig::from_any(&partial).unwrap().image, "x");
        assert_eq!(StoredLog::default().config(), LogConfig::default());
    }
}

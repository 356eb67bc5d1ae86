//! docker's `HostConfig`: the host-dependent part of a container's
//! configuration, in docker's field order with its JSON names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::modes::{CgroupnsMode, IpcMode, NetworkMode, PidMode, UtsMode};
use super::null_default;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HostConfig {
    pub binds: Option<Vec<String>>,
    #[serde(rename = "ContainerIDFile")]
    pub container_id_file: String,
    pub log_config: LogConfig,
    pub network_mode: NetworkMode,
    #[serde(deserialize_with = "null_default")]
    pub port_bindings: PortMap,
    pub restart_policy: RestartPolicy,
    pub auto_remove: bool,
    pub volume_driver: String,
    pub volumes_from: Option<Vec<String>>,
    /// Rows and columns of the terminal (`-t`).
    pub console_size: [u64; 2],
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub annotations: BTreeMap<String, String>,
    pub cap_add: Option<Vec<String>>,
    pub cap_drop: Option<Vec<String>>,
    pub cgroupns_mode: CgroupnsMode,
    pub dns: Option<Vec<String>>,
    pub dns_options: Option<Vec<String>>,
    pub dns_search: Option<Vec<String>>,
    pub extra_hosts: Option<Vec<String>>,
    pub group_add: Option<Vec<String>>,
    pub ipc_mode: IpcMode,
    pub cgroup: String,
    pub links: Option<Vec<String>>,
    pub oom_score_adj: i64,
    pub pid_mode: PidMode,
    pub privileged: bool,
    pub publish_all_ports: bool,
    pub readonly_rootfs: bool,
    pub security_opt: Option<Vec<String>>,
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub storage_opt: BTreeMap<String, String>,
    /// `--tmpfs`: destination → options.
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub tmpfs: BTreeMap<String, String>,
    #[serde(rename = "UTSMode")]
    pub uts_mode: UtsMode,
    pub userns_mode: String,
    pub shm_size: i64,
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub sysctls: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub runtime: String,
    pub isolation: String,
    #[serde(flatten)]
    pub resources: Resources,
    /// `--mount`, as docker's CLI sends them.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub mounts: Vec<Mount>,
    pub masked_paths: Option<Vec<String>>,
    pub readonly_paths: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<bool>,
}

/// `HostConfig.PortBindings`: `80/tcp` → where it is published.
pub type PortMap = BTreeMap<String, Vec<PortBinding>>;

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PortBinding {
    pub host_ip: String,
    pub host_port: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LogConfig {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(deserialize_with = "null_default")]
    pub config: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RestartPolicy {
    pub name: RestartPolicyMode,
    pub maximum_retry_count: i64,
}

/// docker's restart policy names ("" reads as `no`, as docker accepts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RestartPolicyMode {
    #[default]
    No,
    Always,
    OnFailure,
    UnlessStopped,
}

impl RestartPolicyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicyMode::No => "no",
            RestartPolicyMode::Always => "always",
            RestartPolicyMode::OnFailure => "on-failure",
            RestartPolicyMode::UnlessStopped => "unless-stopped",
        }
    }
}

impl std::str::FromStr for RestartPolicyMode {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        Ok(match s {
            "" | "no" => RestartPolicyMode::No,
            "always" => RestartPolicyMode::Always,
            "on-failure" => RestartPolicyMode::OnFailure,
            "unless-stopped" => RestartPolicyMode::UnlessStopped,
            other => {
                return Err(crate::Error::invalid(format!(
                    "invalid restart policy: unknown policy '{other}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
                )));
            }
        })
    }
}

impl Serialize for RestartPolicyMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RestartPolicyMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Option::<String>::deserialize(d)?.unwrap_or_default();
        s.parse()
            .map_err(|e: crate::Error| serde::de::Error::custom(e.message()))
    }
}

impl RestartPolicy {
    pub fn is_none(&self) -> bool {
        self.name == RestartPolicyMode::No
    }

    /// Whether a task that exited with `code` is started again after
    /// `restarts` restarts (docker's rules; `on-failure:N` counts).
    pub fn restarts_after(&self, code: u32, restarts: u64) -> bool {
        match self.name {
            RestartPolicyMode::No => false,
            RestartPolicyMode::OnFailure => {
                code != 0
                    && (self.maximum_retry_count == 0 || restarts < self.maximum_retry_count as u64)
            }
            RestartPolicyMode::Always | RestartPolicyMode::UnlessStopped => true,
        }
    }
}

/// docker's `Resources`, flattened into `HostConfig` (cgroup limits,
/// devices, ulimits), in docker's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Resources {
    pub cpu_shares: i64,
    pub memory: i64,
    pub nano_cpus: i64,
    pub cgroup_parent: String,
    pub blkio_weight: u16,
    pub blkio_weight_device: Option<Vec<WeightDevice>>,
    pub blkio_device_read_bps: Option<Vec<ThrottleDevice>>,
    pub blkio_device_write_bps: Option<Vec<ThrottleDevice>>,
    #[serde(rename = "BlkioDeviceReadIOps")]
    pub blkio_device_read_iops: Option<Vec<ThrottleDevice>>,
    #[serde(rename = "BlkioDeviceWriteIOps")]
    pub blkio_device_write_iops: Option<Vec<ThrottleDevice>>,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    pub cpu_realtime_period: i64,
    pub cpu_realtime_runtime: i64,
    pub cpuset_cpus: String,
    pub cpuset_mems: String,
    pub devices: Option<Vec<DeviceMapping>>,
    pub device_cgroup_rules: Option<Vec<String>>,
    pub device_requests: Option<Vec<serde_json::Value>>,
    pub memory_reservation: i64,
    pub memory_swap: i64,
    pub memory_swappiness: Option<i64>,
    pub oom_kill_disable: Option<bool>,
    pub pids_limit: Option<i64>,
    pub ulimits: Option<Vec<Ulimit>>,
    pub cpu_count: i64,
    pub cpu_percent: i64,
    #[serde(rename = "IOMaximumIOps")]
    pub io_maximum_iops: u64,
    #[serde(rename = "IOMaximumBandwidth")]
    pub io_maximum_bandwidth: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceMapping {
    pub path_on_host: String,
    pub path_in_container: String,
    pub cgroup_permissions: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ThrottleDevice {
    pub path: String,
    pub rate: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WeightDevice {
    pub path: String,
    pub weight: u16,
}

/// docker's (go-units') ulimit: name, hard, soft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ulimit {
    pub name: String,
    pub hard: i64,
    pub soft: i64,
}

/// docker's `mount.Mount` (`--mount`); every field omitted when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Mount {
    #[serde(rename = "Type", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub consistency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_options: Option<MountBindOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_options: Option<MountVolumeOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpfs_options: Option<MountTmpfsOptions>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MountBindOptions {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub propagation: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub non_recursive: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub create_mountpoint: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MountVolumeOptions {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_copy: bool,
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subpath: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver_config: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MountTmpfsOptions {
    #[serde(skip_serializing_if = "is_zero")]
    pub size_bytes: i64,
    /// Go's `os.FileMode` (permission bits, plus the sticky bit as 1<<20).
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub mode: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Vec<String>>>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policy_names() {
        let p: RestartPolicy =
            serde_json::from_str(r#"{"Name":"unless-stopped","MaximumRetryCount":0}"#).unwrap();
        assert_eq!(p.name, RestartPolicyMode::UnlessStopped);
        let empty: RestartPolicy = serde_json::from_str(r#"{"Name":""}"#).unwrap();
        assert!(empty.is_none());
        assert_eq!(
            serde_json::to_string(&RestartPolicy::default()).unwrap(),
            r#"{"Name":"no","MaximumRetryCount":0}"#
        );
        let three = RestartPolicy {
            name: RestartPolicyMode::OnFailure,
            maximum_retry_count: 3,
        };
        assert!(three.restarts_after(1, 2) && !three.restarts_after(1, 3));
        assert!(!three.restarts_after(0, 0));
    }

    #[test]
    fn resources_flatten_into_host_config_in_dockers_order() {
        let v = serde_json::to_value(HostConfig::default()).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert!(at("Isolation") + 1 == at("CpuShares"));
        assert!(at("IOMaximumBandwidth") + 1 == at("MaskedPaths"));
        assert!(!keys.contains(&"Init") && !keys.contains(&"Mounts") && !keys.contains(&"Tmpfs"));
        assert_eq!(
            serde_json::to_string(&Ulimit {
                name: "nofile".into(),
                hard: 2,
                soft: 1
            })
            .unwrap(),
            r#"{"Name":"nofile","Hard":2,"Soft":1}"#
        );
    }
}

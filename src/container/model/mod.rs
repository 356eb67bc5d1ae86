//! docker's container configuration as typed data (moby's
//! `api/types/container`): what `run`'s flags become, what berth stores
//! with the container, what `inspect` prints and what the Engine API's
//! create body carries. Types with docker's JSON names and nullability, and
//! the parsing of their own string forms; nothing here reads the host or
//! talks to containerd. The flags live in `config/`, the meaning in
//! `spec/` and `ops/`.

pub mod health;
mod host;
mod inspect;
mod legacy;
mod modes;
mod mounts;
pub mod stored;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

pub use health::{Health, HealthConfig, HealthcheckResult};
pub use host::{
    DeviceMapping, HostConfig, LogConfig, Mount, MountBindOptions, MountTmpfsOptions,
    MountVolumeOptions, PortBinding, PortMap, Resources, RestartPolicy, RestartPolicyMode,
    ThrottleDevice, Ulimit, WeightDevice,
};
pub use inspect::{
    ContainerJson, EndpointSettings, GraphDriver, MountPoint, NetworkSettings, State,
};
pub use modes::{CgroupnsMode, IpcMode, NetworkMode, PidMode, UtsMode};
pub use mounts::{MountEntry, MountKind};
pub use stored::Stored;

/// docker's `{}` values (`ExposedPorts`, `Volumes`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// docker's container `Config`: the portable part, in docker's field order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Config {
    pub hostname: String,
    pub domainname: String,
    pub user: String,
    pub attach_stdin: bool,
    pub attach_stdout: bool,
    pub attach_stderr: bool,
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub exposed_ports: BTreeMap<String, Empty>,
    pub tty: bool,
    pub open_stdin: bool,
    pub stdin_once: bool,
    pub env: Option<Vec<String>>,
    #[serde(deserialize_with = "str_slice")]
    pub cmd: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthConfig>,
    pub image: String,
    pub volumes: Option<BTreeMap<String, Empty>>,
    pub working_dir: String,
    #[serde(deserialize_with = "str_slice")]
    pub entrypoint: Option<Vec<String>>,
    pub on_build: Option<Vec<String>>,
    #[serde(deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i64>,
}

/// docker's `NetworkingConfig`: per network, what the container asks of
/// its endpoint (berth keeps the aliases).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkingConfig {
    #[serde(deserialize_with = "null_default")]
    pub endpoints_config: BTreeMap<String, EndpointSettings>,
}

/// What creates a container: the Engine API's create body (`Config` with
/// `HostConfig` and `NetworkingConfig` beside it), the name and platform
/// the API takes in its query. `run` and `create` build one from flags.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateRequest {
    #[serde(flatten)]
    pub config: Config,
    pub host_config: HostConfig,
    pub networking_config: NetworkingConfig,
    /// `?name=` (None: a generated one).
    #[serde(skip)]
    pub name: Option<String>,
}

impl CreateRequest {
    /// The Engine API's create body.
    pub fn from_json(body: &[u8]) -> crate::Result<CreateRequest> {
        serde_json::from_slice(body)
            .map_err(|e| crate::Error::invalid(format!("invalid container configuration: {e}")))
    }
}

impl NetworkingConfig {
    /// The aliases asked for on `network`.
    pub fn aliases(&self, network: &str) -> &[String] {
        self.endpoints_config
            .get(network)
            .and_then(|e| e.aliases.as_deref())
            .unwrap_or(&[])
    }
}

/// JSON `null` read as the type's default.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// docker's `strslice`: null, a list, or one string (a one-element list).
fn str_slice<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<Form>::deserialize(d)? {
        None => None,
        Some(Form::One(s)) => Some(vec![s]),
        Some(Form::Many(v)) => Some(v),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_as_the_engine_api_sends_it() {
        let body = br#"{"Image":"busybox","Cmd":"echo hi","Env":null,"Labels":null,
            "ExposedPorts":{"80/tcp":{}},"HostConfig":{"NetworkMode":"host",
            "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":2},"Memory":67108864,
            "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}},
            "NetworkingConfig":{"EndpointsConfig":{"app":{"Aliases":["web"]}}}}"#;
        let r = CreateRequest::from_json(body).unwrap();
        assert_eq!(r.config.image, "busybox");
        assert_eq!(r.config.cmd, Some(vec!["echo hi".to_string()]));
        assert!(r.config.labels.is_empty() && r.config.env.is_none());
        assert_eq!(r.host_config.network_mode, NetworkMode::Host);
        assert_eq!(
            r.host_config.restart_policy.name,
            RestartPolicyMode::OnFailure
        );
        assert_eq!(r.host_config.resources.memory, 64 << 20);
        assert_eq!(r.host_config.port_bindings["80/tcp"][0].host_port, "8080");
        assert_eq!(r.networking_config.aliases("app"), ["web"]);
        assert!(CreateRequest::from_json(b"{\"HostConfig\":{\"IpcMode\":\"bogus\"}}").is_err());
    }

    #[test]
    fn config_keys_in_dockers_order() {
        let v = serde_json::to_value(Config::default()).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "Hostname",
                "Domainname",
                "User",
                "AttachStdin",
                "AttachStdout",
                "AttachStderr",
                "Tty",
                "OpenStdin",
                "StdinOnce",
                "Env",
                "Cmd",
                "Image",
                "Volumes",
                "WorkingDir",
                "Entrypoint",
                "OnBuild",
                "Labels"
            ]
        );
    }
}

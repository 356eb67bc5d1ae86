//! A container as berth sees it: the domain type every verb works with,
//! read from containerd's record (labels, spec) once, instead of the raw
//! protobuf `Container` leaking into the library's API.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use containerd_client::services::v1::Container;

use super::kube::Kube;
use super::labels;
use crate::container::model::{MountPoint, Stored, stored};
use crate::logs::cri;
use crate::util;

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerRecord {
    pub id: String,
    /// docker's name (without '/'); for Kubernetes containers
    /// `k8s://ns/pod/container`; empty for containers of other tools.
    pub name: String,
    /// Whether `name` is berth's own (held by a name lease).
    pub named_by_berth: bool,
    /// The image as the user typed it, else containerd's name.
    pub image: String,
    /// containerd's image name.
    pub image_name: String,
    /// The labels the user and the image gave (berth's bookkeeping removed,
    /// valueless labels restored).
    pub labels: BTreeMap<String, String>,
    pub created: SystemTime,
    /// The last start berth recorded.
    pub started_at: Option<SystemTime>,
    /// How the last run ended, recorded when berth deleted the task.
    pub finished_at: Option<SystemTime>,
    pub exit_code: Option<i64>,
    /// Why the last start failed (docker's `State.Error`).
    pub start_error: Option<String>,
    /// The process's arguments from the spec.
    pub args: Vec<String>,
    pub hostname: String,
    pub tty: bool,
    pub snapshotter: String,
    pub snapshot_key: String,
    /// docker's configuration as berth stored it at creation (None for
    /// other tools' containers).
    pub stored: Option<Stored>,
    /// A Kubernetes container's log file, from the CRI plugin's record.
    pub cri_log_path: Option<PathBuf>,
    /// Restarts by containerd's restart monitor.
    pub restart_count: u64,
    /// The restart monitor watches it (`containerd.io/restart.status=running`).
    pub restart_armed: bool,
    /// Published ports as `ps` shows them (`0.0.0.0:8080->80/tcp, ...`).
    pub ports: Option<String>,
    /// The volumes the container mounts (names), from its label.
    pub volumes: Vec<String>,
    /// The pod of a container the kubelet made through CRI.
    pub kube: Option<Kube>,
}

impl ContainerRecord {
    /// Created with `-i`: its stdin stays open for attaching.
    pub fn open_stdin(&self) -> bool {
        self.stored.as_ref().is_some_and(|s| s.config.open_stdin)
    }

    /// Created for an attached `-i` run: the end of that input closes its
    /// stdin (docker's `StdinOnce`).
    pub fn stdin_once(&self) -> bool {
        self.stored.as_ref().is_some_and(|s| s.config.stdin_once)
    }
}

#[derive(serde::Deserialize, Default)]
struct SpecView {
    #[serde(default)]
    process: Option<ProcessView>,
    #[serde(default)]
    hostname: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct ProcessView {
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    terminal: bool,
}

/// The command, terminal and host name: from the configuration berth
/// stored (docker's `Path`/`Args`: the entrypoint and command, not the
/// `--init` in front), else from the spec (other tools' containers; the
/// spec is large, so it is read only then).
fn process_of(c: &Container, stored: Option<&Stored>) -> (Vec<String>, bool, String) {
    if let Some(s) = stored {
        let args = s.config.entrypoint.iter().flatten();
        let args = args.chain(s.config.cmd.iter().flatten()).cloned().collect();
        return (args, s.config.tty, s.config.hostname.clone());
    }
    let spec: SpecView = c
        .spec
        .as_ref()
        .and_then(|s| serde_json::from_slice(&s.value).ok())
        .unwrap_or_default();
    let process = spec.process.unwrap_or_default();
    (
        process.args,
        process.terminal,
        spec.hostname.unwrap_or_default(),
    )
}

impl From<&Container> for ContainerRecord {
    fn from(c: &Container) -> Self {
        let stored = c
            .extensions
            .get(stored::EXTENSION)
            .and_then(Stored::from_any);
        let (args, tty, hostname) = process_of(c, stored.as_ref());
        let label_time = |k: &str| c.labels.get(k).and_then(|v| util::parse_rfc3339(v));
        let berth_name = c.labels.get(labels::NAME);
        // berth's own containers in k8s.io are not the kubelet's.
        let kube = berth_name
            .is_none()
            .then(|| Kube::from_labels(&c.labels))
            .flatten();
        ContainerRecord {
            id: c.id.clone(),
            name: berth_name
                .cloned()
                .or_else(|| kube.as_ref().map(Kube::name))
                .unwrap_or_default(),
            named_by_berth: berth_name.is_some(),
            image: c
                .labels
                .get(labels::IMAGE)
                .cloned()
                .unwrap_or_else(|| c.image.clone()),
            image_name: c.image.clone(),
            labels: user_labels(c),
            created: c
                .created_at
                .as_ref()
                .map(util::timestamp_to_system)
                .unwrap_or(SystemTime::UNIX_EPOCH),
            started_at: label_time(labels::STARTED_AT),
            finished_at: label_time(labels::FINISHED_AT),
            exit_code: c.labels.get(labels::EXIT_CODE).and_then(|v| v.parse().ok()),
            start_error: c.labels.get(labels::START_ERROR).cloned(),
            args,
            hostname,
            tty,
            snapshotter: c.snapshotter.clone(),
            snapshot_key: c.snapshot_key.clone(),
            stored,
            cri_log_path: c
                .extensions
                .get(cri::METADATA_EXTENSION)
                .and_then(|a| cri::log_path_from_metadata(&a.value)),
            restart_count: c
                .labels
                .get(labels::RESTART_COUNT)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            restart_armed: c
                .labels
                .get(labels::RESTART_STATUS)
                .is_some_and(|s| s == "running"),
            ports: c.labels.get(labels::PORTS).cloned(),
            volumes: c
                .labels
                .get(labels::VOLUMES)
                .map(|v| {
                    v.split(',')
                        .filter(|n| !n.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            kube,
        }
    }
}

impl ContainerRecord {
    /// docker's `.Mounts`: every mount but `--tmpfs` ones (docker lists
    /// those only in `HostConfig.Tmpfs`).
    pub fn mount_points(&self) -> Vec<MountPoint> {
        let Some(s) = &self.stored else {
            return Vec::new();
        };
        s.mounts
            .iter()
            .filter(|m| !s.host_config.tmpfs.contains_key(&m.destination))
            .map(|m| m.inspect())
            .collect()
    }

    /// The network mode it was created with ("" for other tools' containers).
    pub fn network_mode(&self) -> String {
        self.stored
            .as_ref()
            .map(|s| s.host_config.network_mode.to_string())
            .unwrap_or_default()
    }

    /// docker's command string: args with spaces single-quoted.
    pub fn command(&self) -> String {
        let quoted: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect();
        quoted.join(" ")
    }
}

/// The labels the user and the image gave: berth's bookkeeping removed,
/// valueless labels restored.
fn user_labels(c: &Container) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = c
        .labels
        .iter()
        .filter(|(k, _)| !k.starts_with(labels::BERTH_PREFIX) && !labels::is_monitor_label(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(empty) = c.labels.get(labels::EMPTY_VALUED) {
        out.extend(
            empty
                .split(',')
                .filter(|k| !k.is_empty())
                .map(|k| (k.to_string(), String::new())),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// berth's own containers: docker's Path/Args from the configuration
    /// (the entrypoint and command, not `--init`'s binary in front); others'
    /// from their spec.
    #[test]
    fn command_from_the_configuration_or_the_spec() {
        let mut s = Stored::default();
        s.config.entrypoint = Some(vec!["/entry".into()]);
        s.config.cmd = Some(vec!["a b".into()]);
        s.config.hostname = "h1".into();
        s.config.tty = true;
        let spec = br#"{"process":{"args":["/sbin/docker-init","--","/entry","a b"],"terminal":false},"hostname":"x"}"#;
        let mut c = Container {
            id: "c1".into(),
            spec: Some(prost_types::Any {
                type_url: String::new(),
                value: spec.to_vec(),
            }),
            ..Default::default()
        };
        let foreign = ContainerRecord::from(&c);
        assert_eq!(foreign.command(), "/sbin/docker-init -- /entry 'a b'");
        assert_eq!((foreign.hostname.as_str(), foreign.tty), ("x", false));
        c.extensions.insert(stored::EXTENSION.into(), s.to_any());
        let ours = ContainerRecord::from(&c);
        assert_eq!(ours.command(), "/entry 'a b'");
        assert_eq!((ours.hostname.as_str(), ours.tty), ("h1", true));
    }
}

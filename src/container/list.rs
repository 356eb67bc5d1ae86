//! `ps`: containers and their states from exactly two list calls
//! (containers, tasks), however many containers there are.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use containerd_client::services::v1::{Container, ListContainersRequest, ListTasksRequest};
use containerd_client::types::v1::{Process, Status};

use super::labels;
use super::resolve::name_of;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::util;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Created,
    Running {
        started: Option<SystemTime>,
    },
    Paused {
        started: Option<SystemTime>,
    },
    Exited {
        code: i64,
        finished: Option<SystemTime>,
    },
    Unknown,
}

impl State {
    /// docker's `.State` word.
    pub fn name(&self) -> &'static str {
        match self {
            State::Created => "created",
            State::Running { .. } => "running",
            State::Paused { .. } => "paused",
            State::Exited { .. } => "exited",
            State::Unknown => "unknown",
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, State::Running { .. } | State::Paused { .. })
    }
}

#[derive(Debug, Clone)]
pub struct ContainerRow {
    pub id: String,
    pub name: String,
    /// The image as the user typed it, else containerd's name.
    pub image: String,
    /// containerd's image name.
    pub image_name: String,
    pub args: Vec<String>,
    pub created: SystemTime,
    pub state: State,
    pub pid: u32,
    pub labels: BTreeMap<String, String>,
    pub hostname: String,
}

impl ContainerRow {
    /// docker's command string: args with spaces single-quoted.
    pub fn command(&self) -> String {
        self.args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// All container records of the namespace (one call).
pub async fn containers(client: &Client) -> Result<Vec<Container>> {
    Ok(client
        .containers()
        .list(ListContainersRequest { filters: vec![] })
        .await?
        .into_inner()
        .containers)
}

/// All tasks of the namespace (one call).
pub async fn tasks(client: &Client) -> Result<Vec<Process>> {
    Ok(client
        .tasks()
        .list(ListTasksRequest {
            filter: String::new(),
        })
        .await?
        .into_inner()
        .tasks)
}

pub async fn list(client: &Client) -> Result<Vec<ContainerRow>> {
    let (containers, tasks) = tokio::try_join!(containers(client), tasks(client))?;
    Ok(rows(&containers, &tasks))
}

/// Joins containers with their tasks. Pure.
pub fn rows(containers: &[Container], tasks: &[Process]) -> Vec<ContainerRow> {
    // containerd's Tasks.List fills `id` (the container's id for the init
    // process) and leaves `container_id` empty.
    let by_id: HashMap<&str, &Process> = tasks
        .iter()
        .map(|t| {
            let id = if t.container_id.is_empty() {
                &t.id
            } else {
                &t.container_id
            };
            (id.as_str(), t)
        })
        .collect();
    let mut out: Vec<ContainerRow> = containers
        .iter()
        .map(|c| row(c, by_id.get(c.id.as_str()).copied()))
        .collect();
    out.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    out
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
}

fn row(c: &Container, task: Option<&Process>) -> ContainerRow {
    let spec: SpecView = c
        .spec
        .as_ref()
        .and_then(|s| serde_json::from_slice(&s.value).ok())
        .unwrap_or_default();
    let label_time = |k: &str| c.labels.get(k).and_then(|v| util::parse_rfc3339(v));
    let started = label_time(labels::STARTED_AT);
    let state = match task {
        Some(t) => match Status::try_from(t.status).unwrap_or(Status::Unknown) {
            Status::Created => State::Created,
            Status::Running | Status::Pausing => State::Running {
                started: started.or_else(|| process_start_time(t.pid)),
            },
            Status::Paused => State::Paused { started },
            Status::Stopped => State::Exited {
                code: t.exit_status as i64,
                finished: t.exited_at.as_ref().map(util::timestamp_to_system),
            },
            Status::Unknown => State::Unknown,
        },
        None => match c.labels.get(labels::EXIT_CODE).and_then(|v| v.parse().ok()) {
            Some(code) => State::Exited {
                code,
                finished: label_time(labels::FINISHED_AT),
            },
            None => State::Created,
        },
    };
    ContainerRow {
        id: c.id.clone(),
        name: display_name(c),
        image: c
            .labels
            .get(labels::IMAGE)
            .cloned()
            .unwrap_or_else(|| c.image.clone()),
        image_name: c.image.clone(),
        args: spec.process.map(|p| p.args).unwrap_or_default(),
        created: c
            .created_at
            .as_ref()
            .map(util::timestamp_to_system)
            .unwrap_or(SystemTime::UNIX_EPOCH),
        state,
        pid: task.map(|t| t.pid).unwrap_or(0),
        labels: user_labels(c),
        hostname: spec.hostname.unwrap_or_default(),
    }
}

/// The labels the user and the image gave: berth's bookkeeping removed,
/// valueless labels restored.
fn user_labels(c: &Container) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = c
        .labels
        .iter()
        .filter(|(k, _)| !k.starts_with(labels::BERTH_PREFIX))
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

/// berth's name; for Kubernetes containers `k8s://ns/pod/container`.
fn display_name(c: &Container) -> String {
    if let Some(n) = name_of(c) {
        return n.to_string();
    }
    match (
        c.labels.get(labels::K8S_POD_NAMESPACE),
        c.labels.get(labels::K8S_POD_NAME),
        c.labels.get(labels::K8S_CONTAINER_NAME),
    ) {
        (Some(ns), Some(pod), Some(ctr)) => format!("k8s://{ns}/{pod}/{ctr}"),
        (Some(ns), Some(pod), None) => format!("k8s://{ns}/{pod}"),
        _ => String::new(),
    }
}

/// A running process's start time from /proc, for containers started by
/// others (Kubernetes) that carry no berth label. None off-host.
fn process_start_time(pid: u32) -> Option<SystemTime> {
    if pid == 0 {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 22 (starttime, clock ticks since boot), counted after the ')'.
    let after = &stat[stat.rfind(')')? + 2..];
    let ticks: u64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let hz = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()??
        .max(1) as u64;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let boot = SystemTime::now() - std::time::Duration::from_secs_f64(uptime);
    Some(boot + std::time::Duration::from_millis(ticks * 1000 / hz))
}

/// `--filter` for ps; same key ORs, different keys AND.
#[derive(Debug, Default, Clone)]
pub struct PsFilters {
    status: Vec<String>,
    name: Vec<String>,
    label: Vec<String>,
    id: Vec<String>,
    ancestor: Vec<String>,
    exited: Vec<i64>,
}

const STATUSES: &[&str] = &[
    "created",
    "restarting",
    "running",
    "removing",
    "paused",
    "exited",
    "dead",
];

impl PsFilters {
    pub fn parse(filters: &[String]) -> Result<PsFilters> {
        let mut f = PsFilters::default();
        for raw in filters {
            let (k, v) = raw.split_once('=').ok_or_else(|| {
                Error::invalid(format!("bad format of filter (expected name=value): {raw}"))
            })?;
            let v = v.to_string();
            match k {
                "status" => {
                    if !STATUSES.contains(&v.as_str()) {
                        return Err(Error::invalid(format!(
                            "invalid filter 'status={v}': must be one of {}",
                            STATUSES.join(", ")
                        )));
                    }
                    f.status.push(v)
                }
                "name" => f.name.push(v),
                "label" => f.label.push(v),
                "id" => f.id.push(v),
                "ancestor" => f.ancestor.push(v),
                "exited" => f.exited.push(
                    v.parse()
                        .map_err(|_| Error::invalid(format!("invalid filter 'exited={v}'")))?,
                ),
                "before" | "since" | "volume" | "network" | "publish" | "expose" | "health"
                | "isolation" | "is-task" => {
                    return Err(Error::unsupported(format!(
                        "filter '{k}' is not supported yet"
                    )));
                }
                _ => return Err(Error::invalid(format!("invalid filter '{k}'"))),
            }
        }
        Ok(f)
    }

    /// Whether filters on status or exit code ask for stopped containers too.
    pub fn wants_stopped(&self) -> bool {
        self.status.iter().any(|s| s != "running") || !self.exited.is_empty()
    }

    pub fn ancestors(&self) -> &[String] {
        &self.ancestor
    }

    /// `ancestor_names`: containerd image names the ancestor filter resolved to.
    pub fn keep(&self, row: &ContainerRow, ancestor_names: &[String]) -> bool {
        let any = |list: &[String], f: &dyn Fn(&str) -> bool| {
            list.is_empty() || list.iter().any(|v| f(v))
        };
        any(&self.status, &|s| s == row.state.name())
            && any(&self.name, &|n| {
                row.name.contains(n.trim_start_matches('/'))
            })
            && any(&self.id, &|i| row.id.starts_with(i))
            && self.label.iter().all(|l| match l.split_once('=') {
                Some((k, v)) => row.labels.get(k).is_some_and(|x| x == v),
                None => row.labels.contains_key(l),
            })
            && (self.ancestor.is_empty() || ancestor_names.contains(&row.image_name))
            && (self.exited.is_empty()
                || matches!(row.state, State::Exited { code, .. } if self.exited.contains(&code)))
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;

//! `ps`: containers and their states from exactly two list calls
//! (containers, tasks), however many containers there are.

use std::collections::HashMap;
use std::time::SystemTime;

use containerd_client::services::v1::{ListContainersRequest, ListTasksRequest};
use containerd_client::types::v1::{Process, Status};

use super::record::ContainerRecord;
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
    /// Exited, and the restart monitor will start it again.
    Restarting {
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
            State::Restarting { .. } => "restarting",
            State::Unknown => "unknown",
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(
            self,
            State::Running { .. } | State::Paused { .. } | State::Restarting { .. }
        )
    }
}

/// A container and the state of its task.
#[derive(Debug, Clone)]
pub struct ContainerRow {
    pub record: ContainerRecord,
    pub state: State,
    pub pid: u32,
    /// docker's health status (`starting`, `healthy`, `unhealthy`); None
    /// without a check or before its first start. Listing leaves it None;
    /// `ops::health::fill` reads it.
    pub health: Option<String>,
}

impl AsRef<ContainerRecord> for ContainerRow {
    fn as_ref(&self) -> &ContainerRecord {
        &self.record
    }
}

/// All container records of the namespace (one call).
pub async fn records(client: &Client) -> Result<Vec<ContainerRecord>> {
    Ok(client
        .containers()
        .list(ListContainersRequest { filters: vec![] })
        .await?
        .into_inner()
        .containers
        .iter()
        .map(ContainerRecord::from)
        .collect())
}

/// One container's record, None when there is no such container.
pub async fn record(client: &Client, id: &str) -> Result<Option<ContainerRecord>> {
    let got = client
        .containers()
        .get(containerd_client::services::v1::GetContainerRequest { id: id.to_string() })
        .await;
    match got {
        Ok(r) => Ok(r.into_inner().container.as_ref().map(ContainerRecord::from)),
        Err(s) if s.code() == tonic::Code::NotFound => Ok(None),
        Err(s) => Err(s.into()),
    }
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

/// Every container with its state, newest first: two list calls, however
/// many containers there are.
pub async fn list(client: &Client) -> Result<Vec<ContainerRow>> {
    let (records, tasks) = tokio::try_join!(records(client), tasks(client))?;
    let mut rows = rows(records, &tasks);
    // The kubelet's containers without a task: ended, as the CRI plugin
    // recorded (a third call, only then).
    let ended_by_cri = |r: &ContainerRow| r.record.kube.is_some() && r.state == State::Created;
    if rows.iter().any(ended_by_cri)
        && let Ok(Some(root)) = client.root().await
    {
        for r in rows.iter_mut().filter(|r| ended_by_cri(r)) {
            if let Some((code, at)) = super::kube::cri_exit(&root, &r.record.id) {
                r.state = State::Exited {
                    code,
                    finished: Some(at),
                };
            }
        }
    }
    Ok(rows)
}

/// Joins containers with their tasks. Pure.
pub fn rows(records: Vec<ContainerRecord>, tasks: &[Process]) -> Vec<ContainerRow> {
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
    let mut out: Vec<ContainerRow> = records
        .into_iter()
        .map(|r| {
            let task = by_id.get(r.id.as_str()).copied();
            ContainerRow {
                state: state(&r, task),
                pid: task.map(|t| t.pid).unwrap_or(0),
                health: None,
                record: r,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.record
            .created
            .cmp(&a.record.created)
            .then_with(|| a.record.id.cmp(&b.record.id))
    });
    out
}

/// The state: the task's when there is one, else what berth recorded.
fn state(r: &ContainerRecord, task: Option<&Process>) -> State {
    let Some(t) = task else {
        return match r.exit_code {
            // An attached run's end: the monitor starts it again shortly.
            Some(code) if r.restart_armed && will_restart(r, code as u32) => State::Restarting {
                code,
                finished: r.finished_at,
            },
            Some(code) => State::Exited {
                code,
                finished: r.finished_at,
            },
            None => State::Created,
        };
    };
    match Status::try_from(t.status).unwrap_or(Status::Unknown) {
        Status::Created => State::Created,
        // The monitor's restarts leave berth's start time behind.
        Status::Running | Status::Pausing if r.restart_armed => State::Running {
            started: process_start_time(t.pid).or(r.started_at),
        },
        Status::Running | Status::Pausing => State::Running {
            started: r.started_at.or_else(|| process_start_time(t.pid)),
        },
        Status::Paused => State::Paused {
            started: r.started_at,
        },
        Status::Stopped if r.restart_armed && will_restart(r, t.exit_status) => State::Restarting {
            code: t.exit_status as i64,
            finished: t.exited_at.as_ref().map(util::timestamp_to_system),
        },
        Status::Stopped => State::Exited {
            code: t.exit_status as i64,
            finished: t.exited_at.as_ref().map(util::timestamp_to_system),
        },
        Status::Unknown => State::Unknown,
    }
}

/// Whether the restart monitor will start an exited task again (it
/// watches the container, so a policy other than `no` is set; a record
/// of another tool's is taken to restart).
fn will_restart(r: &ContainerRecord, code: u32) -> bool {
    match &r.stored {
        Some(s) => s
            .host_config
            .restart_policy
            .restarts_after(code, r.restart_count),
        None => true,
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
    name: Vec<regex::Regex>,
    label: Vec<String>,
    id: Vec<String>,
    ancestor: Vec<String>,
    exited: Vec<i64>,
    /// A volume name or a mount's destination or host source.
    volume: Vec<String>,
    /// docker's health statuses, or `none`.
    health: Vec<String>,
    /// `before=`/`since=` as given; `resolve` turns them into creation times.
    before: Option<String>,
    since: Option<String>,
    created_before: Option<SystemTime>,
    created_after: Option<SystemTime>,
    /// Kubernetes' pod names and pod namespaces (`pod=`, `k8s-namespace=`).
    pod: Vec<String>,
    k8s_namespace: Vec<String>,
    /// Any filter at all (sandboxes then show).
    given: bool,
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
        let mut f = PsFilters {
            given: !filters.is_empty(),
            ..Default::default()
        };
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
                "name" => f.name.push(
                    regex::Regex::new(&v)
                        .map_err(|e| Error::invalid(format!("invalid filter 'name={v}': {e}")))?,
                ),
                "before" => f.before = Some(v),
                "since" => f.since = Some(v),
                "label" => f.label.push(v),
                "id" => f.id.push(v),
                "ancestor" => f.ancestor.push(v),
                "exited" => f.exited.push(
                    v.parse()
                        .map_err(|_| Error::invalid(format!("invalid filter 'exited={v}'")))?,
                ),
                "volume" => f.volume.push(v),
                "pod" => f.pod.push(v),
                "k8s-namespace" => f.k8s_namespace.push(v),
                "health" => {
                    if !["starting", "healthy", "unhealthy", "none"].contains(&v.as_str()) {
                        let shown = format!("Unrecognised filter value for health: {v}");
                        return Err(Error::invalid(shown.trim_end().to_string()));
                    }
                    f.health.push(v)
                }
                "network" | "publish" | "expose" | "isolation" | "is-task" => {
                    return Err(Error::unsupported(format!(
                        "filter '{k}' is not supported yet"
                    )));
                }
                _ => return Err(Error::invalid(format!("invalid filter '{k}'"))),
            }
        }
        Ok(f)
    }

    /// Turns `before=`/`since=` (a name, an ID or an ID prefix) into the
    /// creation time of that container.
    pub fn resolve(&mut self, rows: &[ContainerRow]) -> Result<()> {
        if let Some(b) = &self.before {
            self.created_before = Some(super::resolve::find(rows, b)?.record.created);
        }
        if let Some(s) = &self.since {
            self.created_after = Some(super::resolve::find(rows, s)?.record.created);
        }
        Ok(())
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
        let r = &row.record;
        any(&self.status, &|s| s == row.state.name())
            && (self.name.is_empty() || self.name.iter().any(|re| name_matches(re, &r.name)))
            && self.created_before.is_none_or(|t| r.created < t)
            && self.created_after.is_none_or(|t| r.created > t)
            && any(&self.id, &|i| r.id.starts_with(i))
            && self.label.iter().all(|l| match l.split_once('=') {
                Some((k, v)) => r.labels.get(k).is_some_and(|x| x == v),
                None => r.labels.contains_key(l),
            })
            && (self.ancestor.is_empty() || ancestor_names.contains(&r.image_name))
            && (self.exited.is_empty()
                || matches!(row.state, State::Exited { code, .. } if self.exited.contains(&code)))
            && any(&self.volume, &|v| mounts_volume(r, v))
            && any(&self.health, &|h| {
                row.health.as_deref().unwrap_or("none") == h
            })
            && any(&self.pod, &|p| r.kube.as_ref().is_some_and(|k| k.pod == p))
            && any(&self.k8s_namespace, &|n| {
                r.kube.as_ref().is_some_and(|k| k.namespace == n)
            })
    }

    /// Pod sandboxes show with `-a` or any filter, as `crictl pods` would
    /// be the place for them otherwise.
    pub fn shows_sandbox(&self, all: bool) -> bool {
        all || self.given
    }

    /// Whether the rows need their health read.
    pub fn wants_health(&self) -> bool {
        !self.health.is_empty()
    }
}

/// docker's `volume=`: a volume's name, or a mount's destination or source.
fn mounts_volume(r: &ContainerRecord, v: &str) -> bool {
    r.volumes.iter().any(|n| n == v)
        || r.stored.as_ref().is_some_and(|s| {
            s.mounts
                .iter()
                .any(|m| m.destination == v || (!m.source.is_empty() && m.source == v))
        })
}

/// docker matches `name=` as a regular expression against the name, with
/// and without its leading `/`.
fn name_matches(re: &regex::Regex, name: &str) -> bool {
    re.is_match(name) || re.is_match(&format!("/{name}"))
}

/// `container prune --filter`: docker's prune filters on a container.
#[derive(Debug, Default, Clone)]
pub struct PruneFilters(util::PruneFilter);

impl PruneFilters {
    pub fn parse(filters: &[String], now: SystemTime) -> Result<PruneFilters> {
        util::PruneFilter::parse(filters, now).map(PruneFilters)
    }

    pub fn keep(&self, r: &ContainerRecord) -> bool {
        self.0.matches(Some(r.created), &r.labels)
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;

//! docker's `ContainerContext`: one container as `ps` and `system df -v`
//! present it (fields, headers, the `Label` method, the STATUS words).

use berth::container::ops::{self, ContainerRow, State};
use berth::format::{Field, Method, Row, RowMethod, Value};
use berth::gotmpl::quote;
use berth::util::short_id;

use crate::output::{elapsed, ellipsis, go_time, s, since};

/// docker's STATUS column (`health`: the row's health status).
pub fn status_text(state: &State, health: Option<&str>) -> String {
    use berth::format::units::human_duration;
    let suffix = ops::health::ps_suffix(health.unwrap_or(""));
    match state {
        State::Created => "Created".into(),
        State::Running { started: Some(t) } => {
            format!("Up {}{suffix}", human_duration(elapsed(*t)))
        }
        State::Running { started: None } => format!("Up{suffix}"),
        State::Paused { started: Some(t) } => {
            format!("Up {} (Paused)", human_duration(elapsed(*t)))
        }
        State::Paused { started: None } => "Up (Paused)".into(),
        State::Exited {
            code,
            finished: Some(t),
        } => {
            format!("Exited ({code}) {} ago", human_duration(elapsed(*t)))
        }
        State::Exited {
            code,
            finished: None,
        } => format!("Exited ({code})"),
        State::Restarting {
            code,
            finished: Some(t),
        } => format!("Restarting ({code}) {} ago", human_duration(elapsed(*t))),
        State::Restarting {
            code,
            finished: None,
        } => format!("Restarting ({code})"),
        State::Unknown => "Unknown".into(),
    }
}

/// One `ps` row as docker's `ContainerContext` presents it.
pub struct Ps<'a> {
    pub row: &'a ContainerRow,
    /// (`SizeRw`, `SizeRootFs`) when sizes were asked for.
    pub size: Option<(u64, u64)>,
    pub no_trunc: bool,
}

impl Ps<'_> {
    fn id(&self) -> String {
        if self.no_trunc {
            self.row.record.id.clone()
        } else {
            short_id(&self.row.record.id).to_string()
        }
    }

    fn command(&self) -> String {
        let command = self.row.record.command();
        quote(&if self.no_trunc {
            command
        } else {
            ellipsis(&command, 20)
        })
    }

    /// docker's `0.0.0.0:8080->80/tcp`, while the container runs.
    fn ports(&self) -> &str {
        let live = matches!(
            self.row.state,
            State::Running { .. } | State::Paused { .. } | State::Restarting { .. }
        );
        match &self.row.record.ports {
            Some(p) if live => p,
            _ => "",
        }
    }

    fn mount_points(&self) -> impl Iterator<Item = berth::container::model::MountPoint> {
        self.row.record.mount_points().into_iter()
    }

    /// docker's MOUNTS: volume names or bind sources, each cut to 15
    /// characters unless `--no-trunc`.
    fn mounts(&self) -> String {
        let names: Vec<String> = self
            .mount_points()
            .map(|m| if m.name.is_empty() { m.source } else { m.name })
            .map(|n| if self.no_trunc { n } else { ellipsis(&n, 15) })
            .collect();
        names.join(",")
    }

    fn labels(&self) -> String {
        let pairs: Vec<String> = self
            .row
            .record
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join(",")
    }
}

/// A template method giving one of the pod's fields (empty for other
/// containers).
fn kube_method(p: &Ps<'_>, field: fn(&berth::container::ops::Kube) -> String) -> Method {
    let v = p.row.record.kube.as_ref().map(field).unwrap_or_default();
    Method::new(0, move |_: &[Value]| Ok(Value::String(v.clone())))
}

impl Row for Ps<'_> {
    const GO_TYPE: &'static str = "*formatter.ContainerContext";
    const HEADER_TYPE: &'static str = "containerHeaders";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Command", "COMMAND", |p| s(p.command())),
            Field::new("CreatedAt", "CREATED AT", |p| {
                s(go_time(p.row.record.created))
            }),
            Field::new("ID", "CONTAINER ID", |p| s(p.id())),
            Field::new("Image", "IMAGE", |p| s(&p.row.record.image)),
            Field::new("Labels", "LABELS", |p| s(p.labels())),
            Field::new("LocalVolumes", "LOCAL VOLUMES", |p| {
                s(p.mount_points()
                    .filter(|m| m.driver == "local")
                    .count()
                    .to_string())
            }),
            Field::new("Mounts", "MOUNTS", |p| s(p.mounts())),
            Field::new("Names", "NAMES", |p| s(&p.row.record.name)),
            Field::new("Networks", "NETWORKS", |p| s(p.row.record.network_mode())),
            Field::new("Ports", "PORTS", |p| s(p.ports())),
            Field::new("RunningFor", "CREATED", |p| {
                s(since(Some(p.row.record.created)))
            }),
            Field::new("Size", "SIZE", |p| {
                use berth::format::units::human_size_with_precision as human;
                let (rw, rootfs) = p.size.unwrap_or_default();
                match rootfs {
                    0 => s(human(rw as f64, 3)),
                    _ => s(format!(
                        "{} (virtual {})",
                        human(rw as f64, 3),
                        human(rootfs as f64, 3)
                    )),
                }
            }),
            Field::new("State", "STATE", |p| s(p.row.state.name())),
            Field::new("Status", "STATUS", |p| {
                s(status_text(&p.row.state, p.row.health.as_deref()))
            }),
        ]
    }

    // Kubernetes' pod and pod namespace: methods, so that docker's
    // `{{json .}}` of a row keeps docker's keys.
    fn methods() -> Vec<RowMethod<Self>> {
        vec![
            RowMethod {
                name: "Pod",
                header: "POD",
                arity: 0,
                make: |p| kube_method(p, |k| k.pod.clone()),
            },
            RowMethod {
                name: "Namespace",
                header: "NAMESPACE",
                arity: 0,
                make: |p| kube_method(p, |k| k.namespace.clone()),
            },
            RowMethod {
                name: "Label",
                header: "LABEL",
                arity: 1,
                make: |p| {
                    let labels = p.row.record.labels.clone();
                    Method::new(1, move |args: &[Value]| {
                        let key = match &args[0] {
                            Value::String(k) => k.clone(),
                            other => other.to_string(),
                        };
                        Ok(Value::String(labels.get(&key).cloned().unwrap_or_default()))
                    })
                },
            },
        ]
    }
}

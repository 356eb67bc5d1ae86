//! docker's `volumeContext`: one volume as `volume ls` and `system df -v`
//! present it (the latter with its links and size).

use berth::format::units::human_size_with_precision;
use berth::format::{Field, Method, Row, RowMethod, Value};
use berth::volume::Volume;

use super::s;

pub struct VolumeRow<'a> {
    pub volume: &'a Volume,
    /// (links, size) where they were counted (`system df -v`).
    pub usage: Option<(usize, i64)>,
}

impl<'a> VolumeRow<'a> {
    /// A row for `volume ls`: links and size not counted (`N/A`).
    pub fn listed(volume: &'a Volume) -> Self {
        VolumeRow {
            volume,
            usage: None,
        }
    }
}

impl Row for VolumeRow<'_> {
    const GO_TYPE: &'static str = "*formatter.volumeContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("Availability", "AVAILABILITY", |_| s("N/A")),
            Field::new("Driver", "DRIVER", |_| s("local")),
            Field::new("Group", "GROUP", |_| s("N/A")),
            Field::new("Labels", "LABELS", |v| {
                let pairs: Vec<String> = v
                    .volume
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                s(pairs.join(","))
            }),
            Field::new("Links", "LINKS", |v| match v.usage {
                Some((links, _)) => s(links.to_string()),
                None => s("N/A"),
            }),
            Field::new("Mountpoint", "MOUNTPOINT", |v| {
                s(v.volume.mountpoint.to_string_lossy())
            }),
            Field::new("Name", "VOLUME NAME", |v| s(&v.volume.name)),
            Field::new("Scope", "SCOPE", |_| s("local")),
            Field::new("Size", "SIZE", |v| match v.usage {
                Some((_, size)) => s(human_size_with_precision(size as f64, 3)),
                None => s("N/A"),
            }),
            Field::new("Status", "STATUS", |_| s("N/A")),
        ]
    }

    fn methods() -> Vec<RowMethod<Self>> {
        vec![RowMethod {
            name: "Label",
            header: "LABEL",
            arity: 1,
            make: |v| {
                let labels = v.volume.labels.clone();
                Method::new(1, move |args: &[Value]| {
                    let key = match &args[0] {
                        Value::String(k) => k.clone(),
                        other => other.to_string(),
                    };
                    Ok(Value::String(labels.get(&key).cloned().unwrap_or_default()))
                })
            },
        }]
    }
}

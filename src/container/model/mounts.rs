//! A container's mounts as creation decided them (docker's mount points):
//! binds, volumes with their names and host paths, tmpfs. Made from the
//! configuration's `Binds`, `Mounts`, `Tmpfs`, `Volumes` and
//! `VolumesFrom`, kept with the record; the runtime spec's mounts and
//! inspect's `.Mounts` both come from these.

use serde::{Deserialize, Serialize};

use super::inspect::MountPoint;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    #[default]
    Bind,
    Volume,
    Tmpfs,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MountEntry {
    pub kind: MountKind,
    /// A volume's name ("" for an anonymous one not made yet).
    pub name: String,
    /// The host path: a bind's source, a volume's mountpoint.
    pub source: String,
    pub destination: String,
    pub read_only: bool,
    /// docker's `Mode` ("z", "ro", "rw,z", "").
    pub mode: String,
    pub propagation: String,
    /// tmpfs mount options (size=, mode=, ...).
    pub options: Vec<String>,
    pub anonymous: bool,
    /// `volume-nocopy` / `:nocopy`: no copy-up from the image.
    pub nocopy: bool,
    /// Labels for a volume `--mount` creates.
    pub labels: Vec<(String, String)>,
}

impl MountEntry {
    /// A bind's propagation, docker's `rprivate` unless given.
    pub fn propagation_or_default(&self) -> &str {
        if self.propagation.is_empty() {
            "rprivate"
        } else {
            &self.propagation
        }
    }

    /// docker's `.Mounts[]` entry.
    pub fn inspect(&self) -> MountPoint {
        let (kind, name, driver, propagation) = match self.kind {
            MountKind::Bind => ("bind", "", "", self.propagation_or_default()),
            MountKind::Volume => ("volume", self.name.as_str(), "local", ""),
            MountKind::Tmpfs => ("tmpfs", "", "", ""),
        };
        MountPoint {
            kind: kind.to_string(),
            name: name.to_string(),
            source: self.source.clone(),
            destination: self.destination.clone(),
            driver: driver.to_string(),
            mode: match self.kind {
                MountKind::Tmpfs => String::new(),
                _ => self.mode.clone(),
            },
            rw: !self.read_only,
            propagation: propagation.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockers_mount_points() {
        let b = MountEntry {
            source: "/h".into(),
            destination: "/c".into(),
            mode: "ro,z".into(),
            read_only: true,
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(b.inspect()).unwrap(),
            serde_json::json!({"Type": "bind", "Source": "/h", "Destination": "/c",
                "Mode": "ro,z", "RW": false, "Propagation": "rprivate"})
        );
        let v = MountEntry {
            kind: MountKind::Volume,
            name: "data".into(),
            source: "/v/data/_data".into(),
            destination: "/d".into(),
            mode: "z".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(v.inspect()).unwrap(),
            serde_json::json!({"Type": "volume", "Name": "data", "Source": "/v/data/_data",
                "Destination": "/d", "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""})
        );
    }
}

//! Named volumes on disk, per containerd namespace:
//! `<data root>/volumes/<namespace>/<name>/_data` is what containers mount,
//! `meta.json` beside it holds the creation time and labels.
//!
//! A volume appears whole or not at all: it is assembled in a hidden
//! directory beside the others and renamed into place. The rename is the
//! claim when two berths create one name at once (`run -v data:/x` twice):
//! the loser's rename fails on the winner's non-empty directory and it uses
//! the winner's volume. Removal renames the volume aside before deleting it,
//! so a listing never sees half a volume.

use std::collections::BTreeMap;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{Error, ErrorKind, Result};
use crate::state::{DataRoot, write_atomic};
use crate::util;

/// The label docker (23+) puts on volumes created without a name; `volume
/// prune` removes only these unless `--all`.
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";
const DATA_DIR: &str = "_data";
const META_FILE: &str = "meta.json";
/// Hidden names beside the volumes: one being assembled, one being deleted.
const NEW_PREFIX: &str = ".new-";
const DOOMED_PREFIX: &str = ".rm-";
/// Leftovers of a berth killed mid-way are swept once this old.
const STALE_AFTER: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    pub name: String,
    /// The `_data` directory containers mount.
    pub mountpoint: PathBuf,
    pub created: SystemTime,
    /// The anonymous label included, for anonymous volumes.
    pub labels: BTreeMap<String, String>,
    pub anonymous: bool,
}

/// `meta.json`.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    /// RFC 3339 with nanoseconds, UTC.
    created: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    anonymous: bool,
}

impl Volume {
    /// docker's `CreatedAt`: RFC 3339 in whole seconds, local time
    /// (`2024-01-01T10:00:00Z`, `2024-01-01T11:00:00+01:00`).
    pub fn created_at(&self) -> String {
        chrono::DateTime::<chrono::Local>::from(self.created)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// docker's `volume inspect` object, its keys in docker's order. Labels
    /// are `null` when there are none, as docker prints them (the CLI sends
    /// an empty map, which the API drops); there are never options.
    pub fn inspect(&self) -> Value {
        let labels = if self.labels.is_empty() {
            Value::Null
        } else {
            json!(self.labels)
        };
        json!({
            "CreatedAt": self.created_at(),
            "Driver": "local",
            "Labels": labels,
            "Mountpoint": self.mountpoint,
            "Name": self.name,
            "Options": null,
            "Scope": "local",
        })
    }
}

/// docker's rule for local volume names, `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, in
/// docker's words when broken.
pub fn validate_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let ok = name.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "create {name}: {name:?} includes invalid characters for a local volume name, \
         only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host \
         directory, use absolute path"
    )))
}

fn no_such_volume(name: &str) -> Error {
    Error::not_found(format!("get {name}: no such volume"))
}

/// Makes `dir` a volume directory: `_data` and `meta.json`.
fn fill(dir: &Path, meta: &Meta) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.mode(0o755);
    b.create(dir)
        .and_then(|_| b.create(dir.join(DATA_DIR)))
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    write_atomic(
        &dir.join(META_FILE),
        &serde_json::to_vec_pretty(meta)?,
        0o644,
    )
}

/// The volumes of one containerd namespace.
#[derive(Debug, Clone)]
pub struct Volumes {
    dir: PathBuf,
}

impl Volumes {
    /// The namespace must be a containerd identifier (it is a path part).
    pub fn new(data: &DataRoot, namespace: &str) -> Result<Volumes> {
        util::validate_identifier(namespace)
            .map_err(|why| Error::invalid(format!("invalid namespace {namespace:?}: {why}")))?;
        Ok(Volumes {
            dir: data.root().join("volumes").join(namespace),
        })
    }

    /// `<data root>/volumes/<namespace>`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates a volume, a random 64-hex name when `name` is None; the
    /// bool says whether it is new. An existing volume of that name is
    /// returned as it is (labels untouched), as docker does.
    pub fn create(
        &self,
        name: Option<&str>,
        mut labels: BTreeMap<String, String>,
        anonymous: bool,
    ) -> Result<(Volume, bool)> {
        let name = match name {
            Some(n) => {
                validate_name(n)?;
                n.to_string()
            }
            None => util::random_hex_id(),
        };
        match self.get(&name) {
            Ok(v) => return Ok((v, false)),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if anonymous {
            labels.insert(ANONYMOUS_LABEL.to_string(), String::new());
        }
        let meta = Meta {
            created: util::rfc3339_nanos(SystemTime::now()),
            labels,
            anonymous,
        };
        let staging = self.assemble(&meta)?;
        let target = self.dir.join(&name);
        match std::fs::rename(&staging, &target) {
            Ok(()) => self.get(&name).map(|v| (v, true)),
            // Another berth's volume is there (never empty: it has _data).
            Err(e) if matches!(e.raw_os_error(), Some(libc::EEXIST | libc::ENOTEMPTY)) => {
                let _ = std::fs::remove_dir_all(&staging);
                match self.get(&name) {
                    Ok(v) => Ok((v, false)),
                    Err(e) if e.kind() == ErrorKind::NotFound => Err(Error::conflict(format!(
                        "create {name}: {} exists but is not a volume (no {META_FILE})",
                        target.display()
                    ))),
                    Err(e) => Err(e),
                }
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                Err(Error::io(format!("creating volume {name}"), e))
            }
        }
    }

    /// A whole volume directory under a hidden name: `_data` and `meta.json`.
    fn assemble(&self, meta: &Meta) -> Result<PathBuf> {
        self.ensure_dir()?;
        let staging = self
            .dir
            .join(format!("{NEW_PREFIX}{}", util::random_token()));
        match fill(&staging, meta) {
            Ok(()) => Ok(staging),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                Err(e)
            }
        }
    }

    /// `<root>/volumes/<ns>`, traversable but not listable by others
    /// (docker's volumes directory is 0701).
    fn ensure_dir(&self) -> Result<()> {
        let Some(volumes) = self.dir.parent() else {
            return Ok(());
        };
        let io = |p: &Path, e| Error::io(format!("creating {}", p.display()), e);
        if let Some(root) = volumes.parent() {
            std::fs::create_dir_all(root).map_err(|e| io(root, e))?;
        }
        for dir in [volumes, &self.dir] {
            match std::fs::DirBuilder::new().mode(0o701).create(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(dir, e)),
            }
        }
        Ok(())
    }

    /// A volume by name; NotFound in docker's words (`get NAME: no such
    /// volume`) for an unknown or impossible name.
    pub fn get(&self, name: &str) -> Result<Volume> {
        if validate_name(name).is_err() {
            return Err(no_such_volume(name));
        }
        let dir = self.dir.join(name);
        let path = dir.join(META_FILE);
        let raw = match std::fs::read(&path) {
            Ok(r) => r,
            Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
                return Err(no_such_volume(name));
            }
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        };
        let meta: Meta = serde_json::from_slice(&raw)
            .map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
        Ok(Volume {
            name: name.to_string(),
            mountpoint: dir.join(DATA_DIR),
            created: util::parse_rfc3339(&meta.created).unwrap_or(UNIX_EPOCH),
            anonymous: meta.anonymous || meta.labels.contains_key(ANONYMOUS_LABEL),
            labels: meta.labels,
        })
    }

    /// Every volume of the namespace, in docker's order (`volume ls`
    /// sorts names naturally: `v2` before `v10`).
    pub fn list(&self) -> Result<Vec<Volume>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(format!("reading {}", self.dir.display()), e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let Some(name) = entry.file_name().to_str().map(String::from) else {
                continue;
            };
            if validate_name(&name).is_err() {
                continue;
            }
            match self.get(&name) {
                Ok(v) => out.push(v),
                // Removed while we looked.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| super::natural_cmp(&a.name, &b.name));
        Ok(out)
    }

    /// Removes a volume and everything in it (never following a symlink
    /// out of it). Whether containers use it is the caller's question
    /// (`super::remove_unused`).
    pub fn remove(&self, name: &str) -> Result<()> {
        self.get(name)?;
        self.sweep();
        let doomed = self
            .dir
            .join(format!("{DOOMED_PREFIX}{}", util::random_token()));
        match std::fs::rename(self.dir.join(name), &doomed) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(no_such_volume(name));
            }
            Err(e) => return Err(Error::io(format!("removing volume {name}"), e)),
        }
        std::fs::remove_dir_all(&doomed)
            .map_err(|e| Error::io(format!("removing volume {name}"), e))
    }

    /// Clears what a berth killed half-way left: volumes being assembled or
    /// deleted, an hour after.
    fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !(name.starts_with(NEW_PREFIX) || name.starts_with(DOOMED_PREFIX)) {
                continue;
            }
            let Ok(m) = entry.metadata() else { continue };
            let changed = UNIX_EPOCH + Duration::from_secs(m.ctime().max(0) as u64);
            if now.duration_since(changed).unwrap_or_default() > STALE_AFTER {
                util::remove_any(&entry.path());
            }
        }
    }

    /// The bytes a volume's files take (docker's `directory.Size`: every
    /// non-directory once, hard links counted once, symlinks not followed).
    pub fn size(&self, volume: &Volume) -> u64 {
        let mut seen = std::collections::HashSet::new();
        let mut total = 0;
        let mut stack = vec![volume.mountpoint.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let Ok(m) = entry.metadata() else { continue };
                if m.is_dir() {
                    stack.push(entry.path());
                } else if m.nlink() <= 1 || seen.insert((m.dev(), m.ino())) {
                    total += m.len();
                }
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Volumes) {
        let d = tempfile::tempdir().unwrap();
        let v = Volumes::new(&DataRoot::new(d.path()), "ns1").unwrap();
        (d, v)
    }

    #[test]
    fn names_follow_dockers_rule() {
        for ok in ["ab", "data", "my-vol_1.x", "0a", "A.-_"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "-ab", ".ab", "_ab", "a/b", "../x", "a b", "é1"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            validate_name("./x").unwrap_err().message(),
            "create ./x: \"./x\" includes invalid characters for a local volume name, only \
             \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host \
             directory, use absolute path"
        );
        let d = tempfile::tempdir().unwrap();
        assert!(Volumes::new(&DataRoot::new(d.path()), "../x").is_err());
    }

    #[test]
    fn create_get_list_remove() {
        let (_d, vols) = store();
        assert!(vols.list().unwrap().is_empty());
        let labels = BTreeMap::from([("k".to_string(), "v".to_string())]);
        let (v, new) = vols.create(Some("data"), labels.clone(), false).unwrap();
        assert!(new && !v.anonymous);
        assert_eq!(v.mountpoint, vols.dir().join("data/_data"));
        assert!(v.mountpoint.is_dir());
        assert_eq!(v.labels, labels);
        // An existing name is returned as it is, other labels or not.
        let (again, new) = vols.create(Some("data"), BTreeMap::new(), false).unwrap();
        assert!(!new);
        assert_eq!(again, v);
        let (anon, _) = vols.create(None, BTreeMap::new(), true).unwrap();
        assert_eq!(anon.name.len(), 64);
        assert!(anon.anonymous);
        assert_eq!(
            anon.labels.get(ANONYMOUS_LABEL).map(String::as_str),
            Some("")
        );
        vols.create(Some("v10"), BTreeMap::new(), false).unwrap();
        vols.create(Some("v9"), BTreeMap::new(), false).unwrap();
        let mut names: Vec<String> = vols.list().unwrap().into_iter().map(|v| v.name).collect();
        names.retain(|n| *n != anon.name);
        assert_eq!(names, ["data", "v9", "v10"], "natural order");
        vols.remove("data").unwrap();
        let e = vols.get("data").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.message(), "get data: no such volume");
        assert_eq!(
            vols.remove("data").unwrap_err().message(),
            "get data: no such volume"
        );
        assert_eq!(vols.get("../ns1").unwrap_err().kind(), ErrorKind::NotFound);
        // Nothing hidden stays behind.
        let left: Vec<String> = std::fs::read_dir(vols.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn concurrent_creates_of_one_name_share_one_volume() {
        let (_d, vols) = store();
        let results: Vec<(Volume, bool)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| vols.create(Some("shared"), BTreeMap::new(), false).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(results.iter().filter(|(_, new)| *new).count(), 1);
        assert!(results.iter().all(|(v, _)| *v == results[0].0));
        assert_eq!(vols.list().unwrap().len(), 1);
        assert_eq!(std::fs::read_dir(vols.dir()).unwrap().count(), 1);
    }

    #[test]
    fn removal_does_not_follow_symlinks_out() {
        let (d, vols) = store();
        let outside = d.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep"), b"x").unwrap();
        let (v, _) = vols.create(Some("vol"), BTreeMap::new(), false).unwrap();
        std::os::unix::fs::symlink(&outside, v.mountpoint.join("link")).unwrap();
        std::fs::write(v.mountpoint.join("f"), b"12345").unwrap();
        assert_eq!(vols.size(&v), 5 + outside.to_string_lossy().len() as u64);
        vols.remove("vol").unwrap();
        assert!(outside.join("keep").exists());
    }

    #[test]
    fn inspect_is_dockers_object() {
        let (_d, vols) = store();
        let (v, _) = vols.create(Some("data"), BTreeMap::new(), false).unwrap();
        let doc = v.inspect();
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "CreatedAt",
                "Driver",
                "Labels",
                "Mountpoint",
                "Name",
                "Options",
                "Scope"
            ]
        );
        assert_eq!(doc["Labels"], Value::Null);
        assert_eq!(doc["Options"], Value::Null);
        assert_eq!(doc["Mountpoint"], json!(v.mountpoint));
        let at = doc["CreatedAt"].as_str().unwrap();
        let parsed = chrono::DateTime::parse_from_rfc3339(at).unwrap();
        assert_eq!(at.len(), if at.ends_with('Z') { 20 } else { 25 }, "{at}");
        let secs = v.created.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        assert_eq!(parsed.timestamp(), secs);
        let (anon, _) = vols.create(None, BTreeMap::new(), true).unwrap();
        assert_eq!(anon.inspect()["Labels"], json!({ANONYMOUS_LABEL: ""}));
    }
}

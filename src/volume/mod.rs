//! Named and anonymous volumes, docker's `local` driver: directories under
//! the data root per containerd namespace (`store`), docker's copy-up of
//! the image's files into a new volume (`copyup`), the `volume ls`/`prune`
//! filters (`filter`), and here removal refused while a container uses a
//! volume, and prune (which containers use which volumes is the
//! container layer's to say: `container::ops::volume_users`).

pub mod copyup;
pub mod filter;
pub mod store;

use std::cmp::Ordering;
use std::collections::BTreeMap;

pub use copyup::copy_up;
pub use filter::{ListFilters, PruneFilters};
pub use store::{ANONYMOUS_LABEL, Volume, Volumes, validate_name};

use crate::error::{Error, Result};

/// Volume name → ids of the containers (any state) that mount it.
pub type Users = BTreeMap<String, Vec<String>>;

/// Removes a volume no container uses; docker's errors otherwise
/// (`get NAME: no such volume`, `remove NAME: volume is in use - [ID]`).
pub fn remove_unused(volumes: &Volumes, name: &str, users: &Users) -> Result<()> {
    volumes.get(name)?;
    if let Some(ids) = users.get(name).filter(|ids| !ids.is_empty()) {
        return Err(Error::conflict(format!(
            "remove {name}: volume is in use - [{}]",
            ids.join(", ")
        )));
    }
    volumes.remove(name)
}

/// What `prune` removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PruneReport {
    pub deleted: Vec<String>,
    /// Bytes of the removed volumes' files.
    pub reclaimed: u64,
}

/// Removes the unused volumes `filters` selects (anonymous ones unless
/// `all`). Like docker, a volume that fails to go is skipped (and logged).
pub fn prune(volumes: &Volumes, filters: &PruneFilters, users: &Users) -> Result<PruneReport> {
    let mut report = PruneReport::default();
    for v in volumes.list()? {
        if users.get(&v.name).is_some_and(|ids| !ids.is_empty()) || !filters.keep(&v) {
            continue;
        }
        let size = volumes.size(&v);
        match volumes.remove(&v.name) {
            Ok(()) => {
                report.reclaimed += size;
                report.deleted.push(v.name);
            }
            Err(e) => tracing::warn!("could not remove volume {}: {}", v.name, e.message()),
        }
    }
    Ok(report)
}

/// fvbommel/sortorder's `NaturalLess`, which `docker volume ls` sorts by:
/// runs of digits compare as numbers (`v2` < `v10`) and sort before other
/// characters; otherwise bytewise.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (da, db) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if da != db {
            return if da {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        if !da {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
            continue;
        }
        let skip_zeros = |s: &[u8], mut k: usize| {
            while k < s.len() && s[k] == b'0' {
                k += 1;
            }
            k
        };
        let digits_end = |s: &[u8], mut k: usize| {
            while k < s.len() && s[k].is_ascii_digit() {
                k += 1;
            }
            k
        };
        let (nz_a, nz_b) = (skip_zeros(a, i), skip_zeros(b, j));
        (i, j) = (digits_end(a, nz_a), digits_end(b, nz_b));
        let by_number = (i - nz_a)
            .cmp(&(j - nz_b))
            .then_with(|| a[nz_a..i].cmp(&b[nz_b..j]))
            // Equal numbers: fewer leading zeros first.
            .then_with(|| nz_a.cmp(&nz_b));
        if by_number != Ordering::Equal {
            return by_number;
        }
    }
    // Equal so far and one ended: the shorter sorts first.
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_like_dockers() {
        let mut names = vec!["v10", "v9", "a", "v09", "1x", "B", "v9a", "v", "v1"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["1x", "B", "a", "v", "v1", "v9", "v9a", "v09", "v10"]
        );
        assert_eq!(natural_cmp("abc", "abc"), Ordering::Equal);
        assert_eq!(natural_cmp("ab", "abc"), Ordering::Less);
    }

    #[test]
    fn removal_refused_while_used() {
        let d = tempfile::tempdir().unwrap();
        let vols = Volumes::new(&crate::state::DataRoot::new(d.path()), "ns").unwrap();
        vols.create(Some("used"), BTreeMap::new(), false).unwrap();
        vols.create(Some("free"), BTreeMap::new(), false).unwrap();
        let (anon, _) = vols.create(None, BTreeMap::new(), true).unwrap();
        let users = Users::from([("used".to_string(), vec!["c1".to_string(), "c2".to_string()])]);
        let e = remove_unused(&vols, "used", &users).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Conflict);
        assert_eq!(e.message(), "remove used: volume is in use - [c1, c2]");
        assert_eq!(
            remove_unused(&vols, "nope", &users).unwrap_err().message(),
            "get nope: no such volume"
        );
        let f = PruneFilters::parse(&[], false).unwrap();
        std::fs::write(anon.mountpoint.join("f"), b"abc").unwrap();
        let report = prune(&vols, &f, &users).unwrap();
        assert_eq!(report.deleted, std::slice::from_ref(&anon.name));
        assert_eq!(report.reclaimed, 3);
        let all = PruneFilters::parse(&[], true).unwrap();
        assert_eq!(prune(&vols, &all, &users).unwrap().deleted, ["free"]);
        remove_unused(&vols, "used", &Users::new()).unwrap();
        assert!(vols.list().unwrap().is_empty());
    }
}

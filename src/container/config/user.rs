//! `-u user[:group]` resolution against the image's /etc/passwd and
//! /etc/group, with runc/libcontainer's rules (docker uses them too).
//! The files are read straight from the snapshot's layer directories, so no
//! mount is needed; when those directories are not reachable (berth inside a
//! container with only the socket), numeric users still work.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUser {
    pub uid: u32,
    pub gid: u32,
    pub additional_gids: Vec<u32>,
}

struct PasswdEntry<'a> {
    name: &'a str,
    uid: u32,
    gid: u32,
}

struct GroupEntry<'a> {
    name: &'a str,
    gid: u32,
    members: Vec<&'a str>,
}

fn parse_passwd(text: &str) -> Vec<PasswdEntry<'_>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(PasswdEntry {
                name: f.first()?,
                uid: f.get(2)?.parse().ok()?,
                gid: f.get(3)?.parse().ok()?,
            })
        })
        .collect()
}

fn parse_group(text: &str) -> Vec<GroupEntry<'_>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(GroupEntry {
                name: f.first()?,
                gid: f.get(2)?.parse().ok()?,
                members: f
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Resolves `spec` ("", "name", "uid", "name:group", "uid:gid", ...).
/// `passwd`/`group` are the files' contents, None when unavailable.
pub fn resolve(spec: &str, passwd: Option<&str>, group: Option<&str>) -> Result<ResolvedUser> {
    let (user_arg, group_arg) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user_arg = if user_arg.is_empty() { "0" } else { user_arg };
    let users = passwd.map(parse_passwd).unwrap_or_default();
    let numeric_uid = user_arg.parse::<u32>().ok();
    let matched = users
        .iter()
        .find(|u| u.name == user_arg || Some(u.uid) == numeric_uid);
    let (uid, mut gid, matched_name) = match (matched, numeric_uid) {
        (Some(u), _) => (u.uid, u.gid, Some(u.name)),
        (None, Some(uid)) => (uid, 0, None),
        (None, None) => {
            let why = if passwd.is_some() {
                "no matching entries in passwd file"
            } else {
                "the image's /etc/passwd cannot be read"
            };
            return Err(Error::invalid(format!(
                "unable to find user {user_arg}: {why}"
            )));
        }
    };

    let groups = group.map(parse_group).unwrap_or_default();
    let mut additional_gids = Vec::new();
    match group_arg {
        Some(g) if !g.is_empty() => {
            let numeric_gid = g.parse::<u32>().ok();
            match groups
                .iter()
                .find(|e| e.name == g || Some(e.gid) == numeric_gid)
            {
                Some(e) => gid = e.gid,
                None => match numeric_gid {
                    Some(n) => gid = n,
                    None => {
                        return Err(Error::invalid(format!(
                            "unable to find group {g}: no matching entries in group file"
                        )));
                    }
                },
            }
        }
        // Supplementary groups only apply in the implicit form.
        _ => {
            if let Some(name) = matched_name {
                additional_gids = groups
                    .iter()
                    .filter(|e| e.members.contains(&name))
                    .map(|e| e.gid)
                    .collect();
            }
        }
    }
    // docker (moby's getUser) always lists the primary group first, then
    // the supplementary ones, without removing duplicates.
    additional_gids.insert(0, gid);
    Ok(ResolvedUser {
        uid,
        gid,
        additional_gids,
    })
}

/// `--group-add`: more supplementary groups, by name (from the image's
/// group file) or number, after the user's own.
pub fn add_groups(user: &mut ResolvedUser, adds: &[String], group: Option<&str>) -> Result<()> {
    let groups = group.map(parse_group).unwrap_or_default();
    for g in adds {
        let gid = match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => groups
                .iter()
                .find(|e| e.name == g)
                .map(|e| e.gid)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "Unable to find group {g}: no matching entries in group file"
                    ))
                })?,
        };
        user.additional_gids.push(gid);
    }
    Ok(())
}

/// Whether resolving `spec` needs nothing from the image's files beyond
/// what a missing file would give anyway.
pub fn is_numeric(spec: &str) -> bool {
    let (u, g) = spec.split_once(':').unwrap_or((spec, "0"));
    (u.is_empty() || u.parse::<u32>().is_ok()) && (g.is_empty() || g.parse::<u32>().is_ok())
}

/// The directories of a snapshot's mounts, topmost first, or None when
/// the mount type is not one berth can read through.
pub fn layer_dirs(mounts: &[containerd_client::types::Mount]) -> Option<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for m in mounts {
        match m.r#type.as_str() {
            "bind" | "rbind" => dirs.push(PathBuf::from(&m.source)),
            "overlay" => {
                for opt in &m.options {
                    if let Some(u) = opt.strip_prefix("upperdir=") {
                        dirs.insert(0, PathBuf::from(u));
                    }
                }
                for opt in &m.options {
                    if let Some(l) = opt.strip_prefix("lowerdir=") {
                        dirs.extend(l.split(':').map(PathBuf::from));
                    }
                }
            }
            _ => return None,
        }
    }
    Some(dirs)
}

/// Reads a file (path relative to the root, e.g. `etc/passwd`) through
/// overlay layer directories, honouring whiteouts and opaque directories.
/// Err when the directories themselves cannot be reached.
pub fn read_through_layers(dirs: &[PathBuf], rel: &str) -> std::io::Result<Option<String>> {
    let parent = Path::new(rel).parent().unwrap_or(Path::new(""));
    for dir in dirs {
        std::fs::metadata(dir)?;
        let path = dir.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(md) if md.file_type().is_file() => return std::fs::read_to_string(&path).map(Some),
            // A 0:0 character device is overlay's whiteout: deleted above.
            Ok(md) if md.file_type().is_char_device() && md.rdev() == 0 => return Ok(None),
            // Symlinked passwd files are rare; do not follow them out of the layer.
            Ok(_) => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if is_opaque(&dir.join(parent)) {
            return Ok(None);
        }
    }
    Ok(None)
}

fn is_opaque(dir: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let Ok(p) = CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    let mut buf = [0u8; 4];
    let name = c"trusted.overlay.opaque";
    // SAFETY: valid NUL-terminated strings and a buffer of the given size.
    let n = unsafe {
        libc::lgetxattr(
            p.as_ptr(),
            name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    n == 1 && buf[0] == b'y'
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nberth:x:1000:1000::/home/berth:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n";
    const GROUP: &str = "root:x:0:\nwheel:x:10:root\nberth:x:1000:\nextra:x:1001:berth,other\n";

    fn r(spec: &str) -> Result<ResolvedUser> {
        resolve(spec, Some(PASSWD), Some(GROUP))
    }

    #[test]
    fn default_user_is_root_with_its_groups() {
        let u = r("").unwrap();
        assert_eq!((u.uid, u.gid, u.additional_gids), (0, 0, vec![0, 10]));
    }

    #[test]
    fn by_name_and_uid() {
        let u = r("berth").unwrap();
        assert_eq!(
            (u.uid, u.gid, u.additional_gids.clone()),
            (1000, 1000, vec![1000, 1001])
        );
        assert_eq!(r("1000").unwrap(), u);
    }

    #[test]
    fn explicit_group_drops_supplementary_groups() {
        let u = r("berth:extra").unwrap();
        assert_eq!((u.uid, u.gid, u.additional_gids), (1000, 1001, vec![1001]));
        assert_eq!(r("berth:42").unwrap().gid, 42);
    }

    #[test]
    fn unknown_numeric_user_gets_gid_zero() {
        let u = r("4242").unwrap();
        assert_eq!((u.uid, u.gid, u.additional_gids), (4242, 0, vec![0]));
        assert_eq!(r("4242:7").unwrap().gid, 7);
    }

    #[test]
    fn unknown_names_fail_like_runc() {
        assert_eq!(
            r("ghost").unwrap_err().message(),
            "unable to find user ghost: no matching entries in passwd file"
        );
        assert_eq!(
            r("berth:ghosts").unwrap_err().message(),
            "unable to find group ghosts: no matching entries in group file"
        );
    }

    #[test]
    fn without_files_only_numbers_work() {
        assert_eq!(resolve("5:6", None, None).unwrap().gid, 6);
        assert!(resolve("berth", None, None).is_err());
        assert!(is_numeric("5:6") && is_numeric("") && is_numeric("7"));
        assert!(!is_numeric("berth") && !is_numeric("1:wheel"));
    }

    #[test]
    fn reads_through_layers_with_whiteouts() {
        let tmp = tempfile::tempdir().unwrap();
        let upper = tmp.path().join("upper");
        let lower = tmp.path().join("lower");
        std::fs::create_dir_all(upper.join("etc")).unwrap();
        std::fs::create_dir_all(lower.join("etc")).unwrap();
        std::fs::write(lower.join("etc/passwd"), "low").unwrap();
        std::fs::write(lower.join("etc/group"), "grp").unwrap();
        std::fs::write(upper.join("etc/passwd"), "up").unwrap();
        let dirs = vec![upper.clone(), lower.clone()];
        assert_eq!(
            read_through_layers(&dirs, "etc/passwd").unwrap().as_deref(),
            Some("up")
        );
        assert_eq!(
            read_through_layers(&dirs, "etc/group").unwrap().as_deref(),
            Some("grp")
        );
        assert_eq!(read_through_layers(&dirs, "etc/shadow").unwrap(), None);
        assert!(read_through_layers(&[tmp.path().join("gone")], "etc/passwd").is_err());
    }

    #[test]
    fn overlay_mount_dirs() {
        let m = containerd_client::types::Mount {
            r#type: "overlay".into(),
            source: "overlay".into(),
            target: String::new(),
            options: vec![
                "workdir=/w".into(),
                "upperdir=/u".into(),
                "lowerdir=/l1:/l2".into(),
            ],
        };
        let dirs = layer_dirs(&[m]).unwrap();
        assert_eq!(dirs, vec![PathBuf::from("/u"), "/l1".into(), "/l2".into()]);
    }
}

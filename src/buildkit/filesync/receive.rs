//! Receiving a directory over `FileSend/DiffCopy` (the local exporter):
//! buildkitd sends STATs, berth asks for each regular file (REQ), writes the
//! DATA that comes back, and says FIN when it has everything.
//!
//! Nothing is written outside `dest`: paths must be relative and clean, and
//! every parent must be a directory this transfer made or checked to be a
//! real directory, so a symlink sent earlier can never be written through.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::mode;
use crate::buildkit::h2grpc::{CallError, Inbound, Outbound};
use crate::buildkit::proto::{
    PACKET_DATA, PACKET_ERR, PACKET_FIN, PACKET_REQ, PACKET_STAT, Packet, Stat,
};
use crate::util::RealDirs;

fn fail(e: impl std::fmt::Display) -> CallError {
    CallError(e.to_string())
}

struct Pending {
    file: fs::File,
    path: PathBuf,
    stat: Stat,
}

pub async fn receive(
    dest: &Path,
    mut inbound: Inbound,
    out: &mut Outbound,
) -> Result<(), CallError> {
    fs::create_dir_all(dest).map_err(|e| fail(format!("{}: {e}", dest.display())))?;
    let mut dirs = RealDirs::default();
    let mut dir_stats: Vec<(PathBuf, Stat)> = Vec::new();
    let mut pending: HashMap<u32, Pending> = HashMap::new();
    let mut next_id: u32 = 0;
    let mut stats_done = false;
    loop {
        if stats_done && pending.is_empty() {
            break;
        }
        let Some(p) = inbound.recv::<Packet>().await? else {
            return Err(fail("the exporter ended the transfer early"));
        };
        match p.r#type {
            PACKET_STAT => {
                let Some(stat) = p.stat else {
                    stats_done = true;
                    continue;
                };
                let id = next_id;
                next_id += 1;
                let target = checked_path(dest, &stat.path, &dirs)?;
                if stat.mode & mode::DIR != 0 {
                    dirs.make(dest, &stat.path)
                        .map_err(|e| fail(format!("{}: {e}", target.display())))?;
                    dir_stats.push((target, stat));
                } else if stat.mode & mode::SYMLINK != 0 {
                    dirs.clear(dest, &stat.path);
                    std::os::unix::fs::symlink(&stat.linkname, &target).map_err(fail)?;
                } else if !stat.linkname.is_empty() {
                    let first = checked_path(dest, &stat.linkname, &dirs)?;
                    dirs.clear(dest, &stat.path);
                    fs::hard_link(first, &target).map_err(fail)?;
                } else if stat.mode & (mode::DEVICE | mode::NAMED_PIPE | mode::SOCKET) != 0 {
                    // Devices and pipes are not recreated in an output directory.
                    continue;
                } else {
                    dirs.clear(dest, &stat.path);
                    let file = fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&target)
                        .map_err(|e| fail(format!("{}: {e}", target.display())))?;
                    pending.insert(
                        id,
                        Pending {
                            file,
                            path: target,
                            stat,
                        },
                    );
                    out.send(&Packet {
                        r#type: PACKET_REQ,
                        id,
                        ..Default::default()
                    })
                    .await?;
                }
            }
            PACKET_DATA => {
                let Some(f) = pending.get_mut(&p.id) else {
                    return Err(fail(format!("data for unknown file {}", p.id)));
                };
                if p.data.is_empty() {
                    let done = pending.remove(&p.id).expect("present");
                    finish_file(done)?;
                } else {
                    f.file.write_all(&p.data).map_err(fail)?;
                }
            }
            PACKET_ERR => return Err(fail(String::from_utf8_lossy(&p.data))),
            PACKET_FIN => break,
            _ => {}
        }
    }
    // Directory times last, deepest first, so writing inside does not
    // change them again.
    // Only directories still there (one replaced by a symlink is not).
    for (path, stat) in dir_stats.iter().rev() {
        if dirs.contains(&stat.path) {
            apply_meta(path, stat)?;
        }
    }
    out.send(&Packet {
        r#type: PACKET_FIN,
        ..Default::default()
    })
    .await?;
    // The sender answers FIN and ends; anything else is ignored.
    let _ = inbound.recv::<Packet>().await;
    Ok(())
}

/// `rel` joined to dest, refusing absolute paths, `..`, and parents that
/// are not directories made (or checked) by this transfer.
fn checked_path(dest: &Path, rel: &str, dirs: &RealDirs) -> Result<PathBuf, CallError> {
    let bad = rel.is_empty()
        || rel.starts_with('/')
        || rel
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        return Err(fail(format!("refusing path {rel:?} from the exporter")));
    }
    if let Some((parent, _)) = rel.rsplit_once('/') {
        if !dirs.contains(parent) {
            return Err(fail(format!(
                "{rel:?} arrived before its directory {parent:?}"
            )));
        }
    }
    Ok(dest.join(rel))
}

fn finish_file(p: Pending) -> Result<(), CallError> {
    drop(p.file);
    apply_meta(&p.path, &p.stat)
}

fn apply_meta(path: &Path, stat: &Stat) -> Result<(), CallError> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode::to_perm(stat.mode)))
        .map_err(fail)?;
    // Ownership is the caller's, as with docker's client.
    let t = nix::sys::time::TimeSpec::new(
        stat.mod_time.div_euclid(1_000_000_000),
        stat.mod_time.rem_euclid(1_000_000_000),
    );
    let _ = nix::sys::stat::utimensat(
        nix::fcntl::AT_FDCWD,
        path,
        &t,
        &t,
        nix::sys::stat::UtimensatFlags::NoFollowSymlink,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path();
        let mut dirs = RealDirs::default();
        assert!(checked_path(dest, "../etc", &dirs).is_err());
        assert!(checked_path(dest, "/etc/passwd", &dirs).is_err());
        assert!(checked_path(dest, "a/./b", &dirs).is_err());
        assert!(
            checked_path(dest, "link/passwd", &dirs).is_err(),
            "parent not a directory we made"
        );
        dirs.make(dest, "a").unwrap();
        assert_eq!(checked_path(dest, "a/f", &dirs).unwrap(), dest.join("a/f"));
        // A symlink sent in the directory's place: nothing goes through it.
        dirs.clear(dest, "a");
        std::os::unix::fs::symlink("/etc", dest.join("a")).unwrap();
        assert!(checked_path(dest, "a/f", &dirs).is_err());
    }
}

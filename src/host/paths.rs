//! Paths as the helper must use them: the caller's (what the user named
//! in its container), and berth's own binary on the host.

use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::state::DataRoot;

static CALLER_ROOT: OnceLock<PathBuf> = OnceLock::new();
static CALLER_CWD: OnceLock<PathBuf> = OnceLock::new();
static CALLER_MOUNTS: OnceLock<CallerMounts> = OnceLock::new();

/// How the caller's files lie on the host: its root filesystem (the
/// bundle's `rootfs`, mounted by the shim) and its bind mounts.
#[derive(Debug, Default)]
pub(super) struct CallerMounts {
    pub rootfs: Option<PathBuf>,
    /// (destination in the caller, source on the host).
    pub binds: Vec<(String, String)>,
}

pub(super) fn set_caller_mounts(m: CallerMounts) {
    let _ = CALLER_MOUNTS.set(m);
}

/// Records the caller's root (`/proc/<pid>/root`) and working directory
/// (in its own view); once, by `enter`.
pub(super) fn set_caller(root: PathBuf, cwd: PathBuf) {
    let _ = CALLER_ROOT.set(root);
    let _ = CALLER_CWD.set(cwd);
}

/// The user's working directory: the caller's in the helper (whose own
/// is in another mount namespace, which getcwd cannot name).
pub fn working_dir() -> std::io::Result<PathBuf> {
    match CALLER_CWD.get() {
        Some(cwd) => Ok(cwd.clone()),
        None => std::env::current_dir(),
    }
}

/// The caller's root when this process is the helper.
fn caller_root() -> Option<&'static Path> {
    CALLER_ROOT.get().map(PathBuf::as_path)
}

static CONTAINERD_ADDRESS: OnceLock<PathBuf> = OnceLock::new();

pub(super) fn set_containerd_address(address: PathBuf) {
    let _ = CONTAINERD_ADDRESS.set(address);
}

/// In the helper: containerd's socket as the host sees it (the one that
/// started the helper), which outlives the caller.
pub fn containerd_address() -> Option<&'static Path> {
    CONTAINERD_ADDRESS.get().map(PathBuf::as_path)
}

static RUNTIME_BOUNDING: OnceLock<u64> = OnceLock::new();

pub(super) fn set_runtime_bounding(set: u64) {
    let _ = RUNTIME_BOUNDING.set(set);
}

/// In the helper: the capability bounding set of the shim that runs
/// containers (what `--privileged` may hand out; the helper's own is
/// smaller).
pub fn runtime_bounding() -> Option<u64> {
    RUNTIME_BOUNDING.get().copied()
}

/// This process is berth's helper task on the host.
pub fn in_helper() -> bool {
    caller_root().is_some()
}

/// The user's side of a file copy: the root their paths resolve in (`/`,
/// in the helper the caller's root), their working directory and their
/// user and group (the caller's in the helper).
pub fn local_side() -> std::io::Result<(PathBuf, PathBuf, u32, u32)> {
    let cwd = working_dir()?;
    let Some(root) = caller_root() else {
        let (u, g) = (nix::unistd::geteuid(), nix::unistd::getegid());
        return Ok((PathBuf::from("/"), cwd, u.as_raw(), g.as_raw()));
    };
    // /proc/<pid>/root -> /proc/<pid>/status: "Uid:\treal\teffective...".
    let status = std::fs::read_to_string(root.with_file_name("status"))?;
    let id = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok((root.to_path_buf(), cwd, id("Uid:"), id("Gid:")))
}

/// `path` as the user meant it: in the helper, an absolute path is the
/// caller's, resolved inside the caller's root (its symlinks and `..`
/// stay there); a relative one is left alone (the helper's working
/// directory is the caller's). Outside the helper, `path` itself.
pub fn caller_path(path: impl AsRef<Path>) -> PathBuf {
    let path = path.as_ref();
    match caller_root() {
        Some(root) if path.is_absolute() => resolve_in(root, path),
        _ => path.to_path_buf(),
    }
}

/// A bind mount's source as the host must name it: the path the user
/// gave, in the helper the caller's file under its bind mount's host
/// source or its root filesystem. Outside the helper, `path` itself.
pub fn bind_source(path: &str) -> Result<String> {
    let (Some(root), Some(mounts)) = (caller_root(), CALLER_MOUNTS.get()) else {
        return Ok(path.to_string());
    };
    let resolved = resolve_in(root, Path::new(path));
    let inside = Path::new("/").join(resolved.strip_prefix(root).unwrap_or(&resolved));
    let inside_s = inside.to_string_lossy();
    let under = |dest: &str| {
        let d = dest.trim_end_matches('/');
        inside_s == d || inside_s.starts_with(&format!("{d}/")) || d.is_empty()
    };
    let bind = mounts
        .binds
        .iter()
        .filter(|(d, _)| under(d))
        .max_by_key(|(d, _)| d.len());
    // A mount of the caller's own (a tmpfs, say) below the bind or the
    // root has nothing on the host to bind.
    let covering = mount_point_of(root, &inside_s);
    let deepest_bind = bind.map_or(0, |(d, _)| d.trim_end_matches('/').len());
    if covering.len() > deepest_bind && covering != "/" {
        return Err(Error::invalid(format!(
            "{path} is on a mount of berth's container ({covering}) that the host cannot bind-mount: \
             use a directory of the container's image, a volume or a host directory mounted into it"
        )));
    }
    let host = match bind {
        Some((d, source)) => {
            let rest = inside
                .strip_prefix(d.trim_end_matches('/'))
                .unwrap_or(Path::new(""));
            Path::new(source).join(rest)
        }
        None => match &mounts.rootfs {
            Some(rootfs) => rootfs.join(inside.strip_prefix("/").unwrap_or(&inside)),
            None => {
                return Err(Error::invalid(format!(
                    "{path}: the host path of berth's container's root filesystem is unknown"
                )));
            }
        },
    };
    Ok(host.display().to_string())
}

/// The caller's mount point that holds `inside` (from its mountinfo).
fn mount_point_of(root: &Path, inside: &str) -> String {
    let info = root.parent().map(|p| p.join("mountinfo"));
    let text = info
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split(' ').nth(4))
        .filter(|m| *m == "/" || inside == *m || inside.starts_with(&format!("{m}/")))
        .max_by_key(|m| m.len())
        .unwrap_or("/")
        .to_string()
}

/// `path` resolved under `root` as if `root` were `/`: symlinks are
/// followed with absolute targets taken from `root`, `..` never climbs
/// above it; past the first missing component the rest is appended as is.
pub fn resolve_in(root: &Path, path: &Path) -> PathBuf {
    let mut done: Vec<std::ffi::OsString> = Vec::new();
    let mut todo: Vec<std::ffi::OsString> = components(path).into_iter().rev().collect();
    let mut links = 0;
    while let Some(part) = todo.pop() {
        if part == ".." {
            done.pop();
            continue;
        }
        let here: PathBuf = root.join(done.iter().collect::<PathBuf>()).join(&part);
        match std::fs::read_link(&here) {
            Ok(target) if links < 40 => {
                links += 1;
                if target.is_absolute() {
                    done.clear();
                }
                todo.extend(components(&target).into_iter().rev());
            }
            _ => done.push(part),
        }
    }
    root.join(done.iter().collect::<PathBuf>())
}

fn components(p: &Path) -> Vec<std::ffi::OsString> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_os_string()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

/// berth's binary as a host path the shim can run (the `binary://` log
/// driver): berth's own path on the host; in the helper a copy of this
/// binary under the data root, made once per build, which outlives the
/// caller's container.
pub fn host_binary(data: &DataRoot) -> Result<PathBuf> {
    if !in_helper() {
        return std::env::current_exe().map_err(|e| Error::io("finding berth's own binary", e));
    }
    let exe = Path::new("/proc/self/exe");
    let size = std::fs::metadata(exe)
        .map_err(|e| Error::io("reading berth's own binary", e))?
        .size();
    let dir = data.root().join("bin");
    let name = format!("berth-{}-{}", crate::info::VERSION, crate::info::COMMIT);
    let path = dir.join(name);
    if std::fs::metadata(&path).is_ok_and(|m| m.size() == size) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let tmp = dir.join(format!(".berth.{}", crate::util::random_token()));
    let copy = || -> std::io::Result<()> {
        let mut from = std::fs::File::open(exe)?;
        let mut to = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o755)
            .open(&tmp)?;
        std::io::copy(&mut from, &mut to)?;
        std::fs::rename(&tmp, &path)
    };
    copy().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("copying berth's binary to {}", path.display()), e)
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_root() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("real/ws")).unwrap();
        std::os::unix::fs::symlink("/real", root.join("abs")).unwrap();
        std::os::unix::fs::symlink("../../..", root.join("real/up")).unwrap();
        std::os::unix::fs::symlink("ws", root.join("real/rel")).unwrap();
        let r = |p: &str| resolve_in(root, Path::new(p));
        assert_eq!(r("/real/ws"), root.join("real/ws"));
        // An absolute link target is the root's, not the host's.
        assert_eq!(r("/abs/ws/x"), root.join("real/ws/x"));
        assert_eq!(r("/real/rel"), root.join("real/ws"));
        // `..`, by hand or through a link, stops at the root.
        assert_eq!(r("/../../etc"), root.join("etc"));
        assert_eq!(r("/real/up/etc"), root.join("etc"));
        assert_eq!(r("/missing/../x/y"), root.join("x/y"));
    }

    #[test]
    fn a_link_loop_ends() {
        let t = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/b", t.path().join("a")).unwrap();
        std::os::unix::fs::symlink("/a", t.path().join("b")).unwrap();
        let got = resolve_in(t.path(), Path::new("/a/x"));
        assert!(got.starts_with(t.path()), "{got:?}");
    }
}

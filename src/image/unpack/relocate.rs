//! Moving an applied layer from a scratch snapshot into the snapshot it
//! belongs in, for containerd versions that cannot give a snapshot its
//! parent at commit (before 2.2). Both directories are overlay upper
//! directories of the same snapshotter, so on one filesystem: each entry of
//! the layer's top directory is renamed across (whiteout devices and
//! opaque-directory xattrs travel with their inodes), and the top
//! directory's own mode, owner, xattrs and times are copied.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub fn move_contents(from: &Path, to: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        std::fs::rename(entry.path(), to.join(entry.file_name()))?;
    }
    copy_dir_attributes(from, to)
}

fn cstr(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::other("path with a NUL byte"))
}

fn check(r: libc::c_int) -> io::Result<()> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn copy_dir_attributes(from: &Path, to: &Path) -> io::Result<()> {
    let md = std::fs::symlink_metadata(from)?;
    std::os::unix::fs::lchown(to, Some(md.uid()), Some(md.gid()))?;
    std::fs::set_permissions(to, md.permissions())?;
    for (name, value) in xattrs(from)? {
        let (p, n) = (cstr(to)?, CString::new(name).map_err(io::Error::other)?);
        // SAFETY: valid NUL-terminated strings and a buffer of value.len() bytes.
        check(unsafe {
            libc::lsetxattr(
                p.as_ptr(),
                n.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                0,
            )
        })?;
    }
    // Last: the renames above changed the target's times.
    let times = [
        libc::timespec {
            tv_sec: md.atime(),
            tv_nsec: md.atime_nsec(),
        },
        libc::timespec {
            tv_sec: md.mtime(),
            tv_nsec: md.mtime_nsec(),
        },
    ];
    let p = cstr(to)?;
    // SAFETY: a valid path and two timespecs, as utimensat requires.
    check(unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            p.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })
}

/// Every extended attribute of `path` (not following symlinks).
fn xattrs(path: &Path) -> io::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let p = cstr(path)?;
    // SAFETY: a null buffer of size 0 asks for the size needed.
    let size = unsafe { libc::llistxattr(p.as_ptr(), std::ptr::null_mut(), 0) };
    if size <= 0 {
        return if size < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(Vec::new())
        };
    }
    let mut names = vec![0u8; size as usize];
    // SAFETY: the buffer holds `names.len()` bytes.
    let size = unsafe { libc::llistxattr(p.as_ptr(), names.as_mut_ptr().cast(), names.len()) };
    if size < 0 {
        return Err(io::Error::last_os_error());
    }
    names.truncate(size as usize);
    let mut out = Vec::new();
    for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let n = CString::new(name).map_err(io::Error::other)?;
        let mut value = vec![0u8; 4096];
        // SAFETY: the buffer holds `value.len()` bytes.
        let len = unsafe {
            libc::lgetxattr(
                p.as_ptr(),
                n.as_ptr(),
                value.as_mut_ptr().cast(),
                value.len(),
            )
        };
        if len < 0 {
            return Err(io::Error::last_os_error());
        }
        value.truncate(len as usize);
        out.push((name.to_vec(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn moves_entries_and_the_top_directorys_attributes() {
        let tmp = tempfile::tempdir().unwrap();
        let (from, to) = (tmp.path().join("scratch"), tmp.path().join("real"));
        std::fs::create_dir_all(from.join("etc/app")).unwrap();
        std::fs::write(from.join("etc/app/conf"), "x").unwrap();
        std::os::unix::fs::symlink("etc", from.join("link")).unwrap();
        std::fs::create_dir(&to).unwrap();
        std::fs::set_permissions(&from, std::fs::Permissions::from_mode(0o711)).unwrap();
        let p = cstr(&from).unwrap();
        let (n, v) = (c"trusted.overlay.opaque", b"y");
        // SAFETY: valid strings and buffer (root sets trusted.* xattrs).
        unsafe { libc::lsetxattr(p.as_ptr(), n.as_ptr(), v.as_ptr().cast(), 1, 0) };
        move_contents(&from, &to).unwrap();
        assert_eq!(std::fs::read_dir(&from).unwrap().count(), 0);
        assert_eq!(
            std::fs::read_to_string(to.join("etc/app/conf")).unwrap(),
            "x"
        );
        assert_eq!(
            std::fs::read_link(to.join("link")).unwrap(),
            Path::new("etc")
        );
        let md = std::fs::metadata(&to).unwrap();
        assert_eq!(md.permissions().mode() & 0o7777, 0o711);
        assert_eq!(md.mtime(), std::fs::metadata(&from).unwrap().mtime());
        assert_eq!(xattrs(&to).unwrap(), xattrs(&from).unwrap());
    }
}

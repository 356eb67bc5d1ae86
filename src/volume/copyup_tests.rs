//! copy-up against layer directories built in a temporary directory. The
//! tests run as root (owners, whiteout device nodes, trusted xattrs); run
//! as a user, the overlay-whiteout case says so and is left out.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::time::{Duration, UNIX_EPOCH};

use super::*;

struct Image {
    _tmp: tempfile::TempDir,
    /// Layer directories, top first.
    layers: Vec<PathBuf>,
    dest: PathBuf,
}

/// `n` empty layers and an empty volume directory.
fn image(n: usize) -> Image {
    let tmp = tempfile::tempdir().unwrap();
    let layers: Vec<PathBuf> = (0..n).map(|i| tmp.path().join(format!("l{i}"))).collect();
    for l in &layers {
        std::fs::create_dir(l).unwrap();
    }
    let dest = tmp.path().join("vol/_data");
    std::fs::create_dir_all(&dest).unwrap();
    Image {
        _tmp: tmp,
        layers,
        dest,
    }
}

fn put(layer: &Path, rel: &str, content: &str) {
    let p = layer.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn read(dest: &Path, rel: &str) -> String {
    std::fs::read_to_string(dest.join(rel)).unwrap()
}

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// An overlayfs whiteout, or None when not root (`cargo test --lib` as
/// a user). As root (CI, scripts/test) a failing mknod fails the test: it
/// is never skipped there.
fn overlay_whiteout(path: &Path) -> Option<()> {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let dev = nix::sys::stat::makedev(0, 0);
    match nix::sys::stat::mknod(path, nix::sys::stat::SFlag::S_IFCHR, Mode::empty(), dev) {
        Ok(()) => Some(()),
        Err(e) if nix::unistd::geteuid().is_root() => {
            panic!("mknod of an overlay whiteout failed as root: {e}")
        }
        Err(e) => {
            eprintln!("not root: the overlay-whiteout case needs CAP_MKNOD ({e})");
            None
        }
    }
}

#[test]
fn upper_layers_win_and_oci_whiteouts_delete() {
    let img = image(2);
    let (upper, lower) = (&img.layers[0], &img.layers[1]);
    put(lower, "data/a", "lower a");
    put(lower, "data/b", "lower b");
    put(lower, "data/sub/c", "lower c");
    put(lower, "data/gone/x", "x");
    put(upper, "data/.wh.a", "");
    put(upper, "data/.wh.gone", "");
    put(upper, "data/b", "upper b");
    put(upper, "data/sub/d", "upper d");
    assert!(copy_up(&img.layers, "/data", &img.dest).unwrap());
    assert_eq!(names(&img.dest), ["b", "sub"]);
    assert_eq!(read(&img.dest, "b"), "upper b");
    assert_eq!(names(&img.dest.join("sub")), ["c", "d"]);
    assert_eq!(read(&img.dest, "sub/c"), "lower c");
}

#[test]
fn overlay_device_whiteouts_delete() {
    let img = image(2);
    let (upper, lower) = (&img.layers[0], &img.layers[1]);
    put(lower, "data/x", "x");
    put(lower, "data/y", "y");
    put(lower, "other/f", "f");
    if overlay_whiteout(&upper.join("data/x")).is_none() {
        return;
    }
    assert!(copy_up(&img.layers, "/data", &img.dest).unwrap());
    assert_eq!(names(&img.dest), ["y"]);
    // The path itself whited out: nothing to copy.
    let fresh = image(2);
    put(&fresh.layers[1], "other/f", "f");
    overlay_whiteout(&fresh.layers[0].join("other")).unwrap();
    assert!(!copy_up(&fresh.layers, "/other", &fresh.dest).unwrap());
    assert!(names(&fresh.dest).is_empty());
}

#[test]
fn opaque_directories_hide_lower_layers() {
    let img = image(2);
    let (upper, lower) = (&img.layers[0], &img.layers[1]);
    put(lower, "data/old", "old");
    put(lower, "data/keep/deep", "hidden too");
    put(upper, "data/.wh..wh..opq", "");
    put(upper, "data/new", "new");
    assert!(copy_up(&img.layers, "/data", &img.dest).unwrap());
    assert_eq!(names(&img.dest), ["new"]);

    // overlayfs's own mark: the trusted.overlay.opaque xattr.
    let img = image(2);
    let (upper, lower) = (&img.layers[0], &img.layers[1]);
    put(lower, "data/old", "old");
    put(upper, "data/new", "new");
    let dir = CString::new(upper.join("data").as_os_str().as_bytes()).unwrap();
    let attr = CString::new("trusted.overlay.opaque").unwrap();
    // SAFETY: NUL-terminated strings and a one-byte value we own.
    let rc = unsafe { libc::lsetxattr(dir.as_ptr(), attr.as_ptr(), b"y".as_ptr().cast(), 1, 0) };
    if rc != 0 {
        eprintln!(
            "skipped: no trusted xattrs here ({})",
            std::io::Error::last_os_error()
        );
        return;
    }
    assert!(copy_up(&img.layers, "/data", &img.dest).unwrap());
    assert_eq!(names(&img.dest), ["new"]);
}

#[test]
fn symlinks_are_copied_as_links_and_resolved_inside_the_image() {
    let img = image(2);
    let (upper, lower) = (&img.layers[0], &img.layers[1]);
    put(lower, "data/f", "f");
    std::fs::create_dir_all(upper.join("data")).unwrap();
    // Points at a host file: kept as a link, never read.
    std::os::unix::fs::symlink("/etc/hostname", upper.join("data/host")).unwrap();
    std::os::unix::fs::symlink("f", upper.join("data/rel")).unwrap();
    assert!(copy_up(&img.layers, "/data", &img.dest).unwrap());
    assert_eq!(names(&img.dest), ["f", "host", "rel"]);
    let host = img.dest.join("host");
    assert!(
        std::fs::symlink_metadata(&host)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_link(&host).unwrap(),
        Path::new("/etc/hostname")
    );

    // /var/run -> /run (absolute, from the image's root) and a relative
    // link with `..` on the way to the path.
    let img = image(1);
    let l = &img.layers[0];
    put(l, "run/app/pid", "1");
    std::fs::create_dir_all(l.join("var")).unwrap();
    std::os::unix::fs::symlink("/run", l.join("var/run")).unwrap();
    std::fs::create_dir_all(l.join("srv")).unwrap();
    std::os::unix::fs::symlink("../run/app", l.join("srv/app")).unwrap();
    assert!(copy_up(&img.layers, "/var/run/app", &img.dest).unwrap());
    assert_eq!(read(&img.dest, "pid"), "1");
    let again = image(0);
    assert!(copy_up(&img.layers, "/srv/app", &again.dest).unwrap());
    assert_eq!(read(&again.dest, "pid"), "1");

    // A link that escapes to the host's root stays in the image's root.
    std::os::unix::fs::symlink("/etc", l.join("etc-link")).unwrap();
    let escape = image(0);
    assert!(!copy_up(&img.layers, "/etc-link", &escape.dest).unwrap());
    std::os::unix::fs::symlink("loop", l.join("loop")).unwrap();
    assert!(!copy_up(&img.layers, "/loop", &escape.dest).unwrap());
    assert!(names(&escape.dest).is_empty());
}

#[test]
fn owners_modes_and_times_are_kept() {
    let img = image(1);
    let l = &img.layers[0];
    put(l, "data/sub/f", "secret");
    let f = l.join("data/sub/f");
    let when = UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    // Owner first: a chown clears set-id bits.
    std::os::unix::fs::lchown(&f, Some(1234), Some(5678)).unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o4750)).unwrap();
    std::fs::File::open(&f).unwrap().set_modified(when).unwrap();
    std::os::unix::fs::symlink("f", l.join("data/sub/link")).unwrap();
    std::os::unix::fs::lchown(l.join("data/sub/link"), Some(42), Some(43)).unwrap();
    let data = l.join("data");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o1770)).unwrap();
    std::os::unix::fs::lchown(&data, Some(999), Some(998)).unwrap();
    std::fs::File::open(l.join("data/sub"))
        .unwrap()
        .set_modified(when)
        .unwrap();

    assert!(copy_up(&img.layers, "/data", &img.dest).unwrap());
    let m = std::fs::metadata(img.dest.join("sub/f")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o4750, 1234, 5678));
    assert_eq!(m.modified().unwrap(), when);
    let link = std::fs::symlink_metadata(img.dest.join("sub/link")).unwrap();
    assert_eq!((link.uid(), link.gid()), (42, 43));
    let sub = std::fs::metadata(img.dest.join("sub")).unwrap();
    assert_eq!(sub.modified().unwrap(), when);
    // The volume's own directory takes the image directory's owner and mode.
    let top = std::fs::metadata(&img.dest).unwrap();
    assert_eq!(
        (top.mode() & 0o7777, top.uid(), top.gid()),
        (0o1770, 999, 998)
    );
}

#[test]
fn only_an_empty_volume_gets_the_files() {
    let img = image(1);
    put(&img.layers[0], "data/f", "image");
    std::fs::write(img.dest.join("mine"), "volume").unwrap();
    assert!(!copy_up(&img.layers, "/data", &img.dest).unwrap());
    assert_eq!(names(&img.dest), ["mine"]);
    assert_eq!(read(&img.dest, "mine"), "volume");
}

#[test]
fn no_directory_in_the_image_copies_nothing() {
    let img = image(2);
    put(&img.layers[1], "etc/file", "x");
    put(&img.layers[1], "gone/f", "x");
    put(&img.layers[0], ".wh.gone", "");
    for path in [
        "/missing",
        "/etc/file",
        "/etc/file/below",
        "/gone",
        "/gone/f",
    ] {
        assert!(!copy_up(&img.layers, path, &img.dest).unwrap(), "{path}");
    }
    assert!(!copy_up(&[], "/data", &img.dest).unwrap());
    assert!(names(&img.dest).is_empty());
    // An empty image directory still gives the volume its owner and mode.
    std::fs::create_dir(img.layers[0].join("empty")).unwrap();
    assert!(copy_up(&img.layers, "/empty", &img.dest).unwrap());
    // A dest that is a symlink is refused, not followed.
    let link = img.dest.parent().unwrap().join("link");
    std::os::unix::fs::symlink(&img.dest, &link).unwrap();
    assert!(copy_up(&img.layers, "/empty", &link).is_err());
}

//! `--device`, `--device-cgroup-rule` and `--privileged`'s host devices:
//! device nodes as the runtime spec describes them, read from the host.

use std::path::Path;

use crate::container::model::DeviceMapping;
use crate::error::{Error, Result};
use oci_spec::runtime::{
    LinuxDevice, LinuxDeviceBuilder, LinuxDeviceCgroup, LinuxDeviceCgroupBuilder, LinuxDeviceType,
};

/// `c 1:3 mr`, `a *:* rwm`: checked, kept as given.
pub fn parse_cgroup_rule(s: &str) -> Result<String> {
    cgroup_rule(s).map(|_| s.to_string())
}

pub(super) fn cgroup_rule(s: &str) -> Result<LinuxDeviceCgroup> {
    let bad = || Error::invalid(format!("invalid device cgroup rule format: '{s}'"));
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [typ, numbers, access] = parts.as_slice() else {
        return Err(bad());
    };
    let typ = match *typ {
        "a" => LinuxDeviceType::A,
        "b" => LinuxDeviceType::B,
        "c" => LinuxDeviceType::C,
        _ => return Err(bad()),
    };
    let (major, minor) = numbers.split_once(':').ok_or_else(bad)?;
    let num = |n: &str| -> Result<Option<i64>> {
        match n {
            "*" => Ok(None),
            n => n.parse().map(Some).map_err(|_| bad()),
        }
    };
    if access.is_empty() || !access.chars().all(|c| "rwm".contains(c)) {
        return Err(bad());
    }
    let mut b = LinuxDeviceCgroupBuilder::default()
        .allow(true)
        .typ(typ)
        .access(access.to_string());
    if let Some(m) = num(major)? {
        b = b.major(m);
    }
    if let Some(m) = num(minor)? {
        b = b.minor(m);
    }
    b.build().map_err(|_| bad())
}

/// `HOST[:CONTAINER][:PERMS]`.
pub fn parse_device(s: &str) -> Result<DeviceMapping> {
    let bad = || Error::invalid(format!("invalid device specification: {s}"));
    let is_perms = |p: &str| !p.is_empty() && p.chars().all(|c| "rwm".contains(c));
    let parts: Vec<&str> = s.split(':').collect();
    let (host, ctr, perms) = match parts.as_slice() {
        [h] => (*h, *h, "rwm"),
        [h, p] if is_perms(p) => (*h, *h, *p),
        [h, c] => (*h, *c, "rwm"),
        [h, c, p] if is_perms(p) => (*h, *c, *p),
        _ => return Err(bad()),
    };
    if !host.starts_with('/') || !ctr.starts_with('/') {
        return Err(bad());
    }
    Ok(DeviceMapping {
        path_on_host: host.to_string(),
        path_in_container: ctr.to_string(),
        cgroup_permissions: perms.to_string(),
    })
}

/// The device node at `m.path_on_host`, as the spec describes it.
pub(super) fn host_device(m: &DeviceMapping) -> Result<(LinuxDevice, String)> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta = std::fs::metadata(&m.path_on_host).map_err(|e| {
        Error::invalid(format!(
            "error gathering device information while adding custom device {:?}: {e}",
            m.path_on_host
        ))
    })?;
    let ft = meta.file_type();
    let typ = if ft.is_char_device() {
        LinuxDeviceType::C
    } else if ft.is_block_device() {
        LinuxDeviceType::B
    } else {
        return Err(Error::invalid(format!(
            "error gathering device information while adding custom device {:?}: not a device node",
            m.path_on_host
        )));
    };
    let rdev = meta.rdev();
    LinuxDeviceBuilder::default()
        .path(&m.path_in_container)
        .typ(typ)
        .major(nix::sys::stat::major(rdev) as i64)
        .minor(nix::sys::stat::minor(rdev) as i64)
        .file_mode(meta.mode() & 0o777)
        .uid(meta.uid())
        .gid(meta.gid())
        .build()
        .map(|d| (d, m.cgroup_permissions.clone()))
        .map_err(|e| Error::invalid(format!("device {}: {e}", m.path_on_host)))
}

/// Every char and block device under /dev, as runc's `HostDevices` finds
/// them (for `--privileged`).
pub(super) fn host_devices(dir: &Path, out: &mut Vec<(LinuxDevice, String)>) {
    const SKIP: &[&str] = &["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if !SKIP.contains(&e.file_name().to_string_lossy().as_ref()) {
                host_devices(&path, out);
            }
            continue;
        }
        if path == Path::new("/dev/console") {
            continue;
        }
        let p = path.to_string_lossy().to_string();
        let m = DeviceMapping {
            path_on_host: p.clone(),
            path_in_container: p,
            cgroup_permissions: "rwm".into(),
        };
        if let Ok(d) = host_device(&m) {
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_specs() {
        let d = parse_device("/dev/fuse").unwrap();
        assert_eq!(
            (d.path_in_container.as_str(), d.cgroup_permissions.as_str()),
            ("/dev/fuse", "rwm")
        );
        let d = parse_device("/dev/zero:/dev/z:r").unwrap();
        assert_eq!(
            (d.path_in_container.as_str(), d.cgroup_permissions.as_str()),
            ("/dev/z", "r")
        );
        let d = parse_device("/dev/zero:r").unwrap();
        assert_eq!(
            (d.path_in_container.as_str(), d.cgroup_permissions.as_str()),
            ("/dev/zero", "r")
        );
        assert!(parse_device("zero").is_err());
        assert!(parse_device("/a:/b:rwx").is_err());
        let (dev, _) = host_device(&parse_device("/dev/null").unwrap()).unwrap();
        assert_eq!((dev.major(), dev.minor()), (1, 3));
        assert!(host_device(&parse_device("/etc/hostname").unwrap()).is_err());
    }

    #[test]
    fn device_cgroup_rules() {
        let r = serde_json::to_value(cgroup_rule("c 1:* mr").unwrap()).unwrap();
        assert_eq!(
            r,
            serde_json::json!({"allow": true, "type": "c", "major": 1, "access": "mr"})
        );
        for bad in ["c 1:3", "x 1:3 r", "c 1-3 r", "c 1:3 rx", "c a:3 r"] {
            assert!(parse_cgroup_rule(bad).is_err(), "{bad}");
        }
    }
}

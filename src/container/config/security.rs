//! docker's security flags: `--privileged`, `--cap-add/--cap-drop`,
//! `--security-opt`, `--device`, `--device-cgroup-rule`, `--group-add`.
//! Into `HostConfig` as docker's CLI sends them (a seccomp profile file's
//! JSON inline); the decisions (which capabilities, which seccomp profile)
//! are pure; what needs the host (device nodes) is read by [`resolve`] at
//! creation, and [`Security::apply`] puts the result into the spec.

use std::path::Path;

use clap::Args;
use oci_spec::runtime::{
    Capability, LinuxCapabilitiesBuilder, LinuxDevice, LinuxDeviceCgroup, LinuxDeviceCgroupBuilder,
    LinuxDeviceType, LinuxSeccomp, Spec,
};

use super::devices::{cgroup_rule, host_device, host_devices, parse_cgroup_rule, parse_device};
use crate::container::caps::ALL_CAPS;
pub use crate::container::caps::DEFAULT_CAPS;
use crate::container::model::{CreateRequest, HostConfig};
use crate::container::seccomp;
use crate::error::{Error, Result};

/// The paths docker masks and makes read-only (`HostConfig.MaskedPaths`,
/// `ReadonlyPaths`); none with `--privileged` or `systempaths=unconfined`.
pub const MASKED_PATHS: &[&str] = &[
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

pub const READONLY_PATHS: &[&str] = &[
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

#[derive(Args, Debug, Clone, Default)]
pub struct SecurityFlags {
    /// Give extended privileges to this container
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub privileged: bool,
    /// Add Linux capabilities
    #[arg(long = "cap-add", value_name = "CAP")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities
    #[arg(long = "cap-drop", value_name = "CAP")]
    pub cap_drop: Vec<String>,
    /// Security Options (no-new-privileges, seccomp=unconfined|PROFILE.json, apparmor=PROFILE, systempaths=unconfined)
    #[arg(long = "security-opt", value_name = "OPT")]
    pub security_opt: Vec<String>,
    /// Add a host device to the container (HOST[:CONTAINER][:rwm])
    #[arg(long = "device", value_name = "DEVICE")]
    pub device: Vec<String>,
    /// Add a rule to the cgroup allowed devices list ('c|b|a MAJOR:MINOR rwm', * for any)
    #[arg(long = "device-cgroup-rule", value_name = "RULE", value_parser = parse_cgroup_rule)]
    pub device_cgroup_rule: Vec<String>,
    /// Add additional groups to join
    #[arg(long = "group-add", value_name = "GROUP")]
    pub group_add: Vec<String>,
}

/// `--security-opt`, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityOpts {
    pub seccomp: SeccompChoice,
    pub no_new_privileges: bool,
    pub apparmor: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SeccompChoice {
    #[default]
    Default,
    Unconfined,
    /// A profile's JSON, as docker's CLI sends a file's content (docker's
    /// daemon never reads a file).
    Inline(String),
}

/// What the security flags decided, ready for the spec.
#[derive(Debug, Clone, Default)]
pub struct Security {
    pub privileged: bool,
    pub caps: Vec<String>,
    /// None: unconfined.
    pub seccomp: Option<LinuxSeccomp>,
    pub no_new_privileges: bool,
    pub apparmor: Option<String>,
    /// Device nodes to create, with the access their cgroup rule allows.
    pub devices: Vec<(LinuxDevice, String)>,
    /// `--device-cgroup-rule`s.
    pub cgroup_rules: Vec<LinuxDeviceCgroup>,
}

impl SecurityFlags {
    /// Fills `HostConfig` as docker's CLI does: capabilities normalised, a
    /// seccomp profile file read and sent inline, `systempaths=unconfined`
    /// sent as empty masked and read-only path lists.
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let h = &mut req.host_config;
        h.privileged = self.privileged;
        let caps = |l: &[String]| -> Result<Option<Vec<String>>> {
            let v = l
                .iter()
                .map(|c| normalize_cap(c))
                .collect::<Result<Vec<_>>>()?;
            Ok((!v.is_empty()).then_some(v))
        };
        h.cap_add = caps(&self.cap_add)?;
        h.cap_drop = caps(&self.cap_drop)?;
        let mut opts = Vec::new();
        for o in &self.security_opt {
            if o == "systempaths=unconfined" {
                h.masked_paths = Some(Vec::new());
                h.readonly_paths = Some(Vec::new());
            } else {
                opts.push(inline_profile(o)?);
            }
        }
        h.security_opt = (!opts.is_empty()).then_some(opts);
        let r = &mut h.resources;
        r.devices = Some(
            self.device
                .iter()
                .map(|d| parse_device(d))
                .collect::<Result<_>>()?,
        );
        r.device_cgroup_rules =
            (!self.device_cgroup_rule.is_empty()).then(|| self.device_cgroup_rule.clone());
        h.group_add = (!self.group_add.is_empty()).then(|| self.group_add.clone());
        Ok(())
    }
}

/// docker's CLI: `seccomp=FILE` goes to the daemon as the file's JSON.
fn inline_profile(opt: &str) -> Result<String> {
    let Some(path) = opt
        .strip_prefix("seccomp=")
        .or_else(|| opt.strip_prefix("seccomp:"))
        .filter(|p| !matches!(*p, "unconfined" | "builtin" | ""))
    else {
        return Ok(opt.to_string());
    };
    let bytes = std::fs::read(path).map_err(|e| {
        Error::invalid(format!("opening seccomp profile ({path}) failed: {e}")).cli()
    })?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid(format!(
            "compacting json for seccomp profile ({path}) failed: {e}"
        ))
        .cli()
    })?;
    Ok(format!("seccomp={v}"))
}

/// What the security settings decide, with what they name on the host read.
pub fn resolve(h: &HostConfig) -> Result<Security> {
    let list = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
    let opts = parse_security_opts(&list(&h.security_opt))?;
    let caps = effective_caps(
        &list(&h.cap_add),
        &list(&h.cap_drop),
        h.privileged,
        bounding(),
    )?;
    // docker: a privileged container runs without any profile, even
    // one given with --security-opt.
    let seccomp = match (&opts.seccomp, h.privileged) {
        (_, true) | (SeccompChoice::Unconfined, _) => None,
        (SeccompChoice::Default, false) => Some(seccomp::default_profile(&caps)?),
        (SeccompChoice::Inline(json), false) => Some(
            seccomp::from_json(json.as_bytes(), &caps)
                .map_err(|e| Error::invalid(format!("seccomp profile: {}", e.message())))?,
        ),
    };
    if let Some(profile) = &opts.apparmor
        && profile != "unconfined"
        && !apparmor_enabled()
    {
        return Err(Error::invalid(format!(
            "apparmor profile {profile:?}: AppArmor is not enabled on this host"
        )));
    }
    let mut devices = Vec::new();
    if h.privileged {
        host_devices(Path::new("/dev"), &mut devices);
    }
    for m in h.resources.devices.iter().flatten() {
        devices.push(host_device(m)?);
    }
    Ok(Security {
        privileged: h.privileged,
        caps,
        seccomp,
        no_new_privileges: opts.no_new_privileges,
        apparmor: opts.apparmor.filter(|p| p != "unconfined"),
        devices,
        cgroup_rules: h
            .resources
            .device_cgroup_rules
            .iter()
            .flatten()
            .map(|r| cgroup_rule(r))
            .collect::<Result<_>>()?,
    })
}

/// `CAP_X`, `x`, `ALL`: docker's normalisation.
fn normalize_cap(c: &str) -> Result<String> {
    let up = c.to_ascii_uppercase();
    if up == "ALL" {
        return Ok(up);
    }
    let name = if up.starts_with("CAP_") {
        up
    } else {
        format!("CAP_{up}")
    };
    if !ALL_CAPS.contains(&name.as_str()) {
        return Err(Error::invalid(format!("unknown capability: {name:?}")));
    }
    Ok(name)
}

/// docker's capability rules: `--privileged` gets all; `--cap-add ALL`
/// all but the dropped; `--cap-drop ALL` only the added; else the
/// defaults minus the dropped plus the added.
pub fn effective_caps(
    adds: &[String],
    drops: &[String],
    privileged: bool,
    bounding: u64,
) -> Result<Vec<String>> {
    let all: Vec<String> = ALL_CAPS
        .iter()
        .enumerate()
        .filter(|(i, _)| bounding & (1 << i) != 0)
        .map(|(_, c)| c.to_string())
        .collect();
    if privileged {
        return Ok(all);
    }
    let adds = adds
        .iter()
        .map(|c| normalize_cap(c))
        .collect::<Result<Vec<_>>>()?;
    let drops = drops
        .iter()
        .map(|c| normalize_cap(c))
        .collect::<Result<Vec<_>>>()?;
    let has = |l: &[String], c: &str| l.iter().any(|x| x == c);
    let mut caps: Vec<String> = if has(&adds, "ALL") {
        all.into_iter().filter(|c| !has(&drops, c)).collect()
    } else if has(&drops, "ALL") {
        adds.clone()
    } else {
        DEFAULT_CAPS
            .iter()
            .map(|c| c.to_string())
            .filter(|c| !has(&drops, c))
            .chain(adds.iter().cloned())
            .collect()
    };
    caps.retain(|c| c != "ALL");
    let mut seen = std::collections::HashSet::new();
    caps.retain(|c| seen.insert(c.clone()));
    Ok(caps)
}

/// Every capability berth may hand out (`--privileged`, `exec --privileged`).
pub fn all_caps() -> Vec<String> {
    effective_caps(&[], &[], true, bounding()).unwrap_or_default()
}

/// The capabilities berth itself may hand out (its bounding set, as
/// containerd's `WithAllCurrentCapabilities` reads it): "all" means these,
/// not every capability the kernel knows (a sandbox without
/// CAP_SYS_RESOURCE could not start a `--privileged` container otherwise).
fn bounding() -> u64 {
    // berth's helper on the host hands out what the host's runtime has.
    if let Some(set) = crate::host::runtime_bounding() {
        return set;
    }
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("CapBnd:"))
                .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        })
        .unwrap_or((1u64 << ALL_CAPS.len()) - 1)
}

fn apparmor_enabled() -> bool {
    std::fs::read_to_string("/sys/module/apparmor/parameters/enabled")
        .is_ok_and(|s| s.trim() == "Y")
}

/// `--security-opt` entries (`key=value`, or docker's older `key:value`).
pub fn parse_security_opts(list: &[String]) -> Result<SecurityOpts> {
    let mut out = SecurityOpts::default();
    for o in list {
        let (k, v) = match o.split_once('=').or_else(|| o.split_once(':')) {
            Some((k, v)) => (k, Some(v)),
            None => (o.as_str(), None),
        };
        let bad = || Error::invalid(format!("invalid --security-opt: {o:?}"));
        match (k, v) {
            ("no-new-privileges", None | Some("true")) => out.no_new_privileges = true,
            ("no-new-privileges", Some("false")) => out.no_new_privileges = false,
            ("seccomp", Some("unconfined")) => out.seccomp = SeccompChoice::Unconfined,
            ("seccomp", Some("builtin")) => out.seccomp = SeccompChoice::Default,
            ("seccomp", Some(p)) if !p.is_empty() => {
                out.seccomp = SeccompChoice::Inline(p.to_string())
            }
            ("apparmor", Some(p)) if !p.is_empty() => out.apparmor = Some(p.to_string()),
            ("label", _) => {
                return Err(Error::unsupported(format!(
                    "--security-opt {o}: SELinux labels are not supported yet"
                )));
            }
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

impl Security {
    /// Puts the decisions into a spec built with docker's defaults.
    pub fn apply(&self, spec: &mut Spec) -> Result<()> {
        let e = |e: oci_spec::OciSpecError| Error::invalid(format!("security options: {e}"));
        let caps: std::collections::HashSet<Capability> = self
            .caps
            .iter()
            .filter_map(|c| serde_json::from_value(serde_json::Value::String(c.clone())).ok())
            .collect();
        if let Some(p) = spec.process_mut() {
            p.set_capabilities(Some(
                // Inheritable and ambient empty, as docker has them (the
                // builder's defaults would fill them).
                LinuxCapabilitiesBuilder::default()
                    .bounding(caps.clone())
                    .effective(caps.clone())
                    .permitted(caps)
                    .inheritable(std::collections::HashSet::new())
                    .ambient(std::collections::HashSet::new())
                    .build()
                    .map_err(e)?,
            ));
            p.set_no_new_privileges(Some(self.no_new_privileges));
            p.set_apparmor_profile(self.apparmor.clone());
        }
        if self.privileged {
            // docker: /sys and the cgroup tree writable.
            for m in spec.mounts_mut().iter_mut().flatten() {
                let dest = m.destination().clone();
                if dest == Path::new("/sys") || dest == Path::new("/sys/fs/cgroup") {
                    let opts = m.options().clone().unwrap_or_default();
                    m.set_options(Some(opts.into_iter().filter(|o| o != "ro").collect()));
                }
            }
        }
        let Some(linux) = spec.linux_mut() else {
            return Ok(());
        };
        linux.set_seccomp(self.seccomp.clone());
        let mut rules: Vec<LinuxDeviceCgroup> = Vec::new();
        if self.privileged {
            rules.push(
                LinuxDeviceCgroupBuilder::default()
                    .allow(true)
                    .typ(LinuxDeviceType::A)
                    .access("rwm")
                    .build()
                    .map_err(e)?,
            );
        }
        for (d, perms) in &self.devices {
            rules.push(
                LinuxDeviceCgroupBuilder::default()
                    .allow(true)
                    .typ(d.typ())
                    .major(d.major())
                    .minor(d.minor())
                    .access(perms.clone())
                    .build()
                    .map_err(e)?,
            );
        }
        rules.extend(self.cgroup_rules.iter().cloned());
        if let Some(res) = linux.resources_mut() {
            let mut all = res.devices().clone().unwrap_or_default();
            all.extend(rules);
            res.set_devices(Some(all));
        }
        if !self.devices.is_empty() {
            linux.set_devices(Some(self.devices.iter().map(|(d, _)| d.clone()).collect()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn capabilities_like_docker() {
        let full = (1u64 << 41) - 1;
        let caps = |a: &[&str], d: &[&str]| effective_caps(&s(a), &s(d), false, full).unwrap();
        assert_eq!(caps(&[], &[]), s(DEFAULT_CAPS));
        assert_eq!(caps(&[], &["ALL"]), Vec::<String>::new());
        assert_eq!(caps(&["net_admin"], &["ALL"]), s(&["CAP_NET_ADMIN"]));
        let no_chown = caps(&["SYS_ADMIN"], &["CAP_CHOWN"]);
        assert!(!no_chown.contains(&"CAP_CHOWN".to_string()));
        assert_eq!(no_chown.last().unwrap(), "CAP_SYS_ADMIN");
        let all_but = caps(&["ALL"], &["NET_RAW"]);
        assert_eq!(all_but.len(), 40);
        assert!(!all_but.contains(&"CAP_NET_RAW".to_string()));
        // berth's own bounding set bounds --privileged.
        let no_sys_resource = full & !(1 << 24);
        let all = effective_caps(&[], &[], true, no_sys_resource).unwrap();
        assert_eq!(all.len(), 40);
        assert!(!all.contains(&"CAP_SYS_RESOURCE".to_string()));
        let err = effective_caps(&s(&["FLY"]), &[], false, full).unwrap_err();
        assert_eq!(err.message(), "unknown capability: \"CAP_FLY\"");
    }

    #[test]
    fn security_opts() {
        let o = parse_security_opts(&s(&["no-new-privileges", "seccomp=unconfined"])).unwrap();
        assert!(o.no_new_privileges);
        assert_eq!(o.seccomp, SeccompChoice::Unconfined);
        let o = parse_security_opts(&s(&["seccomp:{}", "no-new-privileges=false"])).unwrap();
        assert_eq!(o.seccomp, SeccompChoice::Inline("{}".into()));
        assert!(!o.no_new_privileges);
        assert!(parse_security_opts(&s(&["label=disable"])).is_err());
        assert!(parse_security_opts(&s(&["wat"])).is_err());
        // docker's CLI takes this one out; its daemon does not know it.
        assert!(parse_security_opts(&s(&["systempaths=unconfined"])).is_err());
    }
}

//! Per-process limits and kernel knobs: `--ulimit`, `--shm-size`,
//! `--sysctl`, `--oom-kill-disable`, `--oom-score-adj`,
//! `--memory-swappiness`, and `--init` (docker's tini as PID 1): into
//! `HostConfig` as docker's CLI sends them, docker's daemon's checks, the
//! spec's piece.

use std::path::{Path, PathBuf};

use clap::Args;
use oci_spec::runtime::{PosixRlimit, PosixRlimitBuilder, PosixRlimitType, Spec};

use crate::container::model::{CreateRequest, HostConfig, IpcMode, NetworkMode, Ulimit};
use crate::error::{Error, Result};

/// Where `--init`'s binary appears in the container (docker's path).
pub const INIT_PATH: &str = "/sbin/docker-init";
/// docker's /dev/shm size.
pub const DEFAULT_SHM: i64 = 64 * 1024 * 1024;

#[derive(Args, Debug, Clone, Default)]
pub struct LimitFlags {
    /// Ulimit options (NAME=SOFT[:HARD])
    #[arg(long, value_name = "ULIMIT", value_parser = parse_ulimit)]
    pub ulimit: Vec<Ulimit>,
    /// Size of /dev/shm
    #[arg(long = "shm-size", value_name = "BYTES", value_parser = crate::units::ram_in_bytes)]
    pub shm_size: Option<i64>,
    /// Sysctl options (NAME=VALUE)
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_sysctl)]
    pub sysctl: Vec<(String, String)>,
    /// Disable OOM Killer
    #[arg(long = "oom-kill-disable", num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub oom_kill_disable: bool,
    /// Tune host's OOM preferences (-1000 to 1000)
    #[arg(
        long = "oom-score-adj",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub oom_score_adj: Option<i32>,
    /// Tune container memory swappiness (0 to 100)
    #[arg(
        long = "memory-swappiness",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub memory_swappiness: Option<i64>,
    /// Run an init inside the container that forwards signals and reaps processes
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub init: Option<bool>,
}

const ULIMITS: &[&str] = &[
    "as",
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];

/// `nofile=1024[:2048]`; -1 is unlimited.
pub fn parse_ulimit(s: &str) -> Result<Ulimit> {
    let bad = |why: &str| Error::invalid(format!("invalid ulimit argument: {s}{why}"));
    let (name, values) = s.split_once('=').ok_or_else(|| bad(""))?;
    if !ULIMITS.contains(&name) {
        return Err(Error::invalid(format!("invalid ulimit type: {name}")));
    }
    let num = |v: &str| v.parse::<i64>().map_err(|_| bad(""));
    let (soft, hard) = match values.split_once(':') {
        Some((a, b)) => (num(a)?, num(b)?),
        None => (num(values)?, num(values)?),
    };
    // -1 is unlimited: a soft limit can only be unlimited when the hard one is.
    if hard != -1 && (soft == -1 || soft > hard) {
        return Err(Error::invalid(format!(
            "ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}"
        )));
    }
    Ok(Ulimit {
        name: name.to_string(),
        soft,
        hard,
    })
}

/// docker's namespaced sysctls (the rest would change the host).
pub fn parse_sysctl(s: &str) -> Result<(String, String)> {
    const IPC: &[&str] = &[
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| Error::invalid(format!("invalid sysctl {s:?}: expected NAME=VALUE")))?;
    let ok = IPC.contains(&k)
        || k.starts_with("net.")
        || k.starts_with("fs.mqueue.")
        || k == "kernel.domainname";
    if !ok {
        return Err(Error::invalid(format!("sysctl '{s}' is not allowed")));
    }
    Ok((k.to_string(), v.to_string()))
}

impl LimitFlags {
    /// Fills `HostConfig` as docker's CLI does.
    pub fn apply(&self, req: &mut CreateRequest) {
        let h = &mut req.host_config;
        h.resources.ulimits = Some(self.ulimit.clone());
        h.shm_size = self.shm_size.unwrap_or_default();
        h.sysctls = self.sysctl.iter().cloned().collect();
        h.resources.oom_kill_disable = Some(self.oom_kill_disable);
        h.oom_score_adj = self.oom_score_adj.unwrap_or_default() as i64;
        h.resources.memory_swappiness = self.memory_swappiness;
        h.init = self.init;
    }
}

/// docker's daemon checks, against the other modes too (`--network
/// host`, `--ipc host`).
pub fn check(h: &HostConfig) -> Result<()> {
    let (host_network, host_ipc) = (
        h.network_mode == NetworkMode::Host,
        h.ipc_mode == IpcMode::Host,
    );
    for k in h.sysctls.keys() {
        if host_network && k.starts_with("net.") {
            return Err(Error::invalid(format!(
                "sysctl '{k}' is not allowed in host network namespace"
            )));
        }
        if host_ipc && !k.starts_with("net.") && k != "kernel.domainname" {
            return Err(Error::invalid(format!(
                "sysctl '{k}' is not allowed in host IPC namespace"
            )));
        }
    }
    if h.shm_size < 0 {
        return Err(Error::invalid("SHM size can not be less than 0"));
    }
    if !(-1000..=1000).contains(&h.oom_score_adj) {
        return Err(Error::invalid(format!(
            "Invalid value {}, range for oom score adj is [-1000, 1000]",
            h.oom_score_adj
        )));
    }
    if let Some(n) = h.resources.memory_swappiness
        && n != -1
        && !(0..=100).contains(&n)
    {
        return Err(Error::invalid(format!(
            "Invalid value: {n}, valid memory swappiness range is 0-100"
        )));
    }
    Ok(())
}

/// Puts the limits into a spec built with docker's defaults; `init` is
/// the host's init binary when `--init` was given.
pub fn spec(h: &HostConfig, init: Option<&Path>, spec: &mut Spec) -> Result<()> {
    let size = if h.shm_size > 0 {
        h.shm_size
    } else {
        DEFAULT_SHM
    };
    for m in spec.mounts_mut().iter_mut().flatten() {
        if m.destination() == Path::new("/dev/shm") && m.typ().as_deref() == Some("tmpfs") {
            let opts = m.options().clone().unwrap_or_default();
            let mut opts: Vec<String> = opts
                .into_iter()
                .filter(|o| !o.starts_with("size="))
                .collect();
            opts.push(format!("size={size}"));
            m.set_options(Some(opts));
        }
    }
    if let Some(linux) = spec.linux_mut()
        && !h.sysctls.is_empty()
    {
        let mut sysctl = linux.sysctl().clone().unwrap_or_default();
        sysctl.extend(h.sysctls.iter().map(|(k, v)| (k.clone(), v.clone())));
        linux.set_sysctl(Some(sysctl));
    }
    let Some(p) = spec.process_mut() else {
        return Ok(());
    };
    if h.oom_score_adj != 0 {
        p.set_oom_score_adj(Some(h.oom_score_adj as i32));
    }
    let ulimits = h.resources.ulimits.as_deref().unwrap_or_default();
    if !ulimits.is_empty() {
        let mut limits: Vec<PosixRlimit> = p.rlimits().clone().unwrap_or_default();
        for u in ulimits {
            let typ = rlimit_type(&u.name)?;
            limits.retain(|l| l.typ() != typ);
            limits.push(rlimit(typ, u)?);
        }
        p.set_rlimits(Some(limits));
    }
    if let Some(init) = init {
        let mut args = vec![INIT_PATH.to_string(), "--".to_string()];
        args.extend(p.args().clone().unwrap_or_default());
        p.set_args(Some(args));
        let m = oci_spec::runtime::MountBuilder::default()
            .destination(INIT_PATH)
            .typ("bind")
            .source(init)
            .options(vec!["bind".to_string(), "ro".to_string()])
            .build()
            .map_err(|e| Error::invalid(format!("--init: {e}")))?;
        spec.mounts_mut().get_or_insert_with(Vec::new).push(m);
    }
    Ok(())
}

fn rlimit_type(name: &str) -> Result<PosixRlimitType> {
    serde_json::from_value(serde_json::Value::String(format!(
        "RLIMIT_{}",
        name.to_ascii_uppercase()
    )))
    .map_err(|_| Error::invalid(format!("invalid ulimit type: {name}")))
}

fn rlimit(typ: PosixRlimitType, u: &Ulimit) -> Result<PosixRlimit> {
    let v = |n: i64| if n < 0 { u64::MAX } else { n as u64 };
    PosixRlimitBuilder::default()
        .typ(typ)
        .soft(v(u.soft))
        .hard(v(u.hard))
        .build()
        .map_err(|e| Error::invalid(format!("--ulimit: {e}")))
}

/// The init binary `--init` bind-mounts: docker's `docker-init` or
/// Debian's static tini, from PATH.
pub fn find_init() -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    for name in ["docker-init", "tini-static"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(Error::unsupported(
        "--init: no init binary found (looked for docker-init and tini-static in PATH)",
    )
    .hinted("install a static tini (Debian: apt install tini, which has /usr/bin/tini-static)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulimits_like_docker() {
        let u = parse_ulimit("nofile=1024:2048").unwrap();
        assert_eq!((u.name.as_str(), u.soft, u.hard), ("nofile", 1024, 2048));
        let u = parse_ulimit("nproc=64").unwrap();
        assert_eq!((u.soft, u.hard), (64, 64));
        assert!(parse_ulimit("nofile=10:5").is_err());
        assert!(parse_ulimit("bogus=1").is_err());
        assert!(parse_ulimit("nofile").is_err());
        assert_eq!(parse_ulimit("core=-1").unwrap().hard, -1);
    }

    #[test]
    fn sysctls_like_docker() {
        assert!(parse_sysctl("net.ipv4.ip_forward=1").is_ok());
        assert!(parse_sysctl("kernel.shmmax=1000").is_ok());
        assert_eq!(
            parse_sysctl("kernel.panic=1").unwrap_err().message(),
            "sysctl 'kernel.panic=1' is not allowed"
        );
        let mut r = CreateRequest::default();
        LimitFlags {
            sysctl: vec![("net.ipv4.ip_forward".into(), "1".into())],
            ..Default::default()
        }
        .apply(&mut r);
        assert!(check(&r.host_config).is_ok());
        r.host_config.network_mode = NetworkMode::Host;
        assert!(check(&r.host_config).is_err());
    }
}

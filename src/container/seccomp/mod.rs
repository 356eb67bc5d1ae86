//! Seccomp profiles: berth's default (its data lives in
//! `seccomp_default.rs`) and `--security-opt seccomp=PATH` files in docker's
//! format, both turned into the OCI form the runtime takes.
//!
//! Docker's format is the OCI one plus per-rule conditions: a rule applies
//! only on some architectures, with some capabilities, or from some kernel
//! version on. They are decided here, for this host and the container's
//! capabilities, so the runtime sees plain rules.

use std::path::PathBuf;

use oci_spec::runtime::{
    Arch, LinuxSeccomp, LinuxSeccompAction, LinuxSeccompArgBuilder, LinuxSeccompFilterFlag,
    LinuxSeccompOperator, LinuxSyscall,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

#[path = "default.rs"]
mod default_data;

/// The profile berth applies by default, given the container's effective
/// capabilities (names like "CAP_SYS_ADMIN").
pub fn default_profile(caps: &[String]) -> Result<LinuxSeccomp> {
    default_for(&Host::current(), caps)
}

/// A profile file given with `--security-opt seccomp=PATH`: docker's format
/// (archMap, `name`, includes/excludes) or the OCI format, which is docker's
/// without the extras. `caps` decides includes/excludes on capabilities.
pub fn from_json(bytes: &[u8], caps: &[String]) -> Result<LinuxSeccomp> {
    parse(bytes)?.resolve(&Host::current(), caps)
}

fn default_for(host: &Host, caps: &[String]) -> Result<LinuxSeccomp> {
    let (action, errno) = default_data::default_action();
    let profile = Profile {
        default_action: action,
        default_errno_ret: Some(errno),
        architectures: host
            .arch
            .and_then(default_data::architectures)
            .unwrap_or_default(),
        arch_map: Vec::new(),
        flags: None,
        listener_path: None,
        listener_metadata: None,
        rules: default_data::rules(),
    };
    profile.resolve(host, caps)
}

/// What the conditions of a profile are decided against.
#[derive(Debug, Clone)]
struct Host {
    /// libseccomp's name for the native architecture ("amd64", "arm64"...),
    /// the names docker's includes/excludes "arches" use.
    name: &'static str,
    arch: Option<Arch>,
    /// (major, minor), None when it could not be read.
    kernel: Option<(u64, u64)>,
}

impl Host {
    fn current() -> Host {
        let (name, arch) = native_arch();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .ok()
            .and_then(|release| parse_release(&release));
        Host { name, arch, kernel }
    }

    fn kernel_at_least(&self, min: (u64, u64)) -> Result<bool> {
        let kernel = self.kernel.ok_or_else(|| {
            Error::invalid(
                "minKernel: the kernel version could not be read from /proc/sys/kernel/osrelease",
            )
        })?;
        Ok(kernel >= min)
    }
}

/// The running architecture in libseccomp's words and as a seccomp arch.
fn native_arch() -> (&'static str, Option<Arch>) {
    use Arch::*;
    let little = cfg!(target_endian = "little");
    let (name, arch) = match (std::env::consts::ARCH, little) {
        ("x86_64", _) => ("amd64", ScmpArchX86_64),
        ("x86", _) => ("x86", ScmpArchX86),
        ("aarch64", _) => ("arm64", ScmpArchAarch64),
        ("arm", _) => ("arm", ScmpArchArm),
        ("riscv64", _) => ("riscv64", ScmpArchRiscv64),
        ("s390x", _) => ("s390x", ScmpArchS390x),
        ("loongarch64", _) => ("loongarch64", ScmpArchLoongarch64),
        ("powerpc64", true) => ("ppc64le", ScmpArchPpc64le),
        ("powerpc64", false) => ("ppc64", ScmpArchPpc64),
        ("powerpc", _) => ("ppc", ScmpArchPpc),
        ("mips64", true) => ("mipsel64", ScmpArchMipsel64),
        ("mips64", false) => ("mips64", ScmpArchMips64),
        ("mips", true) => ("mipsel", ScmpArchMipsel),
        ("mips", false) => ("mips", ScmpArchMips),
        (other, _) => return (other, None),
    };
    (name, Some(arch))
}

/// "6.8.0-45-generic" -> (6, 8).
fn parse_release(release: &str) -> Option<(u64, u64)> {
    let mut parts = release.trim().splitn(3, '.');
    let number = |part: &str| -> Option<u64> {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    Some((number(parts.next()?)?, number(parts.next()?)?))
}

/// A profile with its conditions still undecided.
#[derive(Debug, Clone)]
struct Profile {
    default_action: LinuxSeccompAction,
    default_errno_ret: Option<u32>,
    architectures: Vec<Arch>,
    /// native architecture -> the ones to add with it, when it is the host's.
    arch_map: Vec<(Arch, Vec<Arch>)>,
    /// None and empty differ: runc adds SPEC_ALLOW only when none were given.
    flags: Option<Vec<LinuxSeccompFilterFlag>>,
    listener_path: Option<PathBuf>,
    listener_metadata: Option<String>,
    rules: Vec<Rule>,
}

impl Profile {
    /// Decides every condition for `host` and `caps`.
    fn resolve(self, host: &Host, caps: &[String]) -> Result<LinuxSeccomp> {
        let mut architectures = self.architectures;
        if let Some(native) = host.arch
            && let Some((arch, subs)) = self.arch_map.iter().find(|(arch, _)| *arch == native)
        {
            architectures.push(*arch);
            architectures.extend(subs);
        }
        let mut syscalls = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let applies = rule
                .applies(host, caps)
                .map_err(|e| e.context(format!("syscalls[{i}]")))?;
            if applies {
                syscalls.push(rule.to_oci()?);
            }
        }
        let mut out = LinuxSeccomp::default();
        out.set_default_action(self.default_action)
            .set_default_errno_ret(self.default_errno_ret)
            .set_architectures((!architectures.is_empty()).then_some(architectures))
            .set_flags(self.flags)
            .set_listener_path(self.listener_path)
            .set_listener_metadata(self.listener_metadata)
            .set_syscalls((!syscalls.is_empty()).then_some(syscalls));
        Ok(out)
    }
}

/// One syscall rule with docker's conditions.
#[derive(Debug, Clone)]
struct Rule {
    names: Vec<String>,
    action: LinuxSeccompAction,
    errno_ret: Option<u32>,
    args: Vec<Arg>,
    /// The rule applies only if all of these hold.
    includes: Condition,
    /// The rule is dropped if any of these holds.
    excludes: Condition,
}

impl Rule {
    fn allow(names: &[&str]) -> Rule {
        Rule {
            names: names.iter().map(|n| n.to_string()).collect(),
            action: LinuxSeccompAction::ScmpActAllow,
            errno_ret: None,
            args: Vec::new(),
            includes: Condition::default(),
            excludes: Condition::default(),
        }
    }

    /// Docker's semantics: includes need the host among the arches, every
    /// listed capability and at least the kernel version; excludes drop the
    /// rule on a listed arch, with any listed capability, or from the
    /// kernel version on.
    fn applies(&self, host: &Host, caps: &[String]) -> Result<bool> {
        let ex = &self.excludes;
        if ex.arches.iter().any(|a| a == host.name) || ex.caps.iter().any(|c| has_cap(caps, c)) {
            return Ok(false);
        }
        if let Some(min) = ex.min_kernel
            && host.kernel_at_least(min)?
        {
            return Ok(false);
        }
        let inc = &self.includes;
        if !inc.arches.is_empty() && !inc.arches.iter().any(|a| a == host.name) {
            return Ok(false);
        }
        if !inc.caps.iter().all(|c| has_cap(caps, c)) {
            return Ok(false);
        }
        match inc.min_kernel {
            Some(min) => host.kernel_at_least(min),
            None => Ok(true),
        }
    }

    fn to_oci(&self) -> Result<LinuxSyscall> {
        let mut args = Vec::with_capacity(self.args.len());
        for a in &self.args {
            let mut builder = LinuxSeccompArgBuilder::default()
                .index(a.index)
                .value(a.value)
                .op(a.op);
            if let Some(two) = a.value_two {
                builder = builder.value_two(two);
            }
            args.push(
                builder
                    .build()
                    .map_err(|e| Error::invalid(format!("argument rule: {e}")))?,
            );
        }
        let mut call = LinuxSyscall::default();
        call.set_names(self.names.clone())
            .set_action(self.action)
            .set_errno_ret(self.errno_ret)
            .set_args((!args.is_empty()).then_some(args));
        Ok(call)
    }
}

/// A comparison on one syscall argument (LinuxSeccompArg has no setters).
#[derive(Debug, Clone, Copy)]
struct Arg {
    index: usize,
    value: u64,
    value_two: Option<u64>,
    op: LinuxSeccompOperator,
}

#[derive(Debug, Clone, Default)]
struct Condition {
    caps: Vec<String>,
    arches: Vec<String>,
    min_kernel: Option<(u64, u64)>,
}

impl Condition {
    fn caps(caps: &[&str]) -> Condition {
        Condition {
            caps: caps.iter().map(|c| c.to_string()).collect(),
            ..Condition::default()
        }
    }

    fn arches(arches: &[&str]) -> Condition {
        Condition {
            arches: arches.iter().map(|a| a.to_string()).collect(),
            ..Condition::default()
        }
    }
}

/// Capability names compare without case and with or without "CAP_".
fn has_cap(caps: &[String], want: &str) -> bool {
    let want = cap_name(want);
    caps.iter().any(|c| cap_name(c) == want)
}

fn cap_name(cap: &str) -> String {
    let cap = cap.trim().to_ascii_uppercase();
    if cap.starts_with("CAP_") {
        cap
    } else {
        format!("CAP_{cap}")
    }
}

fn arg(index: usize, value: u64, op: LinuxSeccompOperator) -> Arg {
    Arg {
        index,
        value,
        value_two: None,
        op,
    }
}

// ---- the file format ----
//
// Every field is optional and null is accepted where Go's decoder (docker's)
// accepts it; names of actions, operators and architectures stay strings
// here so a wrong one is reported by name and place.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileProfile {
    default_action: Option<String>,
    default_errno_ret: Option<u32>,
    architectures: Option<Vec<String>>,
    arch_map: Option<Vec<FileArchMap>>,
    flags: Option<Vec<String>>,
    listener_path: Option<PathBuf>,
    listener_metadata: Option<String>,
    syscalls: Option<Vec<FileSyscall>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileArchMap {
    architecture: String,
    sub_architectures: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileSyscall {
    name: Option<String>,
    names: Option<Vec<String>>,
    action: Option<String>,
    errno_ret: Option<u32>,
    args: Option<Vec<FileArg>>,
    includes: Option<FileFilter>,
    excludes: Option<FileFilter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileArg {
    index: Option<u64>,
    value: Option<u64>,
    value_two: Option<u64>,
    op: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileFilter {
    caps: Option<Vec<String>>,
    arches: Option<Vec<String>>,
    min_kernel: Option<String>,
}

/// Reads a profile file: checks the JSON and every name in it.
fn parse(bytes: &[u8]) -> Result<Profile> {
    let file: FileProfile = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => Error::invalid(format!("not a seccomp profile: {e}")),
        _ => Error::invalid(format!("not valid JSON: {e}")),
    })?;
    let default_action = match file.default_action.as_deref() {
        Some(action) if !action.is_empty() => named("action", action)?,
        _ => {
            return Err(Error::invalid(
                "defaultAction is missing (e.g. \"SCMP_ACT_ERRNO\"); use seccomp=unconfined to run without a profile",
            ));
        }
    };
    let architectures = named_list("architecture", file.architectures)?;
    let arch_map = file.arch_map.unwrap_or_default();
    if !architectures.is_empty() && !arch_map.is_empty() {
        return Err(Error::invalid(
            "both architectures and archMap are given; use one of them",
        ));
    }
    let arch_map = arch_map
        .into_iter()
        .map(|m| {
            Ok((
                named("architecture", &m.architecture)?,
                named_list("architecture", m.sub_architectures)?,
            ))
        })
        .collect::<Result<Vec<_>>>()
        .map_err(|e| e.context("archMap"))?;
    let flags = match file.flags {
        Some(flags) => Some(
            flags
                .iter()
                .map(|f| named("flag", f))
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    let rules = file
        .syscalls
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, call)| parse_rule(call).map_err(|e| e.context(format!("syscalls[{i}]"))))
        .collect::<Result<Vec<_>>>()?;
    Ok(Profile {
        default_action,
        default_errno_ret: file.default_errno_ret,
        architectures,
        arch_map,
        flags,
        listener_path: file.listener_path,
        listener_metadata: file.listener_metadata,
        rules,
    })
}

fn parse_rule(call: FileSyscall) -> Result<Rule> {
    let names = match (
        call.name.filter(|n| !n.is_empty()),
        call.names.unwrap_or_default(),
    ) {
        (Some(_), names) if !names.is_empty() => {
            return Err(Error::invalid(
                "both name and names are given; use one of them",
            ));
        }
        (Some(name), _) => vec![name],
        (None, names) => names,
    };
    if names.iter().any(|n| n.trim().is_empty()) {
        return Err(Error::invalid("empty syscall name"));
    }
    let action = match call.action.as_deref() {
        Some(action) if !action.is_empty() => named("action", action)?,
        _ => return Err(Error::invalid(format!("no action for {names:?}"))),
    };
    let args = call
        .args
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, a)| parse_arg(a).map_err(|e| e.context(format!("args[{i}]"))))
        .collect::<Result<Vec<_>>>()?;
    Ok(Rule {
        names,
        action,
        errno_ret: call.errno_ret,
        args,
        includes: parse_filter(call.includes).map_err(|e| e.context("includes"))?,
        excludes: parse_filter(call.excludes).map_err(|e| e.context("excludes"))?,
    })
}

/// Syscalls have six arguments, numbered 0 to 5.
const MAX_ARGS: u64 = 6;

fn parse_arg(a: FileArg) -> Result<Arg> {
    let index = a.index.unwrap_or(0);
    if index >= MAX_ARGS {
        return Err(Error::invalid(format!(
            "index {index} is out of range (0 to 5)"
        )));
    }
    let op = named("operator", a.op.as_deref().unwrap_or(""))?;
    Ok(Arg {
        value_two: a.value_two,
        ..arg(index as usize, a.value.unwrap_or(0), op)
    })
}

fn parse_filter(filter: Option<FileFilter>) -> Result<Condition> {
    let Some(filter) = filter else {
        return Ok(Condition::default());
    };
    let min_kernel = match filter.min_kernel.as_deref() {
        None | Some("") => None,
        Some(version) => Some(parse_min_kernel(version)?),
    };
    Ok(Condition {
        caps: filter.caps.unwrap_or_default(),
        arches: filter.arches.unwrap_or_default(),
        min_kernel,
    })
}

/// "4.8" -> (4, 8), as docker reads minKernel.
fn parse_min_kernel(version: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::invalid(format!(
            "minKernel {version:?}: expected \"<major>.<minor>\" such as \"4.8\""
        ))
    };
    let (major, minor) = version.split_once('.').ok_or_else(bad)?;
    let major: u8 = major.parse().map_err(|_| bad())?;
    let minor: u8 = minor.parse().map_err(|_| bad())?;
    if (major, minor) == (0, 0) {
        return Err(bad());
    }
    Ok((major.into(), minor.into()))
}

/// An action, operator, architecture or flag by its name in the format
/// ("SCMP_ACT_ALLOW", "SCMP_CMP_EQ", "SCMP_ARCH_X86_64", ...).
fn named<T: DeserializeOwned>(what: &str, name: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|_| Error::invalid(format!("unknown {what} {name:?}")))
}

fn named_list<T: DeserializeOwned>(what: &str, names: Option<Vec<String>>) -> Result<Vec<T>> {
    names
        .unwrap_or_default()
        .iter()
        .map(|n| named(what, n))
        .collect()
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

//! docker's cgroup resource flags (`--cpus`, `--memory`, `--pids-limit`,
//! ...): parsed into docker's [`Resources`] (part of `HostConfig`, so the
//! record and inspect), checked as docker's daemon checks them, turned
//! into the runtime spec's `linux.resources`, and applied to a running
//! task by `update`.

use crate::container::model::Resources;
use crate::error::{Error, Result};
use crate::units::ram_in_bytes;
use clap::Args;
use oci_spec::runtime::{
    LinuxCpuBuilder, LinuxMemoryBuilder, LinuxPidsBuilder, LinuxResources, LinuxResourcesBuilder,
};

/// docker's default CFS period when `--cpus` is given.
const CPU_PERIOD: i64 = 100_000;
/// docker's smallest memory limit.
const MIN_MEMORY: i64 = 6 * 1024 * 1024;

/// The flags `run`, `create` and `update` share.
#[derive(Args, Debug, Clone, Default)]
pub struct ResourceFlags {
    /// Number of CPUs
    #[arg(long, value_name = "DECIMAL", value_parser = parse_cpus)]
    pub cpus: Option<i64>,
    /// Limit CPU CFS (Completely Fair Scheduler) period
    #[arg(long = "cpu-period", value_name = "MICROSECONDS")]
    pub cpu_period: Option<i64>,
    /// Limit CPU CFS (Completely Fair Scheduler) quota
    #[arg(
        long = "cpu-quota",
        value_name = "MICROSECONDS",
        allow_negative_numbers = true
    )]
    pub cpu_quota: Option<i64>,
    /// CPU shares (relative weight)
    #[arg(short = 'c', long = "cpu-shares", value_name = "SHARES")]
    pub cpu_shares: Option<i64>,
    /// CPUs in which to allow execution (0-3, 0,1)
    #[arg(long = "cpuset-cpus", value_name = "CPUS", value_parser = parse_cpuset)]
    pub cpuset_cpus: Option<String>,
    /// MEMs in which to allow execution (0-3, 0,1)
    #[arg(long = "cpuset-mems", value_name = "MEMS", value_parser = parse_cpuset)]
    pub cpuset_mems: Option<String>,
    /// Memory limit
    #[arg(short = 'm', long, value_name = "BYTES", value_parser = ram_in_bytes)]
    pub memory: Option<i64>,
    /// Swap limit equal to memory plus swap: -1 to enable unlimited swap
    #[arg(long = "memory-swap", value_name = "BYTES", value_parser = swap_bytes, allow_negative_numbers = true)]
    pub memory_swap: Option<i64>,
    /// Memory soft limit
    #[arg(long = "memory-reservation", value_name = "BYTES", value_parser = ram_in_bytes)]
    pub memory_reservation: Option<i64>,
    /// Tune container pids limit (set -1 for unlimited)
    #[arg(long = "pids-limit", value_name = "N", allow_negative_numbers = true)]
    pub pids_limit: Option<i64>,
    /// Limit CPU real-time period in microseconds
    #[arg(long = "cpu-rt-period", value_name = "int")]
    pub cpu_rt_period: Option<i64>,
    /// Limit CPU real-time runtime in microseconds
    #[arg(long = "cpu-rt-runtime", value_name = "int")]
    pub cpu_rt_runtime: Option<i64>,
}

impl ResourceFlags {
    pub fn given(&self) -> bool {
        self.cpus.is_some()
            || self.cpu_period.is_some()
            || self.cpu_quota.is_some()
            || self.cpu_shares.is_some()
            || self.cpuset_cpus.is_some()
            || self.cpuset_mems.is_some()
            || self.memory.is_some()
            || self.memory_swap.is_some()
            || self.memory_reservation.is_some()
            || self.pids_limit.is_some()
            || self.cpu_rt_period.is_some()
            || self.cpu_rt_runtime.is_some()
    }

    /// The flags into a new container's resources, as docker's CLI sends
    /// them (checked later, by [`check`]).
    pub fn apply(&self, r: &mut Resources) {
        if let Some(n) = self.cpus {
            r.nano_cpus = n;
        }
        set(&mut r.cpu_period, self.cpu_period);
        set(&mut r.cpu_quota, self.cpu_quota);
        set(&mut r.cpu_shares, self.cpu_shares);
        set(&mut r.cpuset_cpus, self.cpuset_cpus.clone());
        set(&mut r.cpuset_mems, self.cpuset_mems.clone());
        set(&mut r.memory, self.memory);
        set(&mut r.memory_swap, self.memory_swap);
        set(&mut r.memory_reservation, self.memory_reservation);
        if self.pids_limit.is_some() {
            r.pids_limit = self.pids_limit;
        }
        set(&mut r.cpu_realtime_period, self.cpu_rt_period);
        set(&mut r.cpu_realtime_runtime, self.cpu_rt_runtime);
    }

    /// `base` with the given flags applied (what `update` does), checked.
    pub fn apply_to(&self, base: &Resources, host_cpus: usize) -> Result<Resources> {
        let mut r = base.clone();
        // A new memory limit with swap left as it was doubles, as docker's
        // daemon does when swap was never set on its own.
        if self.memory.is_some()
            && self.memory_swap.is_none()
            && (r.memory_swap == 0 || r.memory_swap == 2 * r.memory)
        {
            r.memory_swap = 0;
        }
        self.apply(&mut r);
        check(&mut r, host_cpus)?;
        Ok(r)
    }
}

fn set<T>(slot: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *slot = v;
    }
}

/// docker's daemon checks, with its messages, and its defaults.
pub fn check(r: &mut Resources, host_cpus: usize) -> Result<()> {
    let bad = |m: &str| Err(Error::invalid(m.to_string()));
    if r.memory != 0 && r.memory < MIN_MEMORY {
        return bad("Minimum memory limit allowed is 6MB");
    }
    if r.memory_swap != 0 && r.memory == 0 {
        return bad(
            "You should always set the Memory limit when using Memoryswap limit, see usage",
        );
    }
    if r.memory_swap > 0 && r.memory_swap < r.memory {
        return bad("Minimum memoryswap limit should be larger than memory limit, see usage");
    }
    if r.memory != 0 && r.memory_reservation > r.memory {
        return bad(
            "Minimum memory limit can not be less than memory reservation limit, see usage",
        );
    }
    if r.nano_cpus != 0 && (r.cpu_period != 0 || r.cpu_quota != 0) {
        return bad("Conflicting options: Nano CPUs and CPU Period/Quota cannot both be set");
    }
    let max = host_cpus as i64 * 1_000_000_000;
    if r.nano_cpus < 0 || r.nano_cpus > max {
        return Err(Error::invalid(format!(
            "Range of CPUs is from 0.01 to {host_cpus}.00, as there are only {host_cpus} CPUs available"
        )));
    }
    if r.cpu_period != 0 && !(1000..=1_000_000).contains(&r.cpu_period) {
        return bad(
            "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
        );
    }
    if r.cpu_quota > 0 && r.cpu_quota < 1000 {
        return bad("CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }
    if r.cpu_shares < 0 {
        return bad("invalid CPU shares: must be a positive number");
    }
    if r.cpu_realtime_runtime != 0
        && r.cpu_realtime_period != 0
        && r.cpu_realtime_runtime > r.cpu_realtime_period
    {
        return bad("cpu real-time runtime cannot be higher than cpu real-time period");
    }
    // docker's daemon: swap defaults to twice the memory.
    if r.memory > 0 && r.memory_swap == 0 {
        r.memory_swap = 2 * r.memory;
    }
    Ok(())
}

/// The runtime spec's resources (devices are added by the caller).
pub fn to_oci(r: &Resources) -> Result<LinuxResources> {
    let e = |e: oci_spec::OciSpecError| Error::invalid(format!("resources: {e}"));
    let mut b = LinuxResourcesBuilder::default();
    let mut mem = LinuxMemoryBuilder::default();
    let oom_kill_disable = r.oom_kill_disable == Some(true);
    let mut any_mem = oom_kill_disable;
    if r.memory != 0 {
        mem = mem.limit(r.memory);
        any_mem = true;
    }
    if r.memory_swap != 0 {
        mem = mem.swap(r.memory_swap);
        any_mem = true;
    }
    if r.memory_reservation != 0 {
        mem = mem.reservation(r.memory_reservation);
        any_mem = true;
    }
    if oom_kill_disable {
        mem = mem.disable_oom_killer(true);
    }
    if let Some(n) = r.memory_swappiness.filter(|n| *n >= 0) {
        mem = mem.swappiness(n as u64);
        any_mem = true;
    }
    if any_mem {
        b = b.memory(mem.build().map_err(e)?);
    }
    if let Some(cpu) = cpu(r)? {
        b = b.cpu(cpu);
    }
    if let Some(p) = r.pids_limit.filter(|p| *p != 0) {
        b = b.pids(LinuxPidsBuilder::default().limit(p).build().map_err(e)?);
    }
    b.build().map_err(e)
}

fn cpu(r: &Resources) -> Result<Option<oci_spec::runtime::LinuxCpu>> {
    let e = |e: oci_spec::OciSpecError| Error::invalid(format!("resources: {e}"));
    let mut cpu = LinuxCpuBuilder::default();
    let mut any = false;
    let (period, quota) = if r.nano_cpus != 0 {
        (CPU_PERIOD, r.nano_cpus * CPU_PERIOD / 1_000_000_000)
    } else {
        (r.cpu_period, r.cpu_quota)
    };
    if period != 0 {
        cpu = cpu.period(period as u64);
        any = true;
    }
    if quota != 0 {
        cpu = cpu.quota(quota);
        any = true;
    }
    if r.cpu_shares > 0 {
        cpu = cpu.shares(r.cpu_shares as u64);
        any = true;
    }
    if !r.cpuset_cpus.is_empty() {
        cpu = cpu.cpus(r.cpuset_cpus.clone());
        any = true;
    }
    if !r.cpuset_mems.is_empty() {
        cpu = cpu.mems(r.cpuset_mems.clone());
        any = true;
    }
    if r.cpu_realtime_period > 0 {
        cpu = cpu.realtime_period(r.cpu_realtime_period as u64);
        any = true;
    }
    if r.cpu_realtime_runtime != 0 {
        cpu = cpu.realtime_runtime(r.cpu_realtime_runtime);
        any = true;
    }
    Ok(if any {
        Some(cpu.build().map_err(e)?)
    } else {
        None
    })
}

/// docker's daemon where the kernel has no real-time group scheduling
/// (no `cpu.rt_*` files in the cpu cgroup; none at all on cgroup v2):
/// the settings discarded, with its warnings.
pub fn host_check(r: &mut Resources) -> Vec<String> {
    let supported = std::path::Path::new("/sys/fs/cgroup/cpu/cpu.rt_runtime_us").exists();
    let mut warnings = Vec::new();
    if r.cpu_realtime_period != 0 && !supported {
        warnings.push("Your kernel does not support cgroup cpu real-time period".to_string());
        r.cpu_realtime_period = 0;
    }
    if r.cpu_realtime_runtime != 0 && !supported {
        warnings.push("Your kernel does not support cgroup cpu real-time runtime".to_string());
        r.cpu_realtime_runtime = 0;
    }
    warnings
}

/// The number of CPUs on this host (for `--cpus`' range check).
pub fn host_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// `--cpus 1.5` as nano CPUs (docker's `NanoCPUs`).
pub fn parse_cpus(s: &str) -> Result<i64> {
    let bad = || Error::invalid(format!("failed to parse {s:?} as a rational number"));
    let v: f64 = s.trim().parse().map_err(|_| bad())?;
    if !v.is_finite() || v < 0.0 {
        return Err(bad());
    }
    Ok((v * 1e9).round() as i64)
}

/// `0-3`, `0,2`, `1,3-5`.
pub fn parse_cpuset(s: &str) -> Result<String> {
    let bad = || {
        Error::invalid(format!(
            "invalid value {s:?}: expected a list like 0-3 or 0,1"
        ))
    };
    for part in s.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a: u32 = a.parse().map_err(|_| bad())?;
        let b: u32 = b.parse().map_err(|_| bad())?;
        if a > b {
            return Err(bad());
        }
    }
    Ok(s.to_string())
}

/// `--memory-swap`: a size, or -1 for unlimited.
fn swap_bytes(s: &str) -> Result<i64> {
    if s.trim() == "-1" {
        return Ok(-1);
    }
    ram_in_bytes(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_docker() {
        assert_eq!(swap_bytes("-1").unwrap(), -1);
        assert_eq!(parse_cpus("1.5").unwrap(), 1_500_000_000);
        assert!(parse_cpus("x").is_err());
        assert!(parse_cpuset("0-1,3").is_ok());
        assert!(parse_cpuset("2-1").is_err());
    }

    #[test]
    fn docker_checks_and_defaults() {
        let flags = ResourceFlags {
            memory: Some(64 << 20),
            ..Default::default()
        };
        let r = flags.apply_to(&Resources::default(), 2).unwrap();
        // Swap defaults to twice the memory, as docker's daemon sets it.
        assert_eq!((r.memory, r.memory_swap), (64 << 20, 128 << 20));
        let bad = |f: ResourceFlags| {
            f.apply_to(&Resources::default(), 2)
                .unwrap_err()
                .to_string()
        };
        assert!(
            bad(ResourceFlags {
                memory: Some(1 << 20),
                ..Default::default()
            })
            .contains("Minimum memory limit allowed is 6MB")
        );
        assert!(
            bad(ResourceFlags {
                memory_swap: Some(64 << 20),
                ..Default::default()
            })
            .contains("always set the Memory limit")
        );
        assert!(
            bad(ResourceFlags {
                cpus: Some(3_000_000_000),
                ..Default::default()
            })
            .contains("Range of CPUs is from 0.01 to 2.00")
        );
        // update --memory on a container whose swap was the default: doubled again.
        let raised = ResourceFlags {
            memory: Some(128 << 20),
            ..Default::default()
        }
        .apply_to(&r, 2)
        .unwrap();
        assert_eq!(raised.memory_swap, 256 << 20);
    }

    #[test]
    fn spec_resources() {
        let r = Resources {
            nano_cpus: 500_000_000,
            cpu_shares: 512,
            memory: 64 << 20,
            memory_swap: -1,
            pids_limit: Some(20),
            ..Default::default()
        };
        let v = serde_json::to_value(to_oci(&r).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "memory": {"limit": 67108864, "swap": -1},
                "cpu": {"shares": 512, "quota": 50000, "period": 100000},
                "pids": {"limit": 20}
            })
        );
        assert_eq!(
            serde_json::to_value(to_oci(&Resources::default()).unwrap()).unwrap(),
            serde_json::json!({})
        );
    }
}

//! `stats`: each container's CPU, memory, network, block I/O and pids,
//! from containerd's task metrics (cgroup v1 or v2) and the task's own
//! network namespace counters, computed as docker's CLI computes them.

use std::collections::HashMap;
use std::time::Duration;

use containerd_client::services::v1::ListTasksRequest;
use containerd_client::types::v1::Status;

use crate::client::Client;
use crate::container::runtime::metrics::{self, Usage};
use crate::container::store::record::ContainerRecord;
use crate::error::Result;

/// How long `--no-stream` measures CPU use over.
pub const ONE_SHOT_WINDOW: Duration = Duration::from_millis(500);

/// One container's line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stat {
    pub id: String,
    pub name: String,
    pub cpu_percent: f64,
    pub mem: u64,
    pub mem_limit: u64,
    pub mem_percent: f64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub blk_read: u64,
    pub blk_write: u64,
    pub pids: u64,
}

/// Samples containers again and again; CPU use is the share of the
/// host's CPU time between two samples of the same container.
pub struct Sampler {
    previous: HashMap<String, (u64, u64)>,
    host_mem: u64,
    cpus: u64,
}

impl Default for Sampler {
    fn default() -> Self {
        Self::new()
    }
}

impl Sampler {
    pub fn new() -> Sampler {
        Sampler {
            previous: HashMap::new(),
            host_mem: host_memory(),
            cpus: online_cpus(),
        }
    }

    /// A sample of `recs`, in their order; containers without a running
    /// task get docker's zero line.
    pub async fn sample(
        &mut self,
        client: &Client,
        recs: &[&ContainerRecord],
    ) -> Result<Vec<Stat>> {
        let pids = running_pids(client).await?;
        let live: Vec<&str> = recs
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| pids.contains_key(*id))
            .collect();
        let usage: HashMap<String, Usage> =
            metrics::usage(client, &live).await?.into_iter().collect();
        let system = system_cpu_ns();
        let mut out = Vec::with_capacity(recs.len());
        for rec in recs {
            let mut stat = Stat {
                id: rec.id.clone(),
                name: rec.name.clone(),
                ..Default::default()
            };
            if let (Some(u), Some(pid)) = (usage.get(&rec.id), pids.get(&rec.id)) {
                self.fill(&mut stat, u, system);
                (stat.net_rx, stat.net_tx) = net_bytes(*pid);
            }
            out.push(stat);
        }
        Ok(out)
    }

    fn fill(&mut self, stat: &mut Stat, u: &Usage, system: u64) {
        if let Some((cpu0, sys0)) = self.previous.insert(stat.id.clone(), (u.cpu_ns, system)) {
            stat.cpu_percent = cpu_percent(
                u.cpu_ns.saturating_sub(cpu0),
                system.saturating_sub(sys0),
                self.cpus,
            );
        }
        // docker's daemon caps an unlimited cgroup at the host's memory.
        stat.mem_limit = match u.mem_limit {
            0 => self.host_mem,
            l => l.min(self.host_mem),
        };
        stat.mem = u.mem;
        if stat.mem_limit > 0 {
            stat.mem_percent = u.mem as f64 / stat.mem_limit as f64 * 100.0;
        }
        stat.blk_read = u.blk_read;
        stat.blk_write = u.blk_write;
        stat.pids = u.pids;
    }
}

/// docker's `calculateCPUPercentUnix`.
pub fn cpu_percent(cpu_delta: u64, system_delta: u64, cpus: u64) -> f64 {
    if cpu_delta == 0 || system_delta == 0 {
        return 0.0;
    }
    cpu_delta as f64 / system_delta as f64 * cpus as f64 * 100.0
}

/// The pids of running (or paused) tasks, by container id.
async fn running_pids(client: &Client) -> Result<HashMap<String, u32>> {
    let tasks = client
        .tasks()
        .list(ListTasksRequest::default())
        .await?
        .into_inner()
        .tasks;
    let live = [
        Status::Running as i32,
        Status::Paused as i32,
        Status::Pausing as i32,
    ];
    Ok(tasks
        .into_iter()
        .filter(|t| t.pid > 0 && live.contains(&t.status))
        .map(|t| (t.id, t.pid))
        .collect())
}

/// The host's CPU time so far (all CPUs, nanoseconds): `/proc/stat`'s
/// first line, in clock ticks of 1/100 s.
fn system_cpu_ns() -> u64 {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    parse_system_cpu(&text) * 10_000_000
}

fn parse_system_cpu(text: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with("cpu "))
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .take(8)
                .filter_map(|v| v.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0)
}

fn online_cpus() -> u64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::_NPROCESSORS_ONLN)
        .ok()
        .flatten()
        .map_or(1, |n| n.max(1) as u64)
}

fn host_memory() -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Bytes received and sent by the task's network namespace (every
/// interface but loopback, as docker counts its endpoints).
fn net_bytes(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/net/dev")).unwrap_or_default();
    parse_net_dev(&text)
}

fn parse_net_dev(text: &str) -> (u64, u64) {
    text.lines()
        .skip(2)
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.trim() != "lo")
        .map(|(_, rest)| {
            let v: Vec<u64> = rest
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            (
                v.first().copied().unwrap_or(0),
                v.get(8).copied().unwrap_or(0),
            )
        })
        .fold((0, 0), |(r, t), (a, b)| (r + a, t + b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_counters_parse() {
        let stat = "cpu  10 20 30 40 50 60 70 80 90 100\ncpu0 1 2 3 4 5 6 7 8\n";
        assert_eq!(parse_system_cpu(stat), 360);
        let dev = "Inter-|   Receive   |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n    lo: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n  eth0: 1200 10 0 0 0 0 0 0 3400 20 0 0 0 0 0 0\n";
        assert_eq!(parse_net_dev(dev), (1200, 3400));
        assert_eq!(cpu_percent(50, 1000, 2), 10.0);
        assert_eq!(cpu_percent(0, 1000, 2), 0.0);
    }
}

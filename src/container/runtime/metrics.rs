//! A task's resource use as containerd's task service reports it: the
//! cgroup v1 and v2 metrics messages (`io.containerd.cgroups.v1.Metrics`,
//! `io.containerd.cgroups.v2.Metrics`, from containerd's cgroups
//! `metrics.proto`), reduced to the fields docker's `stats` shows. Only
//! the fields read are declared; protobuf skips the others.

use containerd_client::services::v1::MetricsRequest;
use prost::Message;

use crate::client::Client;
use crate::error::Result;

mod v1 {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Metrics {
        #[prost(message, optional, tag = "2")]
        pub pids: Option<super::Pids>,
        #[prost(message, optional, tag = "3")]
        pub cpu: Option<Cpu>,
        #[prost(message, optional, tag = "4")]
        pub memory: Option<Memory>,
        #[prost(message, optional, tag = "5")]
        pub blkio: Option<BlkIo>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Cpu {
        #[prost(message, optional, tag = "1")]
        pub usage: Option<CpuUsage>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct CpuUsage {
        /// Nanoseconds.
        #[prost(uint64, tag = "1")]
        pub total: u64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Memory {
        #[prost(uint64, tag = "30")]
        pub total_inactive_file: u64,
        #[prost(message, optional, tag = "33")]
        pub usage: Option<MemoryEntry>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MemoryEntry {
        #[prost(uint64, tag = "1")]
        pub limit: u64,
        #[prost(uint64, tag = "2")]
        pub usage: u64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct BlkIo {
        #[prost(message, repeated, tag = "1")]
        pub io_service_bytes_recursive: Vec<BlkIoEntry>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct BlkIoEntry {
        #[prost(string, tag = "1")]
        pub op: String,
        #[prost(uint64, tag = "5")]
        pub value: u64,
    }
}

mod v2 {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Metrics {
        #[prost(message, optional, tag = "1")]
        pub pids: Option<super::Pids>,
        #[prost(message, optional, tag = "2")]
        pub cpu: Option<Cpu>,
        #[prost(message, optional, tag = "4")]
        pub memory: Option<Memory>,
        #[prost(message, optional, tag = "6")]
        pub io: Option<Io>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Cpu {
        #[prost(uint64, tag = "1")]
        pub usage_usec: u64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Memory {
        #[prost(uint64, tag = "13")]
        pub inactive_file: u64,
        #[prost(uint64, tag = "32")]
        pub usage: u64,
        #[prost(uint64, tag = "33")]
        pub usage_limit: u64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Io {
        #[prost(message, repeated, tag = "1")]
        pub usage: Vec<IoEntry>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct IoEntry {
        #[prost(uint64, tag = "3")]
        pub rbytes: u64,
        #[prost(uint64, tag = "4")]
        pub wbytes: u64,
    }
}

/// Same message in both versions.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Pids {
    #[prost(uint64, tag = "1")]
    pub current: u64,
}

/// One task's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    /// CPU time used, nanoseconds.
    pub cpu_ns: u64,
    /// Memory in use without the inactive page cache (docker's rule).
    pub mem: u64,
    /// The cgroup's memory limit (u64::MAX-like when unlimited).
    pub mem_limit: u64,
    pub blk_read: u64,
    pub blk_write: u64,
    pub pids: u64,
}

/// Decodes one task's metrics (`type_url` tells the cgroup version).
pub fn decode(type_url: &str, data: &[u8]) -> Option<Usage> {
    if type_url.ends_with("io.containerd.cgroups.v2.Metrics") {
        let m = v2::Metrics::decode(data).ok()?;
        let mem = m.memory.unwrap_or_default();
        let (r, w) = m.io.map_or((0, 0), |io| {
            io.usage
                .iter()
                .fold((0, 0), |(r, w), e| (r + e.rbytes, w + e.wbytes))
        });
        return Some(Usage {
            cpu_ns: m.cpu.map_or(0, |c| c.usage_usec * 1000),
            mem: mem.usage.saturating_sub(mem.inactive_file),
            mem_limit: mem.usage_limit,
            blk_read: r,
            blk_write: w,
            pids: m.pids.map_or(0, |p| p.current),
        });
    }
    if type_url.ends_with("io.containerd.cgroups.v1.Metrics") {
        let m = v1::Metrics::decode(data).ok()?;
        let mem = m.memory.unwrap_or_default();
        let usage = mem.usage.unwrap_or_default();
        let sum = |op: &str| {
            m.blkio.as_ref().map_or(0, |b| {
                b.io_service_bytes_recursive
                    .iter()
                    .filter(|e| e.op.eq_ignore_ascii_case(op))
                    .map(|e| e.value)
                    .sum()
            })
        };
        return Some(Usage {
            cpu_ns: m.cpu.and_then(|c| c.usage).map_or(0, |u| u.total),
            mem: usage.usage.saturating_sub(mem.total_inactive_file),
            mem_limit: usage.limit,
            blk_read: sum("read"),
            blk_write: sum("write"),
            pids: m.pids.map_or(0, |p| p.current),
        });
    }
    None
}

/// The counters of the tasks `ids`; tasks without metrics (no task, an
/// unknown format) are left out. containerd asks each task's shim in
/// turn, so the ids go out in a few requests side by side.
pub async fn usage(client: &Client, ids: &[&str]) -> Result<Vec<(String, Usage)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let per = ids.len().div_ceil(8);
    let requests = ids.chunks(per).map(|chunk| {
        let filters = chunk.iter().map(|id| format!("id=={id}")).collect();
        let client = client.clone();
        async move { client.tasks().metrics(MetricsRequest { filters }).await }
    });
    let mut out = Vec::with_capacity(ids.len());
    for answer in futures::future::join_all(requests).await {
        for m in answer?.into_inner().metrics {
            if let Some(u) = m.data.and_then(|d| decode(&d.type_url, &d.value)) {
                out.push((m.id, u));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_cgroup_versions_decode_to_dockers_numbers() {
        let m = v1::Metrics {
            pids: Some(Pids { current: 3 }),
            cpu: Some(v1::Cpu {
                usage: Some(v1::CpuUsage { total: 5_000 }),
            }),
            memory: Some(v1::Memory {
                total_inactive_file: 100,
                usage: Some(v1::MemoryEntry {
                    limit: 1 << 30,
                    usage: 1100,
                }),
            }),
            blkio: Some(v1::BlkIo {
                io_service_bytes_recursive: vec![
                    v1::BlkIoEntry {
                        op: "Read".into(),
                        value: 7,
                    },
                    v1::BlkIoEntry {
                        op: "Write".into(),
                        value: 9,
                    },
                    v1::BlkIoEntry {
                        op: "Total".into(),
                        value: 16,
                    },
                ],
            }),
        };
        let u = decode("io.containerd.cgroups.v1.Metrics", &m.encode_to_vec()).unwrap();
        assert_eq!(
            u,
            Usage {
                cpu_ns: 5_000,
                mem: 1000,
                mem_limit: 1 << 30,
                blk_read: 7,
                blk_write: 9,
                pids: 3
            }
        );
        let m = v2::Metrics {
            pids: Some(Pids { current: 2 }),
            cpu: Some(v2::Cpu { usage_usec: 4 }),
            memory: Some(v2::Memory {
                inactive_file: 10,
                usage: 50,
                usage_limit: 99,
            }),
            io: Some(v2::Io {
                usage: vec![
                    v2::IoEntry {
                        rbytes: 1,
                        wbytes: 2,
                    },
                    v2::IoEntry {
                        rbytes: 3,
                        wbytes: 4,
                    },
                ],
            }),
        };
        let u = decode("io.containerd.cgroups.v2.Metrics", &m.encode_to_vec()).unwrap();
        assert_eq!(
            u,
            Usage {
                cpu_ns: 4_000,
                mem: 40,
                mem_limit: 99,
                blk_read: 4,
                blk_write: 6,
                pids: 2
            }
        );
        assert!(decode("other", &[]).is_none());
    }
}

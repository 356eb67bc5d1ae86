//! Published ports: docker's `-p` grammar, host ports reserved across every
//! berth on the machine (a file per port under /run/berth/ports, created
//! exclusively, so two containers never get the same one), random host
//! ports for `-p CONTAINERPORT` and `-P`, and the rows `port`, `ps` and
//! `inspect` show.

use std::net::{IpAddr, Ipv4Addr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const RESERVATIONS_DIR: &str = "/run/berth/ports";

/// One `-p` request, host port not yet chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    pub host_ip: Option<Ipv4Addr>,
    /// None: any free port.
    pub host_port: Option<u16>,
    pub container_port: u16,
    pub protocol: Protocol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// A published port as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PortMapping {
    pub container_port: u16,
    pub protocol: Protocol,
    /// "0.0.0.0" for every address.
    pub host_ip: String,
    pub host_port: u16,
}

impl PortMapping {
    /// docker's `0.0.0.0:8080->80/tcp`.
    pub fn display(&self) -> String {
        format!(
            "{}:{}->{}/{}",
            self.host_ip,
            self.host_port,
            self.container_port,
            self.protocol.as_str()
        )
    }

    /// The entry portmap's `runtimeConfig.portMappings` takes.
    pub fn to_cni(&self) -> serde_json::Value {
        let host_ip = if self.host_ip == "0.0.0.0" {
            ""
        } else {
            self.host_ip.as_str()
        };
        serde_json::json!({
            "hostPort": self.host_port,
            "containerPort": self.container_port,
            "protocol": self.protocol.as_str(),
            "hostIP": host_ip,
        })
    }
}

fn bad(spec: &str, why: &str) -> Error {
    Error::invalid(format!("invalid port specification: {spec:?}: {why}"))
}

/// `PORT` or `START-END`; `what` names the part in docker's words
/// (`hostPort`, `containerPort`).
fn port_range(s: &str, what: &str) -> Result<(u16, u16)> {
    let invalid = || Error::invalid(format!("invalid {what}: {s}"));
    let one =
        |p: &str| -> Result<u16> { p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(invalid) };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if b < a {
                return Err(invalid());
            }
            Ok((a, b))
        }
        None => one(s).map(|p| (p, p)),
    }
}

/// `[IP:][HOSTPORT[-END]:]CONTAINERPORT[-END][/PROTO]`, ranges of equal
/// length (or a host range for a single container port, docker's "any
/// free port of these" reduced to its first).
pub fn parse(spec: &str) -> Result<Vec<PortSpec>> {
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, "tcp")) => (r, Protocol::Tcp),
        Some((r, "udp")) => (r, Protocol::Udp),
        Some((_, p)) => return Err(Error::invalid(format!("invalid proto: {p}"))),
        None => (spec, Protocol::Tcp),
    };
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => (None, None, *c),
        [c, h] => (None, Some(*h), *c),
        [c, h, ip] => (Some(*ip), Some(*h), *c),
        _ => return Err(bad(spec, "too many colons")),
    };
    let host_ip = match ip.filter(|s| !s.is_empty()) {
        None => None,
        Some(ip) => Some(
            ip.parse::<Ipv4Addr>()
                .map_err(|_| Error::invalid(format!("invalid IP address: {ip}")))?,
        ),
    };
    let (c_start, c_end) = port_range(container, "containerPort")?;
    let host_text = host.filter(|h| !h.is_empty());
    let host = host_text.map(|h| port_range(h, "hostPort")).transpose()?;
    if let Some((h_start, h_end)) = host
        && c_end - c_start != h_end - h_start
        && c_start != c_end
    {
        return Err(Error::invalid(format!(
            "invalid ranges specified for container and host Ports: {container} and {}",
            host_text.unwrap_or_default()
        )));
    }
    Ok((c_start..=c_end)
        .enumerate()
        .map(|(i, c)| PortSpec {
            host_ip,
            host_port: host.map(|(h, _)| h + i as u16),
            container_port: c,
            protocol,
        })
        .collect())
}

/// A held host port, released by removing its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation(pub PathBuf);

impl Reservation {
    pub fn release(&self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn reservation_path(dir: &Path, m: &PortMapping) -> PathBuf {
    dir.join(format!(
        "{}-{}-{}",
        m.protocol.as_str(),
        m.host_ip,
        m.host_port
    ))
}

/// Whether another reservation holds the port on the same address, or
/// either of the two is every address (0.0.0.0).
fn clashes(dir: &Path, m: &PortMapping) -> bool {
    let any = Ipv4Addr::UNSPECIFIED.to_string();
    let prefix = format!("{}-", m.protocol.as_str());
    let suffix = format!("-{}", m.host_port);
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .filter_map(|n| {
            n.strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(&suffix))
                .map(str::to_string)
        })
        .any(|ip| ip == m.host_ip || ip == any || m.host_ip == any)
}

/// Whether a host process already listens there.
fn free_on_host(ip: Ipv4Addr, port: u16, protocol: Protocol) -> bool {
    let addr = (IpAddr::V4(ip), port);
    match protocol {
        Protocol::Tcp => TcpListener::bind(addr).is_ok(),
        Protocol::Udp => UdpSocket::bind(addr).is_ok(),
    }
}

fn ephemeral(ip: Ipv4Addr, protocol: Protocol) -> Result<u16> {
    let addr = (IpAddr::V4(ip), 0);
    let port = match protocol {
        Protocol::Tcp => TcpListener::bind(addr).and_then(|l| l.local_addr()),
        Protocol::Udp => UdpSocket::bind(addr).and_then(|s| s.local_addr()),
    };
    port.map(|a| a.port())
        .map_err(|e| Error::io("finding a free host port", e))
}

/// Chooses and reserves the host ports for `specs` on behalf of `owner`;
/// on failure nothing stays reserved.
pub fn reserve(
    dir: &Path,
    specs: &[PortSpec],
    owner: &str,
) -> Result<(Vec<PortMapping>, Vec<Reservation>)> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    // One berth at a time decides: a port on 0.0.0.0 and the same port on
    // one address must not both be taken.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".lock"))
        .map_err(|e| Error::io("locking the port reservations", e))?;
    let _held = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| Error::io("locking the port reservations", e.into()))?;
    let mut mappings = Vec::new();
    let mut held: Vec<Reservation> = Vec::new();
    let result = (|| {
        for spec in specs {
            let ip = spec.host_ip.unwrap_or(Ipv4Addr::UNSPECIFIED);
            let (m, r) = reserve_one(dir, spec, ip, owner)?;
            mappings.push(m);
            held.push(r);
        }
        Ok(())
    })();
    if let Err(e) = result {
        held.iter().for_each(Reservation::release);
        return Err(e);
    }
    Ok((mappings, held))
}

fn reserve_one(
    dir: &Path,
    spec: &PortSpec,
    ip: Ipv4Addr,
    owner: &str,
) -> Result<(PortMapping, Reservation)> {
    for _ in 0..50 {
        let port = match spec.host_port {
            Some(p) => p,
            None => ephemeral(ip, spec.protocol)?,
        };
        let m = PortMapping {
            container_port: spec.container_port,
            protocol: spec.protocol,
            host_ip: ip.to_string(),
            host_port: port,
        };
        let clash = clashes(dir, &m);
        let path = reservation_path(dir, &m);
        let taken = clash
            || !free_on_host(ip, port, spec.protocol)
            || std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, owner.as_bytes()))
                .is_err();
        if !taken {
            return Ok((m, Reservation(path)));
        }
        if spec.host_port.is_some() {
            return Err(Error::conflict(format!(
                "Bind for {ip}:{port} failed: port is already allocated"
            )));
        }
    }
    Err(Error::conflict("no free host port found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(spec: &str) -> PortSpec {
        let mut v = parse(spec).unwrap();
        assert_eq!(v.len(), 1, "{spec}");
        v.remove(0)
    }

    #[test]
    fn dockers_port_grammar() {
        assert_eq!(
            one("127.0.0.1:8080:80/udp"),
            PortSpec {
                host_ip: Some(Ipv4Addr::LOCALHOST),
                host_port: Some(8080),
                container_port: 80,
                protocol: Protocol::Udp
            }
        );
        assert_eq!(one("8080:80").host_port, Some(8080));
        assert_eq!(one("80").host_port, None);
        let random_on_ip = one("127.0.0.1::80");
        assert_eq!(
            (random_on_ip.host_ip, random_on_ip.host_port),
            (Some(Ipv4Addr::LOCALHOST), None)
        );
        let range = parse("9000-9002:80-82").unwrap();
        assert_eq!(
            range
                .iter()
                .map(|p| (p.host_port.unwrap(), p.container_port))
                .collect::<Vec<_>>(),
            [(9000, 80), (9001, 81), (9002, 82)]
        );
        for bad in [
            "0",
            "70000",
            "80/sctp",
            "1:2:3:4",
            "x:80",
            "9000-9001:80-85",
            "90-80",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reservations_are_exclusive_and_released() {
        let d = tempfile::tempdir().unwrap();
        let spec = parse("127.0.0.1::80").unwrap();
        let (m, r) = reserve(d.path(), &spec, "a").unwrap();
        assert_eq!(m[0].host_ip, "127.0.0.1");
        let fixed = parse(&format!("{}:80", m[0].host_port)).unwrap();
        let e = reserve(d.path(), &fixed, "b").unwrap_err();
        assert!(
            e.message().ends_with("port is already allocated"),
            "{}",
            e.message()
        );
        r.iter().for_each(Reservation::release);
        let (_, again) = reserve(d.path(), &fixed, "b").unwrap();
        again.iter().for_each(Reservation::release);
        let left = std::fs::read_dir(d.path())
            .unwrap()
            .filter(|e| {
                !e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with('.')
            })
            .count();
        assert_eq!(left, 0);
        assert_eq!(
            m[0].display(),
            format!("127.0.0.1:{}->80/tcp", m[0].host_port)
        );
    }
}

//! What berth changes inside a container's network namespace after the
//! CNI plugins are done, each from a thread of its own that has joined the
//! namespace (the rest of berth stays where it is): one more address on an
//! interface (docker's link-local addresses) and the default route through
//! another network's gateway (docker's gateway priority), as rtnetlink
//! requests; an interface's sysctls, written under /proc/sys (whose
//! `net` tree is the writing thread's namespace's).
//!
//! Self-contained: addresses, prefix lengths and interface names in,
//! `std::io::Error` out; nothing here knows about containers or CNI.

use std::io;
use std::net::IpAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;

// rtnetlink message types and flags (linux/rtnetlink.h, linux/netlink.h).
const RTM_NEWADDR: u16 = 20;
const RTM_NEWROUTE: u16 = 24;
const RTM_DELROUTE: u16 = 25;
const NLMSG_ERROR: u16 = 2;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_EXCL: u16 = 0x200;
const NLM_F_CREATE: u16 = 0x400;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_BROADCAST: u16 = 4;
const RTA_OIF: u16 = 4;
const RTA_GATEWAY: u16 = 5;
const RT_TABLE_MAIN: u8 = 254;
const RTPROT_BOOT: u8 = 3;
const RT_SCOPE_UNIVERSE: u8 = 0;
/// Any scope, for a delete (iproute2's `ip route del` sends it).
const RT_SCOPE_NOWHERE: u8 = 255;
const RTN_UNICAST: u8 = 1;

/// One request in the making: header, fixed part, attributes.
struct Message {
    buf: Vec<u8>,
}

impl Message {
    fn new(kind: u16, flags: u16, fixed: &[u8]) -> Message {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(&0u32.to_ne_bytes()); // length, set by finish
        buf.extend_from_slice(&kind.to_ne_bytes());
        buf.extend_from_slice(&(flags | NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
        buf.extend_from_slice(&1u32.to_ne_bytes()); // sequence
        buf.extend_from_slice(&0u32.to_ne_bytes()); // port: the kernel's
        buf.extend_from_slice(fixed);
        Message { buf }
    }

    fn attr(mut self, kind: u16, data: &[u8]) -> Message {
        let len = 4 + data.len();
        self.buf.extend_from_slice(&(len as u16).to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(data);
        self.buf.resize(self.buf.len().next_multiple_of(4), 0);
        self
    }

    fn finish(mut self) -> Vec<u8> {
        let len = self.buf.len() as u32;
        self.buf[..4].copy_from_slice(&len.to_ne_bytes());
        self.buf
    }
}

fn family(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => libc::AF_INET as u8,
        IpAddr::V6(_) => libc::AF_INET6 as u8,
    }
}

fn octets(ip: &IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// Sends one request on a fresh rtnetlink socket and reads the kernel's
/// answer: Ok for its acknowledgement, the errno it gives otherwise.
fn request(msg: &[u8]) -> io::Result<()> {
    // SAFETY: a plain socket call; the descriptor is owned right after.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd is a descriptor this function just opened and owns.
    let sock = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: msg is a valid buffer of msg.len() bytes.
    let sent = unsafe { libc::send(sock.as_raw_fd(), msg.as_ptr().cast(), msg.len(), 0) };
    if sent < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut answer = [0u8; 4096];
    // SAFETY: answer is a writable buffer of its length.
    let got = unsafe {
        libc::recv(
            sock.as_raw_fd(),
            answer.as_mut_ptr().cast(),
            answer.len(),
            0,
        )
    };
    if got < 0 {
        return Err(io::Error::last_os_error());
    }
    let got = got as usize;
    if got < 20 || u16::from_ne_bytes([answer[4], answer[5]]) != NLMSG_ERROR {
        return Err(io::Error::other("rtnetlink gave no acknowledgement"));
    }
    let errno = i32::from_ne_bytes([answer[16], answer[17], answer[18], answer[19]]);
    match errno {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(-e)),
    }
}

/// The index of interface `name` in the calling thread's namespace.
fn index_of(name: &str) -> io::Result<u32> {
    let c = std::ffi::CString::new(name).map_err(io::Error::other)?;
    // SAFETY: c is a valid NUL-terminated string.
    match unsafe { libc::if_nametoindex(c.as_ptr()) } {
        0 => Err(io::Error::last_os_error()),
        i => Ok(i),
    }
}

/// Runs `f` in a thread that has joined the network namespace `netns`.
fn inside<T: Send + 'static>(
    netns: &Path,
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    let file = std::fs::File::open(netns)?;
    std::thread::spawn(move || {
        nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET)?;
        f()
    })
    .join()
    .unwrap_or_else(|_| Err(io::Error::other("the netlink thread panicked")))
}

/// Adds `ip/prefix` to interface `ifname` in `netns` (as `ip addr add`
/// does: global scope for IPv4, with its broadcast address; the kernel
/// scopes IPv6 by the address).
pub fn add_address(netns: &Path, ifname: &str, ip: IpAddr, prefix: u8) -> io::Result<()> {
    let ifname = ifname.to_string();
    inside(netns, move || {
        let index = index_of(&ifname)?;
        let mut fixed = vec![family(&ip), prefix, 0, RT_SCOPE_UNIVERSE];
        fixed.extend_from_slice(&index.to_ne_bytes());
        let mut msg = Message::new(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &fixed)
            .attr(IFA_LOCAL, &octets(&ip))
            .attr(IFA_ADDRESS, &octets(&ip));
        // IPv4's broadcast address, as `ip addr add ... brd +` (and docker) set it.
        if let IpAddr::V4(a) = ip {
            let host_bits = u32::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
            msg = msg.attr(IFA_BROADCAST, &(u32::from(a) | host_bits).to_be_bytes());
        }
        request(&msg.finish())
    })
}

/// Makes `gateway` through `ifname` the one default route of its family
/// in `netns`. The others go first: CNI's plugins append a default route
/// per network (beside the first, not instead of it), which no replace
/// takes away.
pub fn set_default_route(netns: &Path, ifname: &str, gateway: IpAddr) -> io::Result<()> {
    let ifname = ifname.to_string();
    inside(netns, move || {
        let index = index_of(&ifname)?;
        let fixed = |family: u8, scope: u8| {
            [
                family,
                0,
                0,
                0,
                RT_TABLE_MAIN,
                RTPROT_BOOT,
                scope,
                RTN_UNICAST,
                0,
                0,
                0,
                0,
            ]
        };
        // Deleting "default" takes the first default route of the family;
        // ESRCH once there is none (at most a few: one per network).
        for _ in 0..64 {
            let del = Message::new(RTM_DELROUTE, 0, &fixed(family(&gateway), RT_SCOPE_NOWHERE));
            match request(&del.finish()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => break,
                Err(e) => return Err(e),
            }
        }
        // No destination attribute: a prefix of 0 is the default route.
        let add = Message::new(
            RTM_NEWROUTE,
            NLM_F_CREATE | NLM_F_EXCL,
            &fixed(family(&gateway), RT_SCOPE_UNIVERSE),
        )
        .attr(RTA_GATEWAY, &octets(&gateway))
        .attr(RTA_OIF, &index.to_ne_bytes());
        request(&add.finish())
    })
}

/// Writes `value` to the sysctl `key` (`net.ipv4.conf.eth1.forwarding`)
/// of `netns`. Only the `net` tree, and no `..` or `/` in the key.
pub fn write_sysctl(netns: &Path, key: &str, value: &str) -> io::Result<()> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.first() != Some(&"net") || parts.iter().any(|p| p.is_empty() || p.contains('/')) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{key} is not a network sysctl"),
        ));
    }
    let path = Path::new("/proc/sys").join(parts.join("/"));
    let value = value.to_string();
    inside(netns, move || std::fs::write(&path, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_padded_and_measured() {
        let m = Message::new(RTM_NEWADDR, 0, &[1, 2, 3, 4, 0, 0, 0, 0])
            .attr(IFA_LOCAL, &[169, 254, 1, 2])
            .attr(7, &[1])
            .finish();
        // header 16 + ifaddrmsg 8 + attribute 8 + attribute 5 padded to 8
        assert_eq!(m.len(), 40);
        assert_eq!(u32::from_ne_bytes(m[..4].try_into().unwrap()), 40);
        assert_eq!(u16::from_ne_bytes([m[24], m[25]]), 8);
        assert_eq!(u16::from_ne_bytes([m[32], m[33]]), 5);
        assert_eq!(u16::from_ne_bytes([m[6], m[7]]), NLM_F_REQUEST | NLM_F_ACK);
    }
}

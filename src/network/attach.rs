//! Connecting a container to its networks and taking it down again. The
//! container gets a named network namespace (which its spec names, so
//! every start joins it, containerd's restarts included) with loopback up, and an
//! `ethN` per network from that network's plugins; published ports are
//! reserved and handed to portmap on the first network. What was done is
//! written to `network.json` in the container's directory *before* each
//! step, so `rm`, and the sweep after a berth killed half-way, undo exactly
//! that: CNI DEL, the namespace, the port reservations.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::cni::{self, Attachment};
pub use super::endpoint::Wanted;
use super::ports::{self, PortMapping, PortSpec, Reservation};
use super::{Network, netns};
use crate::error::Result;
use crate::state::write_atomic;

const STATE_FILE: &str = "network.json";

/// A container's network, as set up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub netns: PathBuf,
    /// The names the container answers to on user networks.
    #[serde(default)]
    pub names: Vec<String>,
    pub networks: Vec<Attached>,
    pub ports: Vec<PortMapping>,
    pub reservations: Vec<Reservation>,
}

/// One network the container is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attached {
    pub name: String,
    pub id: String,
    pub ifname: String,
    /// The configuration it was added with (DEL needs the same).
    pub conflist: Value,
    /// The ADD's result, once there is one.
    pub result: Option<Value>,
    pub ip: Option<String>,
    pub prefix_len: Option<u8>,
    pub gateway: Option<String>,
    pub mac: Option<String>,
    /// On an IPv6 network: the address, its prefix length, the gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip6: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_len6: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway6: Option<String>,
    /// Names it answers to on this network only (`network connect --alias`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Its claim to the default route (`--gw-priority`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub gw_priority: i64,
    /// An internal network: its gateway is never the default route.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// Containers it sees under one more name on this network
    /// (`network connect --link`): (their name, the alias).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String)>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// An exclusive lock on the container's directory, held until dropped;
/// None when the directory is gone (nothing to undo then).
fn lock_dir(dir: &Path) -> Result<Option<nix::fcntl::Flock<std::fs::File>>> {
    let f = match std::fs::File::open(dir) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(crate::error::Error::io(
                format!("opening {}", dir.display()),
                e,
            ));
        }
    };
    nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusive)
        .map(Some)
        .map_err(|(_, e)| crate::error::Error::io(format!("locking {}", dir.display()), e.into()))
}

fn state_path(dir: &Path) -> PathBuf {
    dir.join(STATE_FILE)
}

/// The container's network state, if it has one.
pub fn load(dir: &Path) -> Result<Option<State>> {
    match std::fs::read(state_path(dir)) {
        Ok(data) => Ok(Some(serde_json::from_slice(&data)?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::error::Error::io(
            format!("reading {}", state_path(dir).display()),
            e,
        )),
    }
}

fn save(dir: &Path, state: &State) -> Result<()> {
    write_atomic(&state_path(dir), &serde_json::to_vec_pretty(state)?, 0o600)
}

/// Connects container `id` (its directory `dir`) to `networks`, publishing
/// `ports` on the first. Undone entirely when any step fails.
pub async fn setup(
    dir: &Path,
    id: &str,
    names: &[String],
    networks: &[(Network, Wanted)],
    ports: &[PortSpec],
) -> Result<State> {
    let mut state = State {
        netns: netns::path_for(id),
        names: names.to_vec(),
        ..Default::default()
    };
    save(dir, &state)?;
    match bring_up(dir, id, networks, ports, &mut state).await {
        Ok(()) => Ok(state),
        Err(e) => {
            if let Err(undo) = teardown(dir, id).await {
                tracing::warn!("undoing the network of {id}: {}", undo.message());
            }
            Err(e)
        }
    }
}

async fn bring_up(
    dir: &Path,
    id: &str,
    networks: &[(Network, Wanted)],
    specs: &[PortSpec],
    state: &mut State,
) -> Result<()> {
    netns::create(&state.netns)?;
    let (mappings, reservations) = ports::reserve(Path::new(ports::RESERVATIONS_DIR), specs, id)?;
    state.ports = mappings;
    state.reservations = reservations;
    save(dir, state)?;
    for (i, (network, wanted)) in networks.iter().enumerate() {
        let needed = needed_plugins(&network.conflist, i == 0 && !state.ports.is_empty());
        wanted.check(&network.meta)?;
        let conflist = wanted.apply(needed, &network.meta);
        let runtime = runtime_config(i, &state.ports);
        add_one(
            dir,
            (id, &format!("eth{i}")),
            network,
            (conflist, &runtime),
            wanted,
            state,
        )
        .await?;
    }
    if networks.len() > 1 {
        route_default(state)?;
    }
    Ok(())
}

/// The default route of the container's namespace, chosen among its
/// networks as docker chooses it (see `gateway`).
fn route_default(state: &State) -> Result<()> {
    let ways: Vec<super::gateway::Way> = state
        .networks
        .iter()
        .map(|a| super::gateway::Way {
            name: &a.name,
            ifname: &a.ifname,
            gateway: a.gateway.as_deref(),
            gateway6: a.gateway6.as_deref(),
            gw_priority: a.gw_priority,
            internal: a.internal,
        })
        .collect();
    super::gateway::route_default(&state.netns, &ways)
}

/// Records, then adds, one attachment as `ifname`; its addresses recorded
/// after. A failed ADD leaves the entry (result None) for the caller to
/// undo.
async fn add_one(
    dir: &Path,
    (id, ifname): (&str, &str),
    network: &Network,
    (conflist, runtime): (Value, &Value),
    wanted: &Wanted,
    state: &mut State,
) -> Result<()> {
    state.networks.push(Attached {
        name: network.name.clone(),
        id: network.meta.id.clone(),
        ifname: ifname.to_string(),
        conflist: conflist.clone(),
        result: None,
        ip: None,
        prefix_len: None,
        gateway: None,
        mac: None,
        ip6: None,
        prefix_len6: None,
        gateway6: None,
        aliases: wanted.aliases.clone(),
        gw_priority: wanted.gw_priority,
        internal: network.meta.internal,
        links: wanted.links.clone(),
    });
    save(dir, state)?;
    let a = Attachment {
        container_id: id,
        netns: &state.netns,
        ifname,
        runtime_config: runtime,
    };
    let result = super::plugins().add(&conflist, &a).await?;
    let addrs = cni::addresses(&result, ifname);
    let last = state.networks.last_mut().expect("just pushed");
    last.result = Some(result);
    last.ip = addrs.ipv4;
    last.prefix_len = addrs.prefix_len;
    last.gateway = addrs.gateway;
    last.mac = addrs.mac;
    last.ip6 = addrs.ipv6;
    last.prefix_len6 = addrs.prefix_len6;
    last.gateway6 = addrs.gateway6;
    save(dir, state)?;
    wanted.configure(&state.netns, ifname)
}

/// Adds a container whose namespace exists (it has run) to one more
/// network, as its next free `ethN`, answering to `aliases` there; its
/// state records the step first, and a failed ADD is taken back. None when
/// the container has no network state.
pub async fn connect(
    dir: &Path,
    id: &str,
    network: &Network,
    wanted: &Wanted,
) -> Result<Option<Attached>> {
    let Some(_turn) = lock_dir(dir)? else {
        return Ok(None);
    };
    let Some(mut state) = load(dir)? else {
        return Ok(None);
    };
    let ifname = (0..)
        .map(|i| format!("eth{i}"))
        .find(|n| state.networks.iter().all(|a| &a.ifname != n))
        .expect("an unused name");
    wanted.check(&network.meta)?;
    let conflist = wanted.apply(needed_plugins(&network.conflist, false), &network.meta);
    let runtime = json!({});
    let added = add_one(
        dir,
        (id, &ifname),
        network,
        (conflist.clone(), &runtime),
        wanted,
        &mut state,
    )
    .await
    .and_then(|()| route_default(&state));
    if let Err(e) = added {
        let a = Attachment {
            container_id: id,
            netns: &state.netns,
            ifname: &ifname,
            runtime_config: &runtime,
        };
        let _ = super::plugins().del(&conflist, &a, None).await;
        state.networks.pop();
        save(dir, &state)?;
        return Err(e);
    }
    Ok(state.networks.last().cloned())
}

/// Takes a container off one of its networks (CNI DEL, then its state);
/// false when it was not on it.
pub async fn disconnect(dir: &Path, id: &str, network: &str) -> Result<bool> {
    let Some(_turn) = lock_dir(dir)? else {
        return Ok(false);
    };
    let Some(mut state) = load(dir)? else {
        return Ok(false);
    };
    let Some(i) = state.networks.iter().position(|a| a.name == network) else {
        return Ok(false);
    };
    del_at(id, &state, i, state.networks[i].result.as_ref()).await?;
    state.networks.remove(i);
    save(dir, &state)?;
    // The next network's gateway when the default route went with it.
    route_default(&state)?;
    Ok(true)
}

/// CNI DEL of the container's `i`th network (published ports go with the
/// first), `result` standing for its ADD's.
async fn del_at(id: &str, state: &State, i: usize, result: Option<&Value>) -> Result<()> {
    let a = &state.networks[i];
    let runtime = runtime_config(i, &state.ports);
    let att = Attachment {
        container_id: id,
        netns: &state.netns,
        ifname: &a.ifname,
        runtime_config: &runtime,
    };
    super::plugins().del(&a.conflist, &att, result).await
}

/// The network's plugins, without portmap when there is nothing to
/// publish (each plugin is a process and portmap's iptables calls are the
/// slowest part of a container's network; DEL uses the same list).
fn needed_plugins(conflist: &Value, publishes: bool) -> Value {
    let mut out = conflist.clone();
    if !publishes && let Some(list) = out["plugins"].as_array_mut() {
        list.retain(|p| p["type"] != "portmap");
    }
    out
}

/// Published ports go to portmap on the first network only.
fn runtime_config(index: usize, ports: &[PortMapping]) -> Value {
    if index == 0 && !ports.is_empty() {
        json!({"portMappings": ports.iter().map(PortMapping::to_cni).collect::<Vec<_>>()})
    } else {
        json!({})
    }
}

/// Undoes whatever `setup` got to for container `id`: CNI DEL on every
/// network (last first), the namespace, the port reservations, the state
/// file. Nothing to undo is fine; the first failure is reported after
/// everything was tried.
pub async fn teardown(dir: &Path, id: &str) -> Result<()> {
    // Two removers at once (`rm -f` beside a `--rm` run's own removal)
    // take turns: the second finds nothing left to undo.
    let Some(_turn) = lock_dir(dir)? else {
        return Ok(());
    };
    let Some(state) = load(dir)? else {
        return Ok(());
    };
    let netns_gone = !netns::exists(&state.netns);
    let mut first_error = None;
    for (i, a) in state.networks.iter().enumerate().rev() {
        // Killed during its ADD, berth never recorded the result: what
        // host-local leased stands in for it, so plugins that undo by
        // address (firewall's per-address rules) still can.
        let recovered = match &a.result {
            Some(_) => None,
            None => leased_result(Path::new(HOST_LOCAL_DIR), &a.conflist, id, &a.ifname),
        };
        if let Err(e) = del_at(id, &state, i, a.result.as_ref().or(recovered.as_ref())).await {
            first_error.get_or_insert(e);
        }
    }
    if netns_gone && !state.networks.is_empty() {
        // bridge's DEL cannot find the container's addresses without its
        // namespace, so it leaves its masquerading rules: they name the id.
        if let Err(e) = sweep_rules(id).await {
            first_error.get_or_insert(e);
        }
    }
    if let Err(e) = netns::remove(&state.netns) {
        first_error.get_or_insert(e);
    }
    state.reservations.iter().for_each(Reservation::release);
    if first_error.is_none() {
        let _ = std::fs::remove_file(state_path(dir));
    }
    first_error.map_or(Ok(()), Err)
}

/// Where host-local keeps its leases: `<dir>/<network>/<address>`, each
/// file holding the container id (and, since CNI 1.0, the interface).
const HOST_LOCAL_DIR: &str = "/var/lib/cni/networks";

/// A CNI result with the addresses host-local leased to `id` on
/// `ifname` of this network; None when it leased none.
fn leased_result(dir: &Path, conflist: &Value, id: &str, ifname: &str) -> Option<Value> {
    let name = conflist["name"].as_str()?;
    let mut ips = Vec::new();
    for e in std::fs::read_dir(dir.join(name)).ok()?.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Ok(addr) = file.parse::<std::net::IpAddr>() else {
            continue;
        };
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let mut lines = text.lines().map(str::trim);
        if lines.next() == Some(id) && lines.next().is_none_or(|i| i == ifname) {
            let bits = if addr.is_ipv4() { 32 } else { 128 };
            ips.push(json!({"address": format!("{addr}/{bits}"), "interface": 0}));
        }
    }
    (!ips.is_empty()).then(|| {
        json!({
            "cniVersion": conflist["cniVersion"],
            "interfaces": [{"name": ifname}],
            "ips": ips,
        })
    })
}

/// Removes the iptables rules whose comment names container `id` (CNI's
/// plugins write `id: "<id>"` into them), and the per-container chains
/// they jump to, in one iptables-restore per table.
async fn sweep_rules(id: &str) -> Result<()> {
    use tokio::io::AsyncWriteExt;
    let needle = format!("id: \\\"{id}\\\"");
    for table in ["nat", "filter"] {
        let saved = tokio::process::Command::new("iptables-save")
            .args(["-t", table])
            .output()
            .await
            .map_err(|e| crate::error::Error::io("running iptables-save", e))?;
        let text = String::from_utf8_lossy(&saved.stdout);
        let script = sweep_script(table, &text, &needle);
        if script.is_empty() {
            continue;
        }
        let mut child = tokio::process::Command::new("iptables-restore")
            .arg("--noflush")
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| crate::error::Error::io("running iptables-restore", e))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(script.as_bytes()).await;
        }
        let out = child
            .wait_with_output()
            .await
            .map_err(|e| crate::error::Error::io("running iptables-restore", e))?;
        if !out.status.success() {
            return Err(crate::error::Error::new(
                crate::error::ErrorKind::Daemon,
                format!(
                    "removing the iptables rules of {id}: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ));
        }
    }
    Ok(())
}

/// The iptables-restore input deleting the rules of `text` (one table's
/// iptables-save) that contain `needle`, then flushing and deleting the
/// `CNI-` chains they jump to.
fn sweep_script(table: &str, text: &str, needle: &str) -> String {
    let rules: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("-A ") && l.contains(needle))
        .collect();
    if rules.is_empty() {
        return String::new();
    }
    let mut chains: Vec<&str> = rules
        .iter()
        .filter_map(|l| l.split(" -j ").nth(1))
        .map(|t| t.split_whitespace().next().unwrap_or(""))
        .filter(|c| c.starts_with("CNI-") && c.len() > 20)
        .collect();
    chains.sort();
    chains.dedup();
    let mut out = format!("*{table}\n");
    for r in &rules {
        out.push_str(&format!("-D {}\n", &r[3..]));
    }
    for c in &chains {
        out.push_str(&format!("-F {c}\n-X {c}\n"));
    }
    out.push_str("COMMIT\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_result_is_recovered_from_host_locals_leases() {
        let dir = tempfile::tempdir().unwrap();
        let net = dir.path().join("bridge");
        std::fs::create_dir(&net).unwrap();
        std::fs::write(net.join("172.17.0.5"), "abc\r\neth0").unwrap();
        std::fs::write(net.join("172.17.0.6"), "other\r\neth0").unwrap();
        std::fs::write(net.join("172.17.0.7"), "abc").unwrap();
        std::fs::write(net.join("last_reserved_ip.0"), "172.17.0.7").unwrap();
        let conflist = json!({"cniVersion": "1.0.0", "name": "bridge"});
        let r = leased_result(dir.path(), &conflist, "abc", "eth0").unwrap();
        let mut ips: Vec<&str> = r["ips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["address"].as_str().unwrap())
            .collect();
        ips.sort();
        assert_eq!(ips, ["172.17.0.5/32", "172.17.0.7/32"]);
        assert_eq!(r["cniVersion"], "1.0.0");
        assert!(leased_result(dir.path(), &conflist, "abc", "eth1").is_some());
        assert!(leased_result(dir.path(), &conflist, "nobody", "eth0").is_none());
    }

    #[test]
    fn sweeping_deletes_the_containers_rules_and_chains() {
        let saved = "*nat\n:CNI-0123456789abcdef01234567 - [0:0]\n\
            -A POSTROUTING -s 172.17.0.5/32 -m comment --comment \"name: \\\"bridge\\\" id: \\\"abc\\\"\" -j CNI-0123456789abcdef01234567\n\
            -A CNI-0123456789abcdef01234567 -d 172.17.0.0/16 -m comment --comment \"name: \\\"bridge\\\" id: \\\"abc\\\"\" -j ACCEPT\n\
            -A POSTROUTING -s 172.17.0.6/32 -m comment --comment \"name: \\\"bridge\\\" id: \\\"other\\\"\" -j CNI-ffff\n\
            COMMIT\n";
        let script = sweep_script("nat", saved, "id: \\\"abc\\\"");
        let lines: Vec<&str> = script.lines().collect();
        assert_eq!(lines[0], "*nat");
        assert!(lines[1].starts_with("-D POSTROUTING -s 172.17.0.5/32"));
        assert!(lines[2].starts_with("-D CNI-0123456789abcdef01234567 -d 172.17.0.0/16"));
        assert_eq!(
            &lines[3..],
            [
                "-F CNI-0123456789abcdef01234567",
                "-X CNI-0123456789abcdef01234567",
                "COMMIT"
            ]
        );
        assert_eq!(sweep_script("nat", saved, "id: \\\"none\\\""), "");
    }
}

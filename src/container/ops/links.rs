//! docker's legacy links (`--link NAME[:ALIAS]`): the linked container's
//! address under the alias, its hostname and its name in `/etc/hosts`,
//! and docker's `ALIAS_PORT…`/`ALIAS_NAME`/`ALIAS_ENV_…` variables in the
//! process's environment. Resolved when the container is created (the
//! linked container must run, as docker requires); the hosts lines are kept
//! in the container's directory for its first start, when /etc/hosts is
//! written again with its own address.

use std::path::Path;

use crate::client::Client;
use crate::container::config::endpoint::parse_link;
use crate::container::model::HostConfig;
use crate::container::runtime::task;
use crate::container::store;
use crate::error::{Error, Result};
use crate::network::{DEFAULT_NETWORK, attach};
use crate::state::DataRoot;

/// The file in the container's directory with the links' hosts lines.
const FILE: &str = "links";

/// What the links give the new container.
#[derive(Debug, Default)]
pub(crate) struct Linked {
    /// The variables, in docker's order.
    pub env: Vec<String>,
    /// `/etc/hosts` entries as (names, address).
    pub hosts: Vec<(String, String)>,
    /// `HostConfig.Links` as docker's inspect shows them (`/db:/web/db`).
    pub shown: Vec<String>,
}

/// Resolves the links of container `name` (without the leading slash).
pub(crate) async fn resolve(
    client: &Client,
    data: &DataRoot,
    name: &str,
    h: &HostConfig,
) -> Result<Linked> {
    let links = h.links.as_deref().unwrap_or_default();
    let mut out = Linked::default();
    if links.is_empty() {
        return Ok(out);
    }
    let all = store::list::records(client).await?;
    for link in links {
        let (child, alias) = parse_link(link)?;
        let rec = store::resolve::find(&all, child)
            .map_err(|_| Error::not_found(format!("could not get container for {child}")))?;
        let full = format!("/{name}/{alias}");
        if task::pid(client, &rec.id).await?.is_none() {
            return Err(Error::conflict(format!(
                "Cannot link to a non running container: /{} AS {full}",
                rec.name
            )));
        }
        let dir = data.container_dir(client.namespace(), &rec.id)?;
        // Its address on this container's network (docker's legacy links
        // are the default bridge's; on a user network, the alias).
        let network = h.network_mode.cni_network().unwrap_or(DEFAULT_NETWORK);
        let ip = attach::load(&dir)?
            .and_then(|s| {
                let on = s.networks.iter().find(|n| n.name == network);
                on.and_then(|n| n.ip.clone())
            })
            .ok_or_else(|| {
                Error::invalid(format!(
                    "Cannot link to /{}, as it does not belong to the {} network",
                    rec.name,
                    if network == DEFAULT_NETWORK {
                        "default"
                    } else {
                        network
                    }
                ))
            })?;
        let stored = rec.stored.as_ref();
        let config = stored.map(|s| &s.config);
        let child_env = config.and_then(|c| c.env.clone()).unwrap_or_default();
        let ports: Vec<&str> = config
            .map(|c| c.exposed_ports.keys().map(String::as_str).collect())
            .unwrap_or_default();
        // The variables are the default bridge's legacy links only.
        if network == DEFAULT_NETWORK {
            out.env
                .extend(env_vars(alias, &full, &ip, &child_env, &ports));
        }
        let hostname = config.map(|c| c.hostname.as_str()).unwrap_or_default();
        let mut names = format!("{alias} {hostname}");
        if alias != rec.name {
            names = format!("{names} {}", rec.name);
        }
        out.hosts.push((names, ip));
        out.shown.push(format!("/{}:{full}", rec.name));
    }
    Ok(out)
}

/// docker's link variables for the linked container at `ip` with `ports`
/// (`80/tcp`…) and environment `env`, under `alias`; `full` is the link's
/// name (`/web/db`). Ports go TCP first, then by number; a run of
/// consecutive ports also gets `_START`/`_END` variables.
pub(crate) fn env_vars(
    alias: &str,
    full: &str,
    ip: &str,
    env: &[String],
    ports: &[&str],
) -> Vec<String> {
    let prefix = alias.to_uppercase().replace('-', "_");
    let mut ports: Vec<(u16, &str)> = ports
        .iter()
        .filter_map(|p| {
            let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
            Some((num.parse().ok()?, proto))
        })
        .collect();
    ports.sort_by(|a, b| (a.1 != "tcp", a.1, a.0).cmp(&(b.1 != "tcp", b.1, b.0)));
    let mut out = Vec::new();
    let Some(&first) = ports.first() else {
        return name_and_env(out, &prefix, full, env);
    };
    out.push(format!("{prefix}_PORT={}://{ip}:{}", first.1, first.0));
    let (mut start, mut end) = (first, first);
    for (i, &(num, proto)) in ports.iter().enumerate() {
        let p = format!("{prefix}_PORT_{num}_{}", proto.to_uppercase());
        out.push(format!("{p}={proto}://{ip}:{num}"));
        out.push(format!("{p}_ADDR={ip}"));
        out.push(format!("{p}_PORT={num}"));
        out.push(format!("{p}_PROTO={proto}"));
        if end.0.checked_add(1) == Some(num) && proto == end.1 {
            end = (num, proto);
            if i < ports.len() - 1 {
                continue;
            }
        }
        if end != start {
            let p = format!("{prefix}_PORT_{}_{}", start.0, start.1.to_uppercase());
            out.push(format!("{p}_START={}://{ip}:{}", start.1, start.0));
            out.push(format!("{p}_PORT_START={}", start.0));
            out.push(format!("{p}_END={}://{ip}:{}", end.1, end.0));
            out.push(format!("{p}_PORT_END={}", end.0));
        }
        (start, end) = ((num, proto), (num, proto));
    }
    name_and_env(out, &prefix, full, env)
}

fn name_and_env(mut out: Vec<String>, prefix: &str, full: &str, env: &[String]) -> Vec<String> {
    out.push(format!("{prefix}_NAME={full}"));
    for e in env {
        match e.split_once('=') {
            Some(("HOME" | "PATH", _)) | None => {}
            Some((k, v)) => out.push(format!("{prefix}_ENV_{k}={v}")),
        }
    }
    out
}

/// Keeps the links' hosts lines for the container's first start.
pub(crate) fn save_hosts(dir: &Path, hosts: &[(String, String)]) -> Result<()> {
    if hosts.is_empty() {
        return Ok(());
    }
    let text: String = hosts.iter().map(|(n, ip)| format!("{ip}\t{n}\n")).collect();
    crate::state::write_atomic(&dir.join(FILE), text.as_bytes(), 0o600)
}

/// `rm --link /PARENT/ALIAS`: the link leaves the parent's configuration
/// (`HostConfig.Links`) and its kept hosts lines (its next start writes
/// /etc/hosts without it), as docker's daemon forgets a link; both
/// containers stay.
pub async fn unlink(
    client: &Client,
    data: &DataRoot,
    containers: &[store::record::ContainerRecord],
    link: &str,
) -> Result<()> {
    let full = match link.strip_prefix('/') {
        Some(_) => link.to_string(),
        None => format!("/{link}"),
    };
    let (parent, alias) = full.rsplit_once('/').unwrap_or(("", &full));
    if parent.is_empty() {
        return Err(Error::conflict(
            "Conflict, cannot remove the default link name of the container",
        ));
    }
    let rec = containers
        .iter()
        .find(|c| c.name == parent[1..])
        .ok_or_else(|| {
            Error::invalid(format!("Cannot get parent {parent} for link name {full}"))
        })?;
    let mut stored = rec
        .stored
        .clone()
        .ok_or_else(|| Error::not_found(format!("No such container: {full}")))?;
    let links = stored.host_config.links.get_or_insert_default();
    let before = links.len();
    links.retain(|l| !l.ends_with(&format!(":{full}")));
    if links.len() == before {
        return Err(Error::not_found(format!("No such container: {full}")));
    }
    if links.is_empty() {
        stored.host_config.links = None;
    }
    store::save(client, &rec.id, &stored, None).await?;
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    let (gone, kept): (Vec<_>, Vec<_>) = saved_hosts(&dir)
        .into_iter()
        .partition(|(names, _)| names.split_whitespace().next() == Some(alias));
    drop_hosts_lines(&dir.join(crate::container::spec::etc_files::HOSTS), &gone)?;
    match kept.is_empty() {
        true => {
            let _ = std::fs::remove_file(dir.join(FILE));
            Ok(())
        }
        false => save_hosts(&dir, &kept),
    }
}

/// Drops the removed links' lines from the container's /etc/hosts, in
/// place (the file is bind-mounted: a running container sees it at once).
fn drop_hosts_lines(path: &Path, gone: &[(String, String)]) -> Result<()> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(());
    };
    let lines: Vec<String> = gone.iter().map(|(n, ip)| format!("{ip}\t{n}")).collect();
    let kept: String = text
        .lines()
        .filter(|l| !lines.iter().any(|g| g == l))
        .map(|l| format!("{l}\n"))
        .collect();
    if kept != text {
        std::fs::write(path, kept)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    Ok(())
}

/// The links' hosts lines kept for the container, as (names, address).
pub(crate) fn saved_hosts(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join(FILE)).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(ip, names)| (names.to_string(), ip.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_variables_as_docker_sets_them() {
        let env = ["PATH=/bin".to_string(), "REDIS_VERSION=7".to_string()];
        let got = env_vars("my-db", "/web/my-db", "172.17.0.2", &env, &["6379/tcp"]);
        assert_eq!(
            got,
            [
                "MY_DB_PORT=tcp://172.17.0.2:6379",
                "MY_DB_PORT_6379_TCP=tcp://172.17.0.2:6379",
                "MY_DB_PORT_6379_TCP_ADDR=172.17.0.2",
                "MY_DB_PORT_6379_TCP_PORT=6379",
                "MY_DB_PORT_6379_TCP_PROTO=tcp",
                "MY_DB_NAME=/web/my-db",
                "MY_DB_ENV_REDIS_VERSION=7",
            ]
        );
        assert_eq!(env_vars("x", "/p/x", "10.0.0.2", &[], &[]), ["X_NAME=/p/x"]);
    }

    #[test]
    fn ports_go_tcp_first_and_runs_get_start_and_end() {
        let got = env_vars(
            "a",
            "/p/a",
            "ip",
            &[],
            &["53/udp", "81/tcp", "80/tcp", "90/tcp"],
        );
        let names: Vec<&str> = got.iter().map(|e| e.split('=').next().unwrap()).collect();
        assert_eq!(
            names,
            [
                "A_PORT",
                "A_PORT_80_TCP",
                "A_PORT_80_TCP_ADDR",
                "A_PORT_80_TCP_PORT",
                "A_PORT_80_TCP_PROTO",
                "A_PORT_81_TCP",
                "A_PORT_81_TCP_ADDR",
                "A_PORT_81_TCP_PORT",
                "A_PORT_81_TCP_PROTO",
                "A_PORT_90_TCP",
                "A_PORT_90_TCP_ADDR",
                "A_PORT_90_TCP_PORT",
                "A_PORT_90_TCP_PROTO",
                "A_PORT_80_TCP_START",
                "A_PORT_80_TCP_PORT_START",
                "A_PORT_80_TCP_END",
                "A_PORT_80_TCP_PORT_END",
                "A_PORT_53_UDP",
                "A_PORT_53_UDP_ADDR",
                "A_PORT_53_UDP_PORT",
                "A_PORT_53_UDP_PROTO",
                "A_NAME",
            ]
        );
        assert!(got.contains(&"A_PORT=tcp://ip:80".to_string()));
        assert!(got.contains(&"A_PORT_80_TCP_END=tcp://ip:81".to_string()));
    }

    #[test]
    fn hosts_lines_are_kept_for_the_first_start() {
        let d = tempfile::tempdir().unwrap();
        assert!(saved_hosts(d.path()).is_empty());
        let hosts = vec![("db abc123 mydb".to_string(), "172.17.0.2".to_string())];
        save_hosts(d.path(), &hosts).unwrap();
        assert_eq!(saved_hosts(d.path()), hosts);
    }
}

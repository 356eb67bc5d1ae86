//! Finding the container berth runs in, among the containers of the
//! containerd it talks to: the only way to learn host paths from inside.

use std::path::PathBuf;

use containerd_client::services::v1::GetContainerRequest;

use crate::client::Client;
use crate::container::runtime::task;
use crate::error::Result;

/// berth's own container, as containerd knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub namespace: String,
    pub id: String,
    /// The pid of the container's init process in containerd's pid
    /// namespace: `/proc/<pid>/root` is the container's root seen from
    /// the host.
    pub pid: u32,
    /// The container's bind mounts: (destination, host source).
    pub binds: Vec<(String, String)>,
}

impl Caller {
    /// The caller's root directory as the shim and the helper see it.
    pub fn root(&self) -> PathBuf {
        PathBuf::from(format!("/proc/{}/root", self.pid))
    }
}

/// A container id (and the namespace, when the path says it) that berth's
/// cgroup or mounts name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    namespace: Option<String>,
    id: String,
}

fn is_long_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Candidates from `/proc/self/cgroup`: containerd's default cgroup path
/// is `/<namespace>/<id>`, docker's `/docker/<id>`, CRI's
/// `…/<id>` or `…/cri-containerd-<id>.scope` under systemd.
fn from_cgroup(text: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(path) = line.splitn(3, ':').nth(2) else {
            continue;
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let Some(last) = parts.last() else { continue };
        let id = last.trim_end_matches(".scope");
        let id = ["cri-containerd-", "docker-", "nerdctl-", "berth-"]
            .iter()
            .find_map(|p| id.strip_prefix(p))
            .unwrap_or(id);
        // docker's namespace is `moby`; a systemd slice is no namespace.
        let namespace = (parts.len() >= 2)
            .then(|| parts[parts.len() - 2].to_string())
            .filter(|n| !n.ends_with(".slice") && n != "docker");
        let systemd_unit = [".service", ".scope", ".slice"]
            .iter()
            .any(|s| last.ends_with(s));
        // A 64-hex id anywhere, or the plain `/<namespace>/<id>`.
        let plain = parts.len() == 2
            && namespace.is_some()
            && !systemd_unit
            && crate::util::validate_identifier(id).is_ok();
        if is_long_id(id) || plain {
            out.push(Candidate {
                namespace,
                id: id.to_string(),
            });
        }
    }
    out.dedup();
    out
}

/// Candidates from `/proc/self/mountinfo`, for a private cgroup namespace:
/// the files bind-mounted at /etc/hostname name the container that got
/// them (berth's `<ns>/containers/<id>/hostname`, docker's
/// `containers/<id>/hostname`).
fn from_mountinfo(text: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        if fields.len() < 5 || fields[4] != "/etc/hostname" {
            continue;
        }
        let parts: Vec<&str> = fields[3].split('/').filter(|p| !p.is_empty()).collect();
        if let [.., ns, "containers", id, "hostname"] = parts.as_slice() {
            out.push(Candidate {
                namespace: (*ns != "docker").then(|| ns.to_string()),
                id: id.to_string(),
            });
        }
    }
    out
}

/// Where berth runs, as far as the host's part of a verb goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// On the host (or with nothing that says otherwise).
    Host,
    /// In a running container of this containerd.
    Container(Caller),
    /// In a container that this containerd does not run (another
    /// daemon's, or one whose task berth cannot find).
    Foreign,
}

/// Markers that container engines leave in a container's root.
const CONTAINER_MARKERS: &[&str] = &["/.dockerenv", "/run/.containerenv"];

/// Where berth runs: its own container when berth runs in a container of
/// this containerd with a running task.
pub async fn locate(client: &Client) -> Result<Place> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let mut candidates = from_cgroup(&read("/proc/self/cgroup"));
    candidates.extend(from_mountinfo(&read("/proc/self/mountinfo")));
    if let Some(caller) = find(client, candidates.clone()).await? {
        return Ok(Place::Container(caller));
    }
    // A container id this containerd does not know, or a container
    // engine's marker: berth is in another daemon's container, unless that
    // container is where containerd itself runs (a kind node, a CI
    // runner's own containerd), which shows in the daemon's snapshotter
    // directory being berth's too.
    let marked = CONTAINER_MARKERS
        .iter()
        .any(|m| std::path::Path::new(m).exists());
    if marked || candidates.iter().any(|c| is_long_id(&c.id)) {
        let root = client.server().await?.snapshotter_root.clone();
        if root.is_some_and(|r| !std::path::Path::new(&r).exists()) {
            return Ok(Place::Foreign);
        }
    }
    Ok(Place::Host)
}

async fn find(client: &Client, candidates: Vec<Candidate>) -> Result<Option<Caller>> {
    if candidates.is_empty() {
        return Ok(None);
    }
    let mut all_namespaces: Option<Vec<String>> = None;
    for c in candidates {
        let namespaces = match c.namespace {
            Some(ns) => vec![ns],
            None => match &all_namespaces {
                Some(list) => list.clone(),
                None => {
                    let list = crate::info::namespace_names(client).await?;
                    all_namespaces = Some(list.clone());
                    list
                }
            },
        };
        for ns in namespaces {
            let Ok(there) = client.in_namespace(&ns) else {
                continue;
            };
            if let Ok(Some(pid)) = task::pid(&there, &c.id).await
                && pid > 0
            {
                let binds = binds_of(&there, &c.id).await;
                return Ok(Some(Caller {
                    namespace: ns,
                    id: c.id,
                    pid,
                    binds,
                }));
            }
        }
    }
    Ok(None)
}

/// The bind mounts of container `id`'s spec.
async fn binds_of(client: &Client, id: &str) -> Vec<(String, String)> {
    let got = client
        .containers()
        .get(GetContainerRequest { id: id.to_string() })
        .await;
    let Some(spec) = got.ok().and_then(|r| r.into_inner().container?.spec) else {
        return Vec::new();
    };
    let spec: serde_json::Value = serde_json::from_slice(&spec.value).unwrap_or_default();
    binds_in(&spec)
}

fn binds_in(spec: &serde_json::Value) -> Vec<(String, String)> {
    let mounts = spec["mounts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    mounts
        .iter()
        .filter(|m| {
            m["type"] == "bind"
                || m["options"]
                    .as_array()
                    .is_some_and(|o| o.iter().any(|o| o == "bind" || o == "rbind"))
        })
        .filter_map(|m| {
            Some((
                m["destination"].as_str()?.into(),
                m["source"].as_str()?.into(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "cd53f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e";

    fn cand(ns: Option<&str>, id: &str) -> Candidate {
        Candidate {
            namespace: ns.map(str::to_string),
            id: id.to_string(),
        }
    }

    #[test]
    fn cgroup_paths_name_the_container() {
        let v1 = format!("12:memory:/jk/{ID}\n11:cpu,cpuacct:/jk/{ID}\n1:name=systemd:/jk/{ID}\n");
        assert_eq!(from_cgroup(&v1), vec![cand(Some("jk"), ID)]);
        assert_eq!(
            from_cgroup("0::/default/ci\n"),
            vec![cand(Some("default"), "ci")]
        );
        let docker = format!("0::/docker/{ID}\n");
        assert_eq!(from_cgroup(&docker), vec![cand(None, ID)]);
        let cri = format!(
            "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podx.slice/cri-containerd-{ID}.scope\n"
        );
        assert_eq!(from_cgroup(&cri), vec![cand(None, ID)]);
    }

    #[test]
    fn the_spec_names_the_bind_mounts() {
        let spec = serde_json::json!({"mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/ws", "type": "bind", "source": "/srv/ws", "options": ["rbind"]},
            {"destination": "/run/containerd/containerd.sock", "source": "/run/containerd/containerd.sock", "options": ["bind", "ro"]},
        ]});
        assert_eq!(
            binds_in(&spec),
            vec![
                ("/ws".to_string(), "/srv/ws".to_string()),
                (
                    "/run/containerd/containerd.sock".to_string(),
                    "/run/containerd/containerd.sock".to_string()
                )
            ]
        );
    }

    #[test]
    fn a_host_cgroup_names_nothing() {
        assert!(from_cgroup("0::/\n").is_empty());
        assert!(from_cgroup("0::/user.slice/user-0.slice/session-3.scope\n").is_empty());
        assert!(from_cgroup("12:memory:/\n1:name=systemd:/init.scope\n").is_empty());
        assert!(from_cgroup("0::/system.slice/jenkins.service\n").is_empty());
    }

    #[test]
    fn the_hostname_mount_names_the_container() {
        let berth = format!(
            "2000 1990 8:1 /var/lib/berth/ci/containers/{ID}/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw\n\
             2001 1990 0:50 / /proc rw - proc proc rw\n"
        );
        assert_eq!(from_mountinfo(&berth), vec![cand(Some("ci"), ID)]);
        let docker = format!(
            "900 800 8:1 /var/lib/docker/containers/{ID}/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n"
        );
        assert_eq!(from_mountinfo(&docker), vec![cand(None, ID)]);
    }
}

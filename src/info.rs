//! What the daemon is and holds: `version`, `info`, and the hint that other
//! namespaces hold what this one does not (Kubernetes nodes use `k8s.io`).

use containerd_client::services::v1::{
    ListContainersRequest, ListImagesRequest, ListNamespacesRequest,
};

use crate::client::Client;
use crate::container::ops as list;
use crate::error::Result;
use crate::server::ServerVersion;

/// berth's own version and the commit it was built from.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const COMMIT: &str = env!("BERTH_GIT_COMMIT");

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub server: ServerVersion,
    pub capabilities: crate::server::ServerInfo,
    pub namespace: String,
    pub snapshotter: String,
    pub runtime: String,
    pub containers: usize,
    pub running: usize,
    pub paused: usize,
    pub stopped: usize,
    pub images: usize,
    /// containerd's root directory, from the content plugin's exports.
    pub root: Option<String>,
    pub address: String,
    pub server_uuid: String,
    pub namespaces: Vec<String>,
    /// How berth's containers get their cgroups (`cgroupfs` or `systemd`)
    /// and the host's cgroup version.
    pub cgroup_driver: &'static str,
    pub cgroup_version: u8,
}

pub async fn summary(client: &Client) -> Result<Summary> {
    let (caps, rows, images, root, uuid, namespaces) = tokio::try_join!(
        client.server(),
        list::list(client),
        async {
            Ok(client
                .images()
                .list(ListImagesRequest::default())
                .await?
                .into_inner()
                .images
                .len())
        },
        client.root(),
        async { Ok(client.introspection().server(()).await?.into_inner().uuid) },
        namespace_names(client),
    )?;
    let root = root.map(|r| r.display().to_string());
    let running = rows
        .iter()
        .filter(|r| {
            matches!(
                r.state,
                list::State::Running { .. } | list::State::Restarting { .. }
            )
        })
        .count();
    let paused = rows
        .iter()
        .filter(|r| matches!(r.state, list::State::Paused { .. }))
        .count();
    Ok(Summary {
        server: ServerVersion {
            version: caps.version.clone(),
            revision: caps.revision.clone(),
        },
        capabilities: caps.clone(),
        namespace: client.namespace().to_string(),
        snapshotter: client.snapshotter().to_string(),
        runtime: crate::client::DEFAULT_RUNTIME.to_string(),
        containers: rows.len(),
        running,
        paused,
        stopped: rows.len() - running - paused,
        images,
        root,
        address: client.address().display().to_string(),
        server_uuid: uuid,
        namespaces,
        cgroup_driver: crate::container::cgroups::manager().as_str(),
        cgroup_version: crate::util::cgroup_version(),
    })
}

pub async fn namespace_names(client: &Client) -> Result<Vec<String>> {
    let mut names: Vec<String> = client
        .namespaces()
        .list(ListNamespacesRequest::default())
        .await?
        .into_inner()
        .namespaces
        .into_iter()
        .map(|n| n.name)
        .collect();
    names.sort();
    Ok(names)
}

#[derive(Debug, Clone, Copy)]
pub enum Holding {
    Containers,
    Images,
}

/// Other namespaces that hold containers (or images), with their counts.
/// Used only when the current namespace is empty, so its cost is paid rarely.
pub async fn other_namespaces(client: &Client, what: Holding) -> Result<Vec<(String, usize)>> {
    let mut out = Vec::new();
    for ns in namespace_names(client).await? {
        if ns == client.namespace() {
            continue;
        }
        let c = client.in_namespace(&ns)?;
        let n = match what {
            Holding::Containers => c
                .containers()
                .list(ListContainersRequest::default())
                .await?
                .into_inner()
                .containers
                .len(),
            Holding::Images => c
                .images()
                .list(ListImagesRequest::default())
                .await?
                .into_inner()
                .images
                .len(),
        };
        if n > 0 {
            out.push((ns, n));
        }
    }
    Ok(out)
}

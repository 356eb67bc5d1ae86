//! What shell completion offers from the connected containerd: container
//! names (running, stopped or all), image names, networks, volumes and
//! namespaces. Only cheap calls: the name leases and the task list rather
//! than the containers' records (each carries its whole runtime spec), the
//! image list, berth's own files. Reads only: nothing is pulled, made or
//! changed. Also the shells' registration scripts, which call berth back
//! with `BERTH_COMPLETE` set.

use containerd_client::services::v1::{ListImagesRequest, ListTasksRequest};
use containerd_client::types::v1::Status;

use crate::client::Client;
use crate::error::Result;
use crate::state::DataRoot;

/// Which containers a verb takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// With a live task (`exec`, `stop`, `kill`, `attach`, `top`, `pause`).
    Running,
    /// Without one (`start`).
    Stopped,
    All,
}

/// Container names of the namespace, sorted.
pub async fn containers(client: &Client, which: Which) -> Result<Vec<String>> {
    let names = crate::container::store::names::claimed(client);
    let tasks = async {
        Ok(client
            .tasks()
            .list(ListTasksRequest::default())
            .await?
            .into_inner()
            .tasks)
    };
    let (names, tasks) = tokio::try_join!(names, tasks)?;
    let live: std::collections::HashSet<String> = tasks
        .into_iter()
        .filter(|t| {
            matches!(
                Status::try_from(t.status),
                Ok(Status::Running | Status::Paused | Status::Pausing)
            )
        })
        .map(|t| t.id)
        .collect();
    let mut out: Vec<String> = names
        .into_iter()
        .filter(|(_, id)| match which {
            Which::Running => live.contains(id),
            Which::Stopped => !live.contains(id),
            Which::All => true,
        })
        .map(|(name, _)| name)
        .collect();
    out.sort();
    Ok(out)
}

/// Image names as `images` shows them (`busybox:latest`,
/// `127.0.0.1:5000/app:1`), without the CRI plugin's digest and id names.
pub async fn images(client: &Client) -> Result<Vec<String>> {
    let records = client
        .images()
        .list(ListImagesRequest::default())
        .await?
        .into_inner()
        .images;
    let mut out: Vec<String> = records
        .into_iter()
        .filter(|r| !r.name.contains('@') && !r.name.starts_with("sha256:"))
        .map(|r| {
            let (repo, tag) = crate::image::reference::repo_and_tag(&r.name);
            format!("{repo}:{tag}")
        })
        .filter(|n| !n.starts_with("<none>"))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// Networks a container of `namespace` can join: docker's three and
/// berth's own.
pub fn networks(namespace: &str) -> Vec<String> {
    let mut out: Vec<String> = ["bridge", "host", "none"].map(String::from).to_vec();
    if let Ok(list) = crate::network::store().list() {
        out.extend(
            list.into_iter()
                .filter(|n| n.seen_from(namespace))
                .map(|n| n.name),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// Volume names of the namespace.
pub fn volumes(data: &DataRoot, namespace: &str) -> Vec<String> {
    let Ok(store) = crate::volume::store::Volumes::new(data, namespace) else {
        return Vec::new();
    };
    let mut out: Vec<String> = store
        .list()
        .map(|l| l.into_iter().map(|v| v.name).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// containerd's namespaces.
pub async fn namespaces(client: &Client) -> Result<Vec<String>> {
    crate::info::namespace_names(client).await
}

/// The environment variable the registration scripts set: berth's own
/// (clap's default, `COMPLETE`, is a name a CI job or a container's
/// environment may well hold for other reasons, and berth would then
/// answer as a completer instead of running).
pub const VAR: &str = "BERTH_COMPLETE";

/// The registration script for `shell`, calling this binary as `name`
/// (`berth`, or `docker` when berth is installed under that name).
pub fn registration(shell: clap_complete::Shell, name: &str) -> String {
    use clap_complete::env::EnvCompleter;
    let mut out = Vec::new();
    let r = match shell {
        clap_complete::Shell::Bash => {
            clap_complete::env::Bash.write_registration(VAR, name, name, name, &mut out)
        }
        clap_complete::Shell::Zsh => {
            clap_complete::env::Zsh.write_registration(VAR, name, name, name, &mut out)
        }
        _ => clap_complete::env::Fish.write_registration(VAR, name, name, name, &mut out),
    };
    // Writing to memory cannot fail.
    drop(r);
    String::from_utf8_lossy(&out).into_owned()
}

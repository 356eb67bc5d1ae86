//! `build`: a Dockerfile build on a BuildKit daemon, with berth's own
//! session serving the context, and the result put into containerd (by the
//! worker itself when it shares our containerd and namespace, else through
//! a streamed tarball) or written where `--output` says.

mod bases;
pub mod cache;
pub mod options;
mod plan;
pub mod progress;
pub mod stdin;

use std::collections::HashMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use tokio::io::AsyncWrite;

use crate::buildkit::proto::StatusResponse;
use crate::buildkit::{Address, Control};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
pub use options::{Dest, Output};

/// The build context.
#[derive(Debug, Clone)]
pub enum Context {
    Local(PathBuf),
    /// A git (or other) URL buildkitd fetches itself.
    Remote(String),
}

#[derive(Debug, Clone)]
pub enum Dockerfile {
    /// `Dockerfile` in the context.
    Default,
    Path(PathBuf),
    /// A path inside a remote context.
    InContext(String),
}

pub type Writer = Pin<Box<dyn AsyncWrite + Send>>;

pub struct BuildRequest {
    /// Daemons to try, in order; the first that answers builds.
    pub addresses: Vec<Address>,
    pub context: Context,
    pub dockerfile: Dockerfile,
    /// Full image names (`-t`).
    pub tags: Vec<String>,
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub pull: bool,
    pub platforms: Vec<String>,
    pub labels: Vec<(String, String)>,
    /// none | host | default
    pub network: Option<String>,
    /// docker's `host:ip`.
    pub add_hosts: Vec<String>,
    /// /dev/shm of RUN steps, in bytes (the Dockerfile frontend's `shm-size`).
    pub shm_size: Option<u64>,
    /// Parent cgroup of RUN steps (the Dockerfile frontend's `cgroup-parent`).
    pub cgroup_parent: Option<String>,
    /// `nofile=1024:2048`, checked (the Dockerfile frontend's `ulimit`).
    pub ulimits: Vec<String>,
    pub secrets: HashMap<String, Vec<u8>>,
    pub ssh: HashMap<String, PathBuf>,
    pub output: Output,
    pub cache_from: Vec<(String, HashMap<String, String>)>,
    pub cache_to: Vec<(String, HashMap<String, String>)>,
    /// Where `dest=-` goes (the caller's stdout).
    pub stdout: Option<Writer>,
    /// Registries berth talks plain HTTP to (for `FROM` through mirrors).
    pub insecure: Vec<String>,
}

/// What the build produced.
#[derive(Debug, Default, Clone)]
pub struct Built {
    /// The image id (config digest), when an image was made.
    pub image_id: Option<String>,
    /// Names now in containerd.
    pub names: Vec<String>,
}

pub enum BuildEvent {
    Status(StatusResponse),
    /// Something the user should know (e.g. why the tarball path is used).
    Notice(String),
}

pub type Events = Arc<dyn Fn(BuildEvent) + Send + Sync>;

/// The addresses berth tries when none is given: nerdctl's per-namespace
/// socket first, then BuildKit's default.
pub fn default_addresses(namespace: &str) -> Vec<Address> {
    let mut v = vec![Address::Unix(PathBuf::from(format!(
        "/run/buildkit-{namespace}/buildkitd.sock"
    )))];
    if namespace != "default" {
        v.push(Address::Unix("/run/buildkit-default/buildkitd.sock".into()));
    }
    v.push(Address::Unix("/run/buildkit/buildkitd.sock".into()));
    v
}

/// Connects to the first daemon that answers ListWorkers.
pub async fn connect(
    addresses: &[Address],
) -> Result<(Control, Vec<crate::buildkit::proto::WorkerRecord>)> {
    let mut tried = Vec::new();
    for a in addresses {
        match Control::connect(a).await {
            Ok(c) => match c.list_workers().await {
                Ok(w) => return Ok((c, w)),
                Err(e) => tried.push(format!("{a} ({})", e.message())),
            },
            Err(e) => tried.push(format!("{a} ({})", short_reason(e.message()))),
        }
    }
    Err(Error::new(
        ErrorKind::Unavailable,
        format!("no BuildKit daemon answers; tried {}", tried.join(", ")),
    )
    .hinted(
        "start one (buildkitd --addr unix:///run/buildkit/buildkitd.sock, with \
         --containerd-worker=true to build straight into containerd), or point berth at one \
         with --buildkit-host or BUILDKIT_HOST; inside a container, mount its socket",
    ))
}

fn short_reason(msg: &str) -> &str {
    msg.rsplit(": ").next().unwrap_or(msg)
}

/// Runs the build.
pub async fn build(client: Option<&Client>, req: BuildRequest, events: Events) -> Result<Built> {
    let (control, workers) = connect(&req.addresses).await?;
    plan::run(&control, &workers, client, req, events).await
}

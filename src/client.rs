//! The containerd connection: one gRPC channel over the unix socket, with the
//! namespace (and, inside a lease, the lease id) attached to every call by an
//! interceptor rather than by each caller.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use containerd_client::services::v1 as api;
use containerd_client::services::v1::snapshots::snapshots_client::SnapshotsClient;
use tonic::metadata::{AsciiMetadataValue, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};

use crate::error::{Error, ErrorKind, Result};

/// containerd's largest message; lists of many containers come close.
const MAX_MESSAGE: usize = 64 << 20;

pub const DEFAULT_ADDRESS: &str = "/run/containerd/containerd.sock";
pub const DEFAULT_NAMESPACE: &str = "default";
pub const DEFAULT_SNAPSHOTTER: &str = "overlayfs";
pub const DEFAULT_RUNTIME: &str = "io.containerd.runc.v2";

/// Headers every request carries.
#[derive(Clone)]
pub struct CallMeta {
    namespace: AsciiMetadataValue,
    lease: Option<AsciiMetadataValue>,
}

impl Interceptor for CallMeta {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        let md = req.metadata_mut();
        md.insert("containerd-namespace", self.namespace.clone());
        if let Some(lease) = &self.lease {
            md.insert("containerd-lease", lease.clone());
        }
        Ok(req)
    }
}

pub type Svc = InterceptedService<Channel, CallMeta>;

/// A connected client bound to one namespace. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    channel: Channel,
    meta: CallMeta,
    namespace: String,
    snapshotter: String,
    address: Arc<PathBuf>,
    /// The server's version and capabilities, detected on first need.
    server: Arc<tokio::sync::OnceCell<crate::server::info::ServerInfo>>,
}

macro_rules! service {
    ($name:ident, $ty:ty) => {
        pub fn $name(&self) -> $ty {
            <$ty>::new(InterceptedService::new(
                self.channel.clone(),
                self.meta.clone(),
            ))
            .max_decoding_message_size(MAX_MESSAGE)
            .max_encoding_message_size(MAX_MESSAGE)
        }
    };
}

impl Client {
    /// Connects to containerd's socket. A missing socket or a permission
    /// problem becomes one clear error saying what to do.
    pub async fn connect(address: &Path, namespace: &str, snapshotter: &str) -> Result<Client> {
        validate_namespace(namespace)?;
        let path = address.to_path_buf();
        let channel = Endpoint::from_static("http://containerd.sock")
            .connect_timeout(Duration::from_secs(10))
            .connect_with_connector(UnixConnector { path: path.clone() })
            .await
            .map_err(|e| connect_error(address, &e))?;
        Ok(Client {
            channel,
            meta: CallMeta {
                namespace: ascii(namespace)?,
                lease: None,
            },
            namespace: namespace.to_string(),
            snapshotter: snapshotter.to_string(),
            address: Arc::new(path),
            server: Arc::default(),
        })
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    pub fn snapshotter(&self) -> &str {
        &self.snapshotter
    }

    /// containerd's root directory (`/var/lib/containerd`), from the
    /// content plugin's exports (its `<root>/io.containerd.content.v1.content`).
    pub async fn root(&self) -> Result<Option<PathBuf>> {
        let plugins = self
            .introspection()
            .plugins(containerd_client::services::v1::PluginsRequest {
                filters: vec!["type==io.containerd.content.v1".to_string()],
            })
            .await?
            .into_inner()
            .plugins;
        Ok(plugins
            .iter()
            .find_map(|p| p.exports.get("root"))
            .and_then(|r| Path::new(r).parent().map(Path::to_path_buf)))
    }

    pub fn address(&self) -> &Path {
        &self.address
    }

    /// Where the server's detected version and capabilities are kept
    /// (`Client::server`, in server/).
    pub(crate) fn server_cell(&self) -> &tokio::sync::OnceCell<crate::server::info::ServerInfo> {
        &self.server
    }

    /// The same connection, talking to another namespace.
    pub fn in_namespace(&self, namespace: &str) -> Result<Client> {
        validate_namespace(namespace)?;
        let mut c = self.clone();
        c.meta.namespace = ascii(namespace)?;
        c.namespace = namespace.to_string();
        Ok(c)
    }

    /// The same connection, with every call made under `lease_id` so the
    /// garbage collector keeps what those calls create.
    pub fn with_lease(&self, lease_id: &str) -> Result<Client> {
        let mut c = self.clone();
        c.meta.lease = Some(ascii(lease_id)?);
        Ok(c)
    }

    /// The channel with this client's headers, for calls the generated
    /// clients lack.
    pub(crate) fn raw_service(&self) -> Svc {
        InterceptedService::new(self.channel.clone(), self.meta.clone())
    }

    service!(containers, api::containers_client::ContainersClient<Svc>);
    service!(tasks, api::tasks_client::TasksClient<Svc>);
    service!(content, api::content_client::ContentClient<Svc>);
    service!(images, api::images_client::ImagesClient<Svc>);
    service!(snapshots, SnapshotsClient<Svc>);
    service!(diff, api::diff_client::DiffClient<Svc>);
    service!(leases, api::leases_client::LeasesClient<Svc>);
    service!(namespaces, api::namespaces_client::NamespacesClient<Svc>);
    service!(version, api::version_client::VersionClient<Svc>);
    service!(
        introspection,
        api::introspection_client::IntrospectionClient<Svc>
    );
    service!(events, api::events_client::EventsClient<Svc>);
}

#[derive(Clone)]
pub(crate) struct UnixConnector {
    pub(crate) path: PathBuf,
}

impl tower_service::Service<tonic::transport::Uri> for UnixConnector {
    type Response = hyper_util::rt::TokioIo<tokio::net::UnixStream>;
    type Error = std::io::Error;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = std::io::Result<Self::Response>> + Send + 'static>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: tonic::transport::Uri) -> Self::Future {
        let path = self.path.clone();
        Box::pin(async move {
            let stream = tokio::net::UnixStream::connect(path).await?;
            Ok(hyper_util::rt::TokioIo::new(stream))
        })
    }
}

fn ascii(s: &str) -> Result<AsciiMetadataValue> {
    MetadataValue::try_from(s).map_err(|_| Error::invalid(format!("invalid header value {s:?}")))
}

/// containerd's identifier rule, applied to namespaces so a typo gets a
/// clear message instead of a gRPC error deep inside some call.
pub fn validate_namespace(ns: &str) -> Result<()> {
    crate::util::validate_identifier(ns)
        .map_err(|why| Error::invalid(format!("invalid namespace {ns:?}: {why}")))
}

fn connect_error(address: &Path, err: &tonic::transport::Error) -> Error {
    let io_kind = {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
        let mut kind = None;
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                kind = Some(io.kind());
                break;
            }
            source = e.source();
        }
        kind
    };
    let shown = address.display();
    let mount_hint = format!(
        "start containerd, point berth at its socket with --address or CONTAINERD_ADDRESS, \
         or when berth runs inside a container mount the host's socket: \
         -v {shown}:{shown}"
    );
    match io_kind {
        Some(std::io::ErrorKind::NotFound) => Error::new(
            ErrorKind::Unavailable,
            format!("cannot connect to containerd: socket {shown} does not exist"),
        )
        .hinted(mount_hint),
        Some(std::io::ErrorKind::PermissionDenied) => Error::new(
            ErrorKind::Unavailable,
            format!("cannot connect to containerd at {shown}: permission denied"),
        )
        .hinted("run berth as root, or give this user access to the socket"),
        Some(std::io::ErrorKind::ConnectionRefused) => Error::new(
            ErrorKind::Unavailable,
            format!("cannot connect to containerd at {shown}: connection refused (is containerd running?)"),
        )
        .hinted(mount_hint),
        _ => Error::new(
            ErrorKind::Unavailable,
            format!("cannot connect to containerd at {shown}: {err}"),
        )
        .hinted(mount_hint),
    }
}

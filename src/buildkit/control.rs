//! The client side of `moby.buildkit.v1.Control`, over tonic's generic
//! gRPC client (no generated code): Solve, Status, Session, ListWorkers.

use std::path::PathBuf;
use std::time::Duration;

use futures::Stream;
use http::uri::PathAndQuery;
use tonic::client::Grpc;
use tonic::transport::{Channel, Endpoint};
use tonic_prost::ProstCodec;

use super::proto::*;
use crate::error::{Error, ErrorKind, Result};

const MAX_MESSAGE: usize = 64 << 20;

/// Where a buildkitd listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(PathBuf),
    Tcp(String),
}

impl Address {
    /// `unix:///path`, a bare absolute path, or `tcp://host:port`.
    pub fn parse(s: &str) -> Result<Address> {
        if let Some(p) = s.strip_prefix("unix://") {
            return Ok(Address::Unix(PathBuf::from(p)));
        }
        if let Some(hp) = s.strip_prefix("tcp://") {
            return Ok(Address::Tcp(hp.to_string()));
        }
        if s.starts_with('/') {
            return Ok(Address::Unix(PathBuf::from(s)));
        }
        Err(Error::invalid(format!(
            "invalid BuildKit address {s:?}: expected unix:///path or tcp://host:port"
        )))
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Address::Unix(p) => write!(f, "unix://{}", p.display()),
            Address::Tcp(hp) => write!(f, "tcp://{hp}"),
        }
    }
}

/// A connection to one buildkitd.
#[derive(Clone)]
pub struct Control {
    grpc: Grpc<Channel>,
    pub address: Address,
}

impl Control {
    pub async fn connect(address: &Address) -> Result<Control> {
        let channel = match address {
            Address::Unix(path) => {
                Endpoint::from_static("http://buildkitd.sock")
                    .connect_timeout(Duration::from_secs(5))
                    .connect_with_connector(crate::client::UnixConnector { path: path.clone() })
                    .await
            }
            Address::Tcp(hp) => {
                Endpoint::from_shared(format!("http://{hp}"))
                    .map_err(|e| Error::invalid(format!("invalid BuildKit address: {e}")))?
                    .connect_timeout(Duration::from_secs(5))
                    .connect()
                    .await
            }
        }
        .map_err(|e| {
            Error::new(
                ErrorKind::Unavailable,
                format!(
                    "cannot connect to buildkitd at {address}: {}",
                    root_cause(&e)
                ),
            )
        })?;
        let grpc = Grpc::new(channel)
            .max_decoding_message_size(MAX_MESSAGE)
            .max_encoding_message_size(MAX_MESSAGE);
        Ok(Control {
            grpc,
            address: address.clone(),
        })
    }

    async fn ready(&self) -> Result<Grpc<Channel>> {
        let mut grpc = self.grpc.clone();
        grpc.ready().await.map_err(|e| {
            Error::new(
                ErrorKind::Unavailable,
                format!("buildkitd at {} is not ready: {e}", self.address),
            )
        })?;
        Ok(grpc)
    }

    pub async fn list_workers(&self) -> Result<Vec<WorkerRecord>> {
        let mut grpc = self.ready().await?;
        let resp: tonic::Response<ListWorkersResponse> = grpc
            .unary(
                tonic::Request::new(ListWorkersRequest::default()),
                PathAndQuery::from_static("/moby.buildkit.v1.Control/ListWorkers"),
                ProstCodec::default(),
            )
            .await
            .map_err(|s| self.status_error("listing workers", s))?;
        Ok(resp.into_inner().record)
    }

    /// The daemon's build cache records.
    pub async fn disk_usage(&self) -> Result<Vec<UsageRecord>> {
        let mut grpc = self.ready().await?;
        let resp: tonic::Response<DiskUsageResponse> = grpc
            .unary(
                tonic::Request::new(DiskUsageRequest::default()),
                PathAndQuery::from_static("/moby.buildkit.v1.Control/DiskUsage"),
                ProstCodec::default(),
            )
            .await
            .map_err(|s| self.status_error("reading the build cache's usage", s))?;
        Ok(resp.into_inner().record)
    }

    /// Prunes the build cache; the records removed.
    pub async fn prune(&self, req: PruneRequest) -> Result<Vec<UsageRecord>> {
        let mut grpc = self.ready().await?;
        let resp = grpc
            .server_streaming(
                tonic::Request::new(req),
                PathAndQuery::from_static("/moby.buildkit.v1.Control/Prune"),
                ProstCodec::<PruneRequest, UsageRecord>::default(),
            )
            .await
            .map_err(|s| self.status_error("pruning the build cache", s))?;
        let mut stream = resp.into_inner();
        let mut out = Vec::new();
        while let Some(r) = stream
            .message()
            .await
            .map_err(|s| self.status_error("pruning the build cache", s))?
        {
            out.push(r);
        }
        Ok(out)
    }

    pub async fn solve(
        &self,
        req: SolveRequest,
    ) -> std::result::Result<SolveResponse, tonic::Status> {
        let mut grpc = self.grpc.clone();
        grpc.ready()
            .await
            .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
        let resp = grpc
            .unary(
                tonic::Request::new(req),
                PathAndQuery::from_static("/moby.buildkit.v1.Control/Solve"),
                ProstCodec::default(),
            )
            .await?;
        Ok(resp.into_inner())
    }

    pub async fn status(
        &self,
        r#ref: &str,
    ) -> std::result::Result<tonic::Streaming<StatusResponse>, tonic::Status> {
        let mut grpc = self.grpc.clone();
        grpc.ready()
            .await
            .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
        let resp = grpc
            .server_streaming(
                tonic::Request::new(StatusRequest {
                    r#ref: r#ref.to_string(),
                }),
                PathAndQuery::from_static("/moby.buildkit.v1.Control/Status"),
                ProstCodec::default(),
            )
            .await?;
        Ok(resp.into_inner())
    }

    /// Opens the session stream; `request` carries the session headers.
    pub async fn session<S>(
        &self,
        request: tonic::Request<S>,
    ) -> std::result::Result<tonic::Streaming<BytesMessage>, tonic::Status>
    where
        S: Stream<Item = BytesMessage> + Send + 'static,
    {
        let mut grpc = self.grpc.clone();
        grpc.ready()
            .await
            .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
        let resp = grpc
            .streaming(
                request,
                PathAndQuery::from_static("/moby.buildkit.v1.Control/Session"),
                ProstCodec::default(),
            )
            .await?;
        Ok(resp.into_inner())
    }

    fn status_error(&self, what: &str, s: tonic::Status) -> Error {
        let kind = match s.code() {
            tonic::Code::Unavailable => ErrorKind::Unavailable,
            _ => ErrorKind::Daemon,
        };
        Error::new(
            kind,
            format!("buildkitd at {}: {what}: {}", self.address, s.message()),
        )
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            Address::parse("unix:///run/buildkit/buildkitd.sock").unwrap(),
            Address::Unix("/run/buildkit/buildkitd.sock".into())
        );
        assert_eq!(
            Address::parse("/run/b.sock").unwrap(),
            Address::Unix("/run/b.sock".into())
        );
        assert_eq!(
            Address::parse("tcp://127.0.0.1:1234").unwrap(),
            Address::Tcp("127.0.0.1:1234".into())
        );
        assert!(Address::parse("docker-container://x").is_err());
        assert_eq!(
            Address::Unix("/a.sock".into()).to_string(),
            "unix:///a.sock"
        );
    }
}

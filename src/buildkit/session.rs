//! The client's BuildKit session: an HTTP/2 connection carried inside the
//! `Control.Session` byte stream, on which buildkitd calls berth back for
//! the build context, registry credentials, secrets, SSH agent forwarding,
//! exported files and health checks.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::control::Control;
use super::filesync::patterns::Matcher;
use super::filesync::walk::{self, Filter};
use super::filesync::{receive, send};
use super::h2grpc::{self, Call};
use super::proto::*;
use crate::error::{Error, ErrorKind, Result};

/// Registry credentials for a host: (username, secret).
pub type Credentials = Arc<dyn Fn(&str) -> Option<(String, String)> + Send + Sync>;

/// Where exporter output goes.
pub enum ExportSink {
    /// `type=local`: files written into this directory.
    Dir(PathBuf),
    /// `type=docker|oci|tar`: the byte stream, handed over as it arrives.
    Stream(mpsc::Sender<tokio::io::DuplexStream>),
}

#[derive(Default)]
pub struct SessionConfig {
    /// Local sources by the name buildkitd asks for (`context`, `dockerfile`).
    pub locals: HashMap<String, PathBuf>,
    pub secrets: HashMap<String, Vec<u8>>,
    pub credentials: Option<Credentials>,
    /// ssh id -> agent socket.
    pub ssh: HashMap<String, PathBuf>,
    pub export: Option<ExportSink>,
}

const METHODS: &[&str] = &[
    "/grpc.health.v1.Health/Check",
    "/moby.filesync.v1.FileSync/DiffCopy",
    "/moby.filesync.v1.FileSend/DiffCopy",
    "/moby.filesync.v1.Auth/Credentials",
    "/moby.filesync.v1.Auth/FetchToken",
    "/moby.filesync.v1.Auth/GetTokenAuthority",
    "/moby.filesync.v1.Auth/VerifyTokenAuthority",
    "/moby.buildkit.secrets.v1.Secrets/GetSecret",
    "/moby.sshforward.v1.SSH/CheckAgent",
    "/moby.sshforward.v1.SSH/ForwardAgent",
];

/// A session open on buildkitd; dropping it closes the session.
pub struct Session {
    pub id: String,
    _outbound: mpsc::Sender<BytesMessage>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Session {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

pub fn random_id() -> String {
    use rand::RngExt;
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    (0..25)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Session {
    pub async fn start(control: &Control, config: SessionConfig) -> Result<Session> {
        let id = random_id();
        let (ours, pipe) = tokio::io::duplex(1 << 20);
        let (mut pipe_read, mut pipe_write) = tokio::io::split(pipe);
        let (tx, rx) = mpsc::channel::<BytesMessage>(16);
        let mut request = tonic::Request::new(ReceiverStream::new(rx));
        let md = request.metadata_mut();
        let header = |v: &str| {
            tonic::metadata::MetadataValue::try_from(v)
                .map_err(|_| Error::invalid(format!("invalid session header {v:?}")))
        };
        md.insert("x-docker-expose-session-uuid", header(&id)?);
        md.insert("x-docker-expose-session-name", header("berth")?);
        md.insert("x-docker-expose-session-sharedkey", header("")?);
        for m in METHODS {
            md.append("x-docker-expose-session-grpc-method", header(m)?);
        }
        let mut inbound = control.session(request).await.map_err(|s| {
            Error::new(
                ErrorKind::Daemon,
                format!(
                    "opening a session on buildkitd at {}: {}",
                    control.address,
                    s.message()
                ),
            )
        })?;
        let to_daemon = tx.clone();
        let up = tokio::spawn(async move {
            let mut buf = vec![0u8; 1 << 20];
            loop {
                match pipe_read.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        let msg = BytesMessage {
                            data: buf[..n].to_vec(),
                        };
                        if to_daemon.send(msg).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
        let down = tokio::spawn(async move {
            while let Ok(Some(msg)) = inbound.message().await {
                if pipe_write.write_all(&msg.data).await.is_err() {
                    return;
                }
            }
            let _ = pipe_write.shutdown().await;
        });
        let config = Arc::new(config);
        let serve = tokio::spawn(async move {
            let handler = move |call: Call| {
                let config = config.clone();
                async move { handle(call, &config).await }
            };
            if let Err(e) = h2grpc::serve(ours, handler).await {
                tracing::debug!("session ended: {e}");
            }
        });
        Ok(Session {
            id,
            _outbound: tx,
            tasks: vec![up, down, serve],
        })
    }
}

async fn handle(call: Call, config: &SessionConfig) {
    tracing::debug!("session call {}", call.path);
    match call.path.as_str() {
        "/grpc.health.v1.Health/Check" => {
            call.unary(|_: HealthCheckRequest| async { Ok(HealthCheckResponse { status: 1 }) })
                .await
        }
        "/moby.filesync.v1.FileSync/DiffCopy" => sync_local(call, config).await,
        "/moby.filesync.v1.FileSend/DiffCopy" => export(call, config).await,
        "/moby.filesync.v1.Auth/Credentials" => {
            call.unary(|req: CredentialsRequest| async move {
                let (username, secret) = config
                    .credentials
                    .as_ref()
                    .and_then(|c| c(&req.host))
                    .unwrap_or_default();
                Ok(CredentialsResponse { username, secret })
            })
            .await
        }
        "/moby.buildkit.secrets.v1.Secrets/GetSecret" => {
            call.unary(|req: GetSecretRequest| async move {
                match config.secrets.get(&req.id) {
                    Some(data) => Ok(GetSecretResponse { data: data.clone() }),
                    None => Err((h2grpc::NOT_FOUND, format!("secret {} not found", req.id))),
                }
            })
            .await
        }
        "/moby.sshforward.v1.SSH/CheckAgent" => {
            call.unary(|req: GetSecretRequest| async move {
                let id = if req.id.is_empty() {
                    "default"
                } else {
                    req.id.as_str()
                };
                match config.ssh.get(id) {
                    Some(_) => Ok(GetSecretResponse::default()),
                    None => Err((h2grpc::NOT_FOUND, format!("unset ssh forward key {id}"))),
                }
            })
            .await
        }
        "/moby.sshforward.v1.SSH/ForwardAgent" => super::ssh::forward(call, &config.ssh).await,
        _ => call
            .outbound
            .finish(h2grpc::UNIMPLEMENTED, "not served by berth"),
    }
}

/// Every value of a metadata key, URL-unescaped when buildkitd marks it
/// `<key>-encoded` (non-ASCII values, v0.12+).
fn metadata_list(call: &Call, key: &str) -> Vec<String> {
    let encoded = call
        .metadata_values(&format!("{key}-encoded"))
        .iter()
        .any(|v| v == "1");
    call.metadata_values(key)
        .into_iter()
        .map(|v| if encoded { unescape(&v) } else { v })
        .collect()
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn sync_local(call: Call, config: &SessionConfig) {
    let name = metadata_list(&call, "dir-name")
        .into_iter()
        .next()
        .unwrap_or_default();
    let Some(root) = config.locals.get(&name).cloned() else {
        return call.outbound.finish(
            h2grpc::NOT_FOUND,
            &format!("no access allowed to dir {name:?}"),
        );
    };
    let mut include = metadata_list(&call, "include-patterns");
    let exclude = metadata_list(&call, "exclude-patterns");
    for follow in metadata_list(&call, "followpaths") {
        include.extend(follow_targets(&root, &follow));
        include.push(follow);
    }
    let Call {
        inbound,
        mut outbound,
        ..
    } = call;
    let entries = tokio::task::spawn_blocking(move || -> std::result::Result<_, String> {
        let filter = Filter {
            include: Matcher::new(&include)?,
            exclude: Matcher::new(&exclude)?,
        };
        walk::walk(&root, &filter).map_err(|e| format!("{}: {e}", root.display()))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let entries = match entries {
        Ok(e) => e,
        Err(e) => return outbound.finish(h2grpc::INVALID_ARGUMENT, &e),
    };
    match send::send(entries, inbound, &mut outbound).await {
        Ok(()) => outbound.finish(h2grpc::OK, ""),
        Err(e) => outbound.finish(h2grpc::UNKNOWN, &e.0),
    }
}

/// A follow path that is a symlink also brings what it points to.
fn follow_targets(root: &std::path::Path, follow: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = follow.trim_start_matches('/').to_string();
    for _ in 0..16 {
        let Ok(target) = std::fs::read_link(root.join(&cur)) else {
            break;
        };
        let target = target.to_string_lossy().into_owned();
        let next = if target.starts_with('/') {
            target.trim_start_matches('/').to_string()
        } else {
            match cur.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{target}"),
                None => target,
            }
        };
        out.push(next.clone());
        cur = next;
    }
    out
}

async fn export(call: Call, config: &SessionConfig) {
    let Call {
        mut inbound,
        mut outbound,
        ..
    } = call;
    let result = match &config.export {
        None => Err(h2grpc::CallError(
            "this build has no exporter output".into(),
        )),
        Some(ExportSink::Dir(dest)) => receive::receive(dest, inbound, &mut outbound).await,
        Some(ExportSink::Stream(tx)) => {
            let (mut writer, reader) = tokio::io::duplex(4 << 20);
            if tx.send(reader).await.is_err() {
                return outbound.finish(h2grpc::UNKNOWN, "the export consumer went away");
            }
            loop {
                match inbound.recv::<BytesMessage>().await {
                    Ok(Some(m)) => {
                        if let Err(e) = writer.write_all(&m.data).await {
                            break Err(h2grpc::CallError(format!("writing the export: {e}")));
                        }
                    }
                    Ok(None) => {
                        break writer
                            .shutdown()
                            .await
                            .map_err(|e| h2grpc::CallError(e.to_string()));
                    }
                    Err(e) => break Err(e),
                }
            }
        }
    };
    match result {
        Ok(()) => outbound.finish(h2grpc::OK, ""),
        Err(e) => outbound.finish(h2grpc::UNKNOWN, &e.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_unescape() {
        let id = random_id();
        assert_eq!(id.len(), 25);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        );
        assert_eq!(unescape("caf%C3%A9+x"), "café x");
        assert_eq!(unescape("100%"), "100%");
    }

    #[test]
    fn follow_paths_resolve_symlinks() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("sub/real"), "x").unwrap();
        std::os::unix::fs::symlink("sub/real", d.path().join("Dockerfile")).unwrap();
        assert_eq!(follow_targets(d.path(), "Dockerfile"), ["sub/real"]);
        assert!(follow_targets(d.path(), "missing").is_empty());
    }
}

//! `--ssh` forwarding: buildkitd's `SSH/ForwardAgent` stream carries raw
//! ssh-agent protocol bytes, piped to the agent socket named for the id.

use std::collections::HashMap;
use std::path::PathBuf;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::h2grpc::{self, Call};
use super::proto::BytesMessage;

pub async fn forward(call: Call, agents: &HashMap<String, PathBuf>) {
    let id = call
        .metadata_values("buildkit.ssh.id")
        .into_iter()
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let Call {
        mut inbound,
        mut outbound,
        ..
    } = call;
    let Some(path) = agents.get(&id) else {
        return outbound.finish(h2grpc::NOT_FOUND, &format!("unset ssh forward key {id}"));
    };
    let conn = match tokio::net::UnixStream::connect(path).await {
        Ok(c) => c,
        Err(e) => {
            return outbound.finish(
                h2grpc::UNKNOWN,
                &format!("ssh agent {}: {e}", path.display()),
            );
        }
    };
    let (mut agent_read, mut agent_write) = conn.into_split();
    let to_agent = tokio::spawn(async move {
        while let Ok(Some(m)) = inbound.recv::<BytesMessage>().await {
            if agent_write.write_all(&m.data).await.is_err() {
                break;
            }
        }
        let _ = agent_write.shutdown().await;
    });
    let mut buf = vec![0u8; 32 << 10];
    loop {
        match agent_read.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let msg = BytesMessage {
                    data: buf[..n].to_vec(),
                };
                if outbound.send(&msg).await.is_err() {
                    break;
                }
            }
        }
    }
    to_agent.abort();
    outbound.finish(h2grpc::OK, "");
}

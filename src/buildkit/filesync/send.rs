//! Sending a directory over `FileSync/DiffCopy`: every STAT first (with an
//! empty STAT as the end marker), then the data of each file buildkitd asks
//! for, until it says FIN.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::AsyncReadExt;
use tokio::sync::mpsc;

use super::walk::Entry;
use crate::buildkit::h2grpc::{CallError, Inbound, Outbound};
use crate::buildkit::proto::{
    PACKET_DATA, PACKET_ERR, PACKET_FIN, PACKET_REQ, PACKET_STAT, Packet,
};

const CHUNK: usize = 256 << 10;

enum Incoming {
    Req(u32),
    Fin,
    Err(String),
}

/// Runs the sender side of a DiffCopy call.
pub async fn send(
    entries: Vec<Entry>,
    mut inbound: Inbound,
    out: &mut Outbound,
) -> Result<(), CallError> {
    let (tx, mut rx) = mpsc::channel(64);
    let reader = tokio::spawn(async move {
        loop {
            let item = match inbound.recv::<Packet>().await {
                Ok(Some(p)) => match p.r#type {
                    PACKET_REQ => Incoming::Req(p.id),
                    PACKET_FIN => Incoming::Fin,
                    PACKET_ERR => Incoming::Err(String::from_utf8_lossy(&p.data).into_owned()),
                    _ => continue,
                },
                Ok(None) => Incoming::Fin,
                Err(e) => Incoming::Err(e.0),
            };
            let end = !matches!(item, Incoming::Req(_));
            if tx.send(item).await.is_err() || end {
                return;
            }
        }
    });
    let sources: Arc<Vec<Option<PathBuf>>> =
        Arc::new(entries.iter().map(|e| e.source.clone()).collect());
    for e in entries {
        out.send(&Packet {
            r#type: PACKET_STAT,
            stat: Some(e.stat),
            ..Default::default()
        })
        .await?;
    }
    out.send(&Packet {
        r#type: PACKET_STAT,
        ..Default::default()
    })
    .await?;
    let result = loop {
        match rx.recv().await {
            Some(Incoming::Req(id)) => {
                let Some(Some(path)) = sources.get(id as usize) else {
                    break Err(CallError(format!("invalid file request {id}")));
                };
                send_file(id, path, out).await?;
            }
            Some(Incoming::Fin) | None => {
                out.send(&Packet {
                    r#type: PACKET_FIN,
                    ..Default::default()
                })
                .await?;
                break Ok(());
            }
            Some(Incoming::Err(e)) => break Err(CallError(format!("file sync failed: {e}"))),
        }
    };
    reader.abort();
    result
}

async fn send_file(id: u32, path: &PathBuf, out: &mut Outbound) -> Result<(), CallError> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| CallError(format!("{}: {e}", path.display())))?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = file
            .read(&mut buf)
            .await
            .map_err(|e| CallError(format!("{}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        out.send(&Packet {
            r#type: PACKET_DATA,
            id,
            data: buf[..n].to_vec(),
            ..Default::default()
        })
        .await?;
    }
    out.send(&Packet {
        r#type: PACKET_DATA,
        id,
        ..Default::default()
    })
    .await
}

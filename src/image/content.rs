//! containerd's content store: reading blobs, and writing them through the
//! streaming Write RPC with resume (by ref), size and digest verification
//! (containerd checks both at commit) and garbage-collection labels.

use std::collections::HashMap;

use containerd_client::services::v1::{
    Info, InfoRequest, ReadContentRequest, UpdateRequest, WriteAction, WriteContentRequest,
};
use futures::{Stream, StreamExt};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result, is_already_exists, is_not_found};

/// Writes go to containerd in chunks of this size (its message limit is 16 MiB).
const WRITE_CHUNK: usize = 1 << 20;
/// Writes sent before waiting for containerd's answers: keeps the stream
/// busy instead of paying a round trip per chunk.
const WRITES_IN_FLIGHT: usize = 4;

/// Reads a whole blob into memory; for manifests, indexes and configs.
pub async fn read_blob(client: &Client, digest: &str) -> Result<Vec<u8>> {
    let mut stream = client
        .content()
        .read(ReadContentRequest {
            digest: digest.to_string(),
            offset: 0,
            size: 0,
        })
        .await
        .map_err(|s| blob_error(s, digest))?
        .into_inner();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|s| blob_error(s, digest))?;
        out.extend_from_slice(&chunk.data);
    }
    Ok(out)
}

fn blob_error(status: tonic::Status, digest: &str) -> Error {
    if is_not_found(&status) {
        Error::not_found(format!(
            "content {digest} is missing from containerd's store"
        ))
        .hinted("pull the image again")
    } else {
        status.into()
    }
}

/// The blob's info, or None when containerd does not have it.
pub async fn info(client: &Client, digest: &str) -> Result<Option<Info>> {
    match client
        .content()
        .info(InfoRequest {
            digest: digest.to_string(),
        })
        .await
    {
        Ok(resp) => Ok(resp.into_inner().info),
        Err(s) if is_not_found(&s) => Ok(None),
        Err(s) => Err(s.into()),
    }
}

/// Makes sure a blob carries `labels` (only the given keys are touched).
pub async fn ensure_labels(
    client: &Client,
    existing: &Info,
    labels: &HashMap<String, String>,
) -> Result<()> {
    let missing: Vec<&String> = labels
        .iter()
        .filter(|(k, v)| existing.labels.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let paths = missing.iter().map(|k| format!("labels.{k}")).collect();
    let mut info = existing.clone();
    info.labels.extend(labels.clone());
    client
        .content()
        .update(UpdateRequest {
            info: Some(info),
            update_mask: Some(prost_types::FieldMask { paths }),
        })
        .await?;
    Ok(())
}

/// How a blob came to be in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// It was already there (possibly written by someone else meanwhile).
    Existed,
    /// We wrote it, starting at this offset (non-zero means resumed).
    Written { resumed_from: u64 },
}

/// An open ingest: the Write stream for one ref.
pub struct Ingest {
    tx: mpsc::Sender<WriteContentRequest>,
    rx: tonic::Streaming<containerd_client::services::v1::WriteContentResponse>,
    offset: u64,
    total: u64,
    digest: String,
    /// Requests whose responses have not been read yet.
    in_flight: usize,
}

impl Ingest {
    /// Opens (or re-opens, to resume) the ingest `reference` for a blob of
    /// known digest and size. Returns None when the blob already exists.
    pub async fn open(
        client: &Client,
        reference: &str,
        digest: &str,
        size: u64,
    ) -> Result<Option<Ingest>> {
        // A ref held by another writer answers Unavailable; wait it out briefly.
        let mut attempt = 0;
        loop {
            match Self::try_open(client, reference, digest, size).await {
                Err(e) if e.kind() == ErrorKind::Unavailable && attempt < 50 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    }

    async fn try_open(
        client: &Client,
        reference: &str,
        digest: &str,
        size: u64,
    ) -> Result<Option<Ingest>> {
        let (tx, req_rx) = mpsc::channel(4);
        tx.send(WriteContentRequest {
            action: WriteAction::Stat as i32,
            r#ref: reference.to_string(),
            total: size as i64,
            expected: digest.to_string(),
            ..Default::default()
        })
        .await
        .map_err(|_| Error::new(ErrorKind::Daemon, "content write stream closed"))?;
        let mut rx = match client.content().write(ReceiverStream::new(req_rx)).await {
            Ok(r) => r.into_inner(),
            Err(s) if is_already_exists(&s) => return Ok(None),
            Err(s) => return Err(s.into()),
        };
        let first = match rx.message().await {
            Ok(Some(m)) => m,
            Ok(None) => return Err(Error::new(ErrorKind::Daemon, "content write ended early")),
            Err(s) if is_already_exists(&s) => return Ok(None),
            Err(s) => return Err(s.into()),
        };
        Ok(Some(Ingest {
            tx,
            rx,
            offset: first.offset.max(0) as u64,
            total: size,
            digest: digest.to_string(),
            in_flight: 0,
        }))
    }

    /// Bytes already in the ingest: where a download should resume.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    async fn send(&mut self, req: WriteContentRequest) -> Result<()> {
        self.tx
            .send(req)
            .await
            .map_err(|_| Error::new(ErrorKind::Daemon, "content write stream closed"))?;
        self.in_flight += 1;
        Ok(())
    }

    /// Reads one response; errors from any earlier write surface here.
    async fn receive(&mut self) -> Result<i64> {
        self.in_flight = self.in_flight.saturating_sub(1);
        match self.rx.message().await {
            Ok(Some(m)) => Ok(m.offset),
            Ok(None) => Err(Error::new(ErrorKind::Daemon, "content write ended early")),
            Err(s) => Err(s.into()),
        }
    }

    /// Sets the digest to commit under, for an ingest opened without one
    /// (the content was hashed as it went in).
    pub fn expect(&mut self, digest: &str) {
        self.digest = digest.to_string();
    }

    /// Starts over from byte 0 (the source could not resume).
    pub fn restart(&mut self) {
        self.offset = 0;
    }

    /// Appends data at the current offset.
    pub async fn write(&mut self, data: Vec<u8>) -> Result<()> {
        let len = data.len() as u64;
        // Offset 0 on a non-empty ingest makes containerd truncate it, which
        // is what `restart` wants.
        self.send(WriteContentRequest {
            action: WriteAction::Write as i32,
            offset: self.offset as i64,
            data,
            ..Default::default()
        })
        .await?;
        self.offset += len;
        if self.in_flight >= WRITES_IN_FLIGHT {
            self.receive().await?;
        }
        Ok(())
    }

    /// Commits; containerd verifies size and digest here.
    pub async fn commit(mut self, labels: HashMap<String, String>) -> Result<()> {
        let result = async {
            while self.in_flight > 0 {
                self.receive().await?;
            }
            self.send(WriteContentRequest {
                action: WriteAction::Commit as i32,
                total: self.total as i64,
                expected: self.digest.clone(),
                offset: self.offset as i64,
                labels,
                ..Default::default()
            })
            .await?;
            self.receive().await
        }
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == ErrorKind::Conflict && e.message().contains("already exists") => {
                Ok(())
            }
            Err(e) => Err(e.context(format!("committing {}", self.digest))),
        }
    }
}

/// Writes an in-memory blob (manifest, index, config).
pub async fn write_bytes(
    client: &Client,
    reference: &str,
    digest: &str,
    data: &[u8],
    labels: HashMap<String, String>,
) -> Result<WriteOutcome> {
    let Some(mut ingest) = Ingest::open(client, reference, digest, data.len() as u64).await? else {
        if let Some(existing) = info(client, digest).await? {
            ensure_labels(client, &existing, &labels).await?;
        }
        return Ok(WriteOutcome::Existed);
    };
    ingest.restart();
    for chunk in data.chunks(WRITE_CHUNK) {
        ingest.write(chunk.to_vec()).await?;
    }
    ingest.commit(labels).await?;
    Ok(WriteOutcome::Written { resumed_from: 0 })
}

/// Copies a byte stream into an ingest in chunks, reporting progress.
pub async fn copy_stream<S, E>(
    ingest: &mut Ingest,
    mut source: S,
    mut progress: impl FnMut(u64),
) -> Result<()>
where
    S: Stream<Item = std::result::Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut buf: Vec<u8> = Vec::with_capacity(WRITE_CHUNK);
    while let Some(chunk) = source.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                // Keep what arrived, so a retry goes on from there.
                if !buf.is_empty() {
                    ingest.write(buf).await?;
                }
                return Err(
                    Error::new(ErrorKind::Registry, format!("download failed: {e}")).transient(),
                );
            }
        };
        buf.extend_from_slice(&chunk);
        if buf.len() >= WRITE_CHUNK {
            let data = std::mem::replace(&mut buf, Vec::with_capacity(WRITE_CHUNK));
            ingest.write(data).await?;
            progress(ingest.offset());
        }
    }
    if !buf.is_empty() {
        ingest.write(buf).await?;
        progress(ingest.offset());
    }
    Ok(())
}

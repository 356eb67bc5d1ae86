//! A blob of containerd's content store as a stream of bytes. When berth
//! runs beside containerd (root on the same machine) it reads the blob's
//! file itself, from the content store's directory that containerd names
//! in its plugin exports: containerd then spends nothing serving it over
//! gRPC. Inside a container without that directory, or when anything
//! about the file is off, the bytes come through containerd's Read call.

use std::path::PathBuf;

use bytes::Bytes;
use containerd_client::services::v1::ReadContentRequest;
use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::io::AsyncReadExt;
use tokio::sync::OnceCell;

use crate::client::Client;
use crate::error::{Error, Result};

/// A blob's bytes as they are read.
pub type Bytestream = BoxStream<'static, std::io::Result<Bytes>>;

const CHUNK: usize = 1 << 20;

/// The content store's directory, asked once per process.
async fn local_root(client: &Client) -> Option<&'static PathBuf> {
    static ROOT: OnceCell<Option<PathBuf>> = OnceCell::const_new();
    ROOT.get_or_init(|| async {
        let plugins = client
            .introspection()
            .plugins(containerd_client::services::v1::PluginsRequest {
                filters: vec!["type==io.containerd.content.v1".to_string()],
            })
            .await
            .ok()?
            .into_inner()
            .plugins;
        let root = plugins.iter().find_map(|p| p.exports.get("root"))?;
        let root = PathBuf::from(root);
        root.join("blobs").is_dir().then_some(root)
    })
    .await
    .as_ref()
}

/// The blob's file, if it can be read directly and has the expected size.
async fn local_file(client: &Client, digest: &str, size: u64) -> Option<tokio::fs::File> {
    let (alg, hex) = digest.split_once(':')?;
    let valid = alg == "sha256"
        && hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if !valid {
        return None;
    }
    let path = local_root(client).await?.join("blobs").join(alg).join(hex);
    let file = tokio::fs::File::open(&path).await.ok()?;
    let meta = file.metadata().await.ok()?;
    (meta.is_file() && meta.len() == size).then_some(file)
}

/// The whole blob, `size` bytes long, from its file or through containerd.
/// NotFound unless this namespace has it (containerd's directory holds
/// every namespace's blobs).
pub async fn stream(client: &Client, digest: &str, size: u64) -> Result<Bytestream> {
    if super::content::info(client, digest).await?.is_none() {
        return Err(Error::not_found(format!(
            "content {digest} is missing from containerd's store"
        )));
    }
    if let Some(file) = local_file(client, digest, size).await {
        return Ok(file_stream(file));
    }
    let grpc = client
        .content()
        .read(ReadContentRequest {
            digest: digest.to_string(),
            offset: 0,
            size: 0,
        })
        .await?
        .into_inner()
        .map(|r| {
            r.map(|c| Bytes::from(c.data))
                .map_err(std::io::Error::other)
        });
    Ok(grpc.boxed())
}

fn file_stream(file: tokio::fs::File) -> Bytestream {
    futures::stream::try_unfold(file, |mut file| async move {
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0;
        while filled < CHUNK {
            let n = file.read(&mut buf[filled..]).await?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        if filled == 0 {
            return Ok(None);
        }
        buf.truncate(filled);
        Ok(Some((Bytes::from(buf), file)))
    })
    .boxed()
}

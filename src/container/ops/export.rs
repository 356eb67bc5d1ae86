//! `export`: a container's filesystem as a tar. containerd's differ
//! compares the container's snapshot against nothing, which yields the
//! whole tree as an uncompressed layer in the content store (under a
//! lease, so it goes away afterwards); berth streams that blob out.

use containerd_client::services::v1::DiffRequest;
use futures::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::Client;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, ErrorKind, Result};
use crate::lease::Lease;
use crate::snapshots;

const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";

pub async fn export<W: AsyncWrite + Unpin>(
    client: &Client,
    rec: &ContainerRecord,
    mut out: W,
) -> Result<W> {
    if rec.snapshot_key.is_empty() {
        return Err(Error::invalid(format!(
            "container {} has no filesystem to export",
            rec.id
        )));
    }
    let mounts = snapshots::mounts(client, &rec.snapshotter, &rec.snapshot_key).await?;
    let lease = Lease::create(client, "export").await?;
    let result = async {
        let diff = lease
            .client()
            .diff()
            .diff(DiffRequest {
                left: Vec::new(),
                right: mounts,
                media_type: LAYER_TAR.to_string(),
                r#ref: format!("berth-export-{}-{}", rec.id, crate::util::random_token()),
                ..Default::default()
            })
            .await?
            .into_inner()
            .diff
            .ok_or_else(|| {
                Error::new(ErrorKind::Daemon, "containerd's differ returned no layer")
            })?;
        let size = diff.size.max(0) as u64;
        let mut stream = crate::image::blob::stream(lease.client(), &diff.digest, size).await?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk
                .map_err(|e| Error::new(ErrorKind::Daemon, format!("reading the export: {e}")))?;
            out.write_all(&chunk)
                .await
                .map_err(|e| Error::new(ErrorKind::Io, format!("writing the export: {e}")))?;
        }
        out.flush()
            .await
            .map_err(|e| Error::new(ErrorKind::Io, format!("writing the export: {e}")))?;
        Ok(())
    }
    .await;
    let released = lease.release().await;
    result.and(released)?;
    Ok(out)
}

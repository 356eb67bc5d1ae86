//! `export`: a container's filesystem as a tar. containerd's differ
//! compares the container's snapshot against nothing, which yields the
//! whole tree as an uncompressed layer in the content store (under a
//! lease, so it goes away afterwards); berth streams that blob out.

use futures::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::Client;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, ErrorKind, Result};
use crate::lease::Lease;

use super::changes::LAYER_TAR;

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
    let lease = Lease::create(client, "export").await?;
    let result = async {
        let diff = super::changes::diff_against(&lease, rec, Vec::new(), LAYER_TAR).await?;
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

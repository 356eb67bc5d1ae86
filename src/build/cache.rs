//! BuildKit's build cache: what it holds and pruning it (`system df`,
//! `builder prune`, `system prune`), on the first daemon that answers.

use super::connect;
use crate::buildkit::Address;
use crate::buildkit::proto::{PruneRequest, UsageRecord};
use crate::error::{ErrorKind, Result};

/// The cache records; none when no BuildKit daemon answers (there is no
/// cache berth could reach).
pub async fn usage(addresses: &[Address]) -> Result<Vec<UsageRecord>> {
    match connect(addresses).await {
        Ok((control, _)) => control.disk_usage().await,
        Err(e) if e.kind() == ErrorKind::Unavailable => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Removes unused cache (`all`: not only dangling); the records removed.
pub async fn prune(
    addresses: &[Address],
    all: bool,
    keep_duration: Option<std::time::Duration>,
    keep_bytes: Option<i64>,
) -> Result<Vec<UsageRecord>> {
    let (control, _) = connect(addresses).await?;
    let req = PruneRequest {
        all,
        keep_duration: keep_duration.map_or(0, |d| d.as_nanos() as i64),
        keep_bytes: keep_bytes.unwrap_or(0),
        ..Default::default()
    };
    control.prune(req).await
}

/// What `system df` counts as reclaimable: records not in use and not
/// shared with images.
pub fn reclaimable(records: &[UsageRecord]) -> i64 {
    records
        .iter()
        .filter(|r| !r.in_use && !r.shared)
        .map(|r| r.size)
        .sum()
}

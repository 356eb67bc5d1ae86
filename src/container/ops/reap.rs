//! A stopped task's end: deleting it (so no shim stays behind) and keeping
//! how it ended on the container's record, for `ps`, `inspect` and `wait`.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::client::Client;
use crate::container::runtime::task;
use crate::container::store::{self, labels};
use crate::error::Result;
use crate::util;

/// Records an exit (code, time) on the container; it ran, so a former
/// start error goes.
pub async fn record(client: &Client, id: &str, code: u32, at: Option<SystemTime>) -> Result<()> {
    let finished = util::rfc3339_nanos(at.unwrap_or_else(SystemTime::now));
    store::update_labels(
        client,
        id,
        HashMap::from([
            (labels::EXIT_CODE.to_string(), code.to_string()),
            (labels::FINISHED_AT.to_string(), finished),
        ]),
        &[labels::START_ERROR],
    )
    .await
}

/// Deletes the container's stopped task and records how it ended; the
/// exit code, or None when there was no task.
pub async fn reap(client: &Client, id: &str) -> Result<Option<u32>> {
    match task::delete(client, id).await? {
        Some((code, at)) => {
            record(client, id, code, at).await?;
            Ok(Some(code))
        }
        None => Ok(None),
    }
}

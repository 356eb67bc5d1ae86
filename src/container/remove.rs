//! `rm`: removes a container with its task, snapshot and name.

use std::time::Duration;

use containerd_client::services::v1::Container;
use containerd_client::types::v1::Status;

use super::create::delete_record;
use super::task;
use crate::client::Client;
use crate::error::{Error, Result};

pub async fn remove(client: &Client, c: &Container, force: bool) -> Result<()> {
    match task::status(client, &c.id).await? {
        None => {}
        Some(Status::Stopped) => {
            task::delete(client, &c.id).await?;
        }
        Some(status) => {
            let live = matches!(status, Status::Running | Status::Paused | Status::Pausing);
            if live && !force {
                return Err(Error::conflict(format!(
                    "You cannot remove a running container {}. Stop the container before attempting removal or force remove",
                    c.id
                )));
            }
            kill_and_delete(client, &c.id).await?;
        }
    }
    delete_record(client, c).await
}

/// SIGKILLs every process of the task, waits for the exit, deletes it.
async fn kill_and_delete(client: &Client, id: &str) -> Result<()> {
    let waiter = {
        let (c, id) = (client.clone(), id.to_string());
        tokio::spawn(async move { task::wait(&c, &id).await })
    };
    match task::kill(client, id, libc::SIGKILL, true).await {
        Ok(()) => {}
        Err(e) if e.kind() == crate::error::ErrorKind::NotFound => {}
        Err(e) => tracing::debug!("kill {id}: {e}"),
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), waiter).await;
    task::delete(client, id).await?;
    Ok(())
}

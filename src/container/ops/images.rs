//! What images have to do with containers: `rmi` decides by the image id
//! the containers were made from (docker's rule), which only the
//! container records know.

use crate::client::Client;
use crate::container::store::list;
use crate::error::Result;
use crate::image::Platform;
use crate::image::remove::{self, ImageUser, Removed};

/// Every container of the namespace with the image it was made from.
pub async fn image_users(client: &Client) -> Result<Vec<ImageUser>> {
    Ok(list::list(client)
        .await?
        .into_iter()
        .map(|row| ImageUser {
            image_id: row
                .record
                .stored
                .as_ref()
                .map(|s| s.image.clone())
                .filter(|i| !i.is_empty()),
            image_name: row.record.image_name.clone(),
            running: row.state.is_running(),
            container: row.record.id,
        })
        .collect())
}

/// `rmi`: untags `input` (and deletes the image with its last name), as
/// docker allows it while containers use the image.
pub async fn remove_image(
    client: &Client,
    input: &str,
    force: bool,
    platform: &Platform,
) -> Result<Vec<Removed>> {
    let users = image_users(client).await?;
    remove::remove(client, input, force, platform, &users).await
}

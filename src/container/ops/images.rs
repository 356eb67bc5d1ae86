//! What images have to do with containers: `rmi` decides by the image id
//! the containers were made from (docker's rule), which only the
//! container records know.

use crate::client::Client;
use crate::container::store::list;
use crate::error::Result;
use crate::image::Platform;
use crate::image::remove::{self, ImageUser, Removed};

/// Every container of the namespace with the image it was made from.
async fn image_users(client: &Client) -> Result<Vec<ImageUser>> {
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

/// `rmi`: untags each of `inputs` (and deletes the image with its last
/// name), as docker allows it while containers use the image; one result
/// per input. The containers are listed once, and only when an image is to go.
pub async fn remove_images(
    client: &Client,
    inputs: &[String],
    force: bool,
    platform: &Platform,
) -> Vec<Result<Vec<Removed>>> {
    let mut users: Option<Vec<ImageUser>> = None;
    let mut out = Vec::new();
    for input in inputs {
        let one = async {
            let plan = remove::plan(client, input, force, platform).await?;
            if plan.deletes_image() && users.is_none() {
                users = Some(image_users(client).await?);
            }
            remove::remove(client, &plan, force, users.as_deref().unwrap_or_default()).await
        };
        out.push(one.await);
    }
    out
}

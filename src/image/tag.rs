//! `tag`: another name for an image, pointing at the same index or
//! manifest (so every platform of a multi-platform image comes along).

use super::reference::ImageRef;
use super::{platform, store};
use crate::client::Client;
use crate::error::{Error, Result};

/// Names `source` (a name or id) as `target`; returns the full new name.
pub async fn tag(client: &Client, source: &str, target: &str) -> Result<String> {
    let target = ImageRef::parse(target)?;
    if target.digest().is_some() {
        return Err(Error::invalid(format!(
            "refusing to create a tag with a digest reference: {target}"
        )));
    }
    let image = store::find(client, source, &platform::host())
        .await?
        .ok_or_else(|| Error::not_found(format!("No such image: {source}")))?;
    let name = target.name();
    store::put_record(client, &name, &image.target).await?;
    crate::events::publish(
        client,
        "image",
        "tag",
        image.id(),
        &[("name", &target.familiar())],
    )
    .await;
    Ok(name)
}

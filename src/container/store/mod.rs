//! berth's state kept in containerd: container records (with docker's
//! configuration as an extension), the label keys berth writes, names held
//! as leases, lookup by name or id, and the listing `ps` reads.

pub mod kube;
pub mod labels;
pub mod list;
pub mod names;
pub mod record;
pub mod resolve;

use std::collections::HashMap;

use containerd_client::services::v1::{Container, GetContainerRequest, UpdateContainerRequest};

use crate::client::Client;
use crate::container::model::{Stored, stored};
use crate::error::{Error, ErrorKind, Result};

/// The container's runtime spec as containerd keeps it (JSON).
pub async fn spec<T: serde::de::DeserializeOwned>(client: &Client, id: &str) -> Result<T> {
    let c = client
        .containers()
        .get(GetContainerRequest { id: id.to_string() })
        .await?
        .into_inner()
        .container
        .ok_or_else(|| Error::not_found(format!("No such container: {id}")))?;
    let bytes = c.spec.map(|s| s.value).unwrap_or_default();
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(
            ErrorKind::Daemon,
            format!("the spec of container {id} cannot be read: {e}"),
        )
    })
}

/// Merges labels into a container record.
pub async fn set_labels(client: &Client, id: &str, set: HashMap<String, String>) -> Result<()> {
    update_labels(client, id, set, &[]).await
}

/// Sets the labels of `set` and removes those of `remove`, in one update.
pub async fn update_labels(
    client: &Client,
    id: &str,
    set: HashMap<String, String>,
    remove: &[&str],
) -> Result<()> {
    let paths = set
        .keys()
        .map(String::as_str)
        .chain(remove.iter().copied())
        .map(|k| format!("labels.{k}"))
        .collect();
    client
        .containers()
        .update(UpdateContainerRequest {
            container: Some(Container {
                id: id.to_string(),
                labels: set,
                ..Default::default()
            }),
            update_mask: Some(prost_types::FieldMask { paths }),
        })
        .await?;
    Ok(())
}

/// Replaces what berth keeps with the container (and, when given, its
/// runtime spec), in one update.
pub async fn save(
    client: &Client,
    id: &str,
    stored: &Stored,
    spec: Option<prost_types::Any>,
) -> Result<()> {
    let mut paths = vec![format!("extensions.{}", stored::EXTENSION)];
    if spec.is_some() {
        paths.push("spec".to_string());
    }
    client
        .containers()
        .update(UpdateContainerRequest {
            container: Some(Container {
                id: id.to_string(),
                spec,
                extensions: HashMap::from([(stored::EXTENSION.to_string(), stored.to_any())]),
                ..Default::default()
            }),
            update_mask: Some(prost_types::FieldMask { paths }),
        })
        .await?;
    Ok(())
}

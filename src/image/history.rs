//! `history`: how an image's layers were made, newest first, from its
//! config's history; each entry that made a layer gets that layer's size
//! (unpacked, from its snapshot; the compressed size when not unpacked).

use std::time::SystemTime;

use super::manifest::Platform;
use super::store;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::{snapshots, util};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// The image id on the newest row; docker shows `<missing>` elsewhere.
    pub id: Option<String>,
    pub created: Option<SystemTime>,
    pub created_by: String,
    pub size: i64,
    pub comment: String,
}

pub async fn history(client: &Client, input: &str, platform: &Platform) -> Result<Vec<HistoryRow>> {
    let image = store::find(client, input, platform)
        .await?
        .ok_or_else(|| Error::not_found(format!("No such image: {input}")))?;
    let chain = image.chain_ids();
    let mut layer_sizes = Vec::new();
    for (i, layer) in image.manifest.layers.iter().enumerate() {
        let unpacked = match chain.get(i) {
            Some(c) => snapshots::usage(client, "", c).await.ok(),
            None => None,
        };
        layer_sizes.push(unpacked.unwrap_or(layer.size));
    }
    let mut rows = Vec::new();
    let mut next_layer = 0;
    if image.config.history.is_empty() {
        // No history: a row per layer, as docker shows such images.
        for size in &layer_sizes {
            rows.push(HistoryRow {
                id: None,
                created: None,
                created_by: String::new(),
                size: *size,
                comment: String::new(),
            });
        }
    }
    for h in &image.config.history {
        let size = if h.empty_layer {
            0
        } else {
            next_layer += 1;
            layer_sizes.get(next_layer - 1).copied().unwrap_or(0)
        };
        rows.push(HistoryRow {
            id: None,
            created: h.created.as_deref().and_then(util::parse_rfc3339),
            created_by: h.created_by.clone().unwrap_or_default(),
            size,
            comment: h.comment.clone().unwrap_or_default(),
        });
    }
    rows.reverse();
    if let Some(top) = rows.first_mut() {
        top.id = Some(image.id().to_string());
    }
    Ok(rows)
}

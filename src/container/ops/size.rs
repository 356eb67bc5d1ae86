//! docker's container sizes (`ps -s`, `inspect -s`): `SizeRw`, the bytes
//! of the files the container wrote, and `SizeRootFs`, those plus its
//! image's.

use std::collections::HashMap;

use crate::client::Client;
use crate::container::store::record::ContainerRecord;
use crate::image::{platform, store};

/// (`SizeRw`, `SizeRootFs`) by container id.
pub async fn sizes(client: &Client, recs: &[&ContainerRecord]) -> HashMap<String, (u64, u64)> {
    let mut images: HashMap<String, u64> = HashMap::new();
    let mut out = HashMap::new();
    for rec in recs {
        let rw = if rec.snapshot_key.is_empty() {
            0
        } else {
            super::prune::written(client, rec).await
        };
        let image = match images.get(&rec.image_name) {
            Some(size) => *size,
            None => {
                let size = match store::find(client, &rec.image_name, &platform::host()).await {
                    Ok(Some(img)) => store::image_size(client, &img).await.max(0) as u64,
                    _ => 0,
                };
                images.insert(rec.image_name.clone(), size);
                size
            }
        };
        out.insert(rec.id.clone(), (rw, rw + image));
    }
    out
}

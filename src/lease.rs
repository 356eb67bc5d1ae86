//! containerd leases: everything created while a lease is held (content,
//! ingests, snapshots) is safe from the garbage collector until the lease
//! goes, so an interrupted pull never leaves half-referenced data exposed.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use containerd_client::services::v1::{CreateRequest, DeleteRequest};

use crate::client::Client;
use crate::error::Result;
use crate::util;

/// How long a lease outlives a berth process that dies without deleting it.
const EXPIRY: Duration = Duration::from_secs(24 * 3600);

pub struct Lease {
    id: String,
    leased: Client,
}

impl Lease {
    pub async fn create(client: &Client, purpose: &str) -> Result<Lease> {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let id = format!("berth-{purpose}-{nanos}-{}", util::random_token());
        let expire = chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + EXPIRY)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let labels = HashMap::from([("containerd.io/gc.expire".to_string(), expire)]);
        client
            .leases()
            .create(CreateRequest {
                id: id.clone(),
                labels,
            })
            .await?;
        let leased = client.with_lease(&id)?;
        Ok(Lease { id, leased })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// A client whose calls all happen under this lease.
    pub fn client(&self) -> &Client {
        &self.leased
    }

    /// Ends the lease; what it protected must be referenced by then.
    pub async fn release(self) -> Result<()> {
        let mut leases = self.leased.leases();
        leases
            .delete(DeleteRequest {
                id: self.id,
                sync: false,
            })
            .await?;
        Ok(())
    }
}

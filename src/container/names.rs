//! Container names, unique per namespace across every berth process that
//! shares the socket: a name is held by a containerd lease whose id is
//! derived from the name, and lease creation is atomic in containerd.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use containerd_client::services::v1::{
    CreateRequest, DeleteRequest, GetContainerRequest, ListRequest,
};
use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::error::{Error, Result, is_already_exists, is_not_found};
use crate::util;

const LEASE_NAME_LABEL: &str = "berth/name";
const LEASE_CONTAINER_LABEL: &str = "berth/container";

/// docker's rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, an optional leading '/'.
pub fn validate(name: &str) -> Result<&str> {
    let n = name.strip_prefix('/').unwrap_or(name);
    let mut chars = n.chars();
    let ok = n.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        Ok(n)
    } else {
        Err(Error::invalid(format!(
            "Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        )))
    }
}

/// The lease that holds `name` (and protects what is created for it).
pub fn lease_id(name: &str) -> String {
    format!(
        "berth-name-{}",
        &hex::encode(Sha256::digest(name.as_bytes()))[..40]
    )
}

/// Claims `name` for container `id`. Fails with docker's conflict message
/// when a live container holds it; a name left behind by a container that
/// no longer exists is taken over.
pub async fn reserve(client: &Client, name: &str, id: &str) -> Result<()> {
    for _ in 0..3 {
        let labels = HashMap::from([
            (LEASE_NAME_LABEL.to_string(), name.to_string()),
            (LEASE_CONTAINER_LABEL.to_string(), id.to_string()),
        ]);
        match client
            .leases()
            .create(CreateRequest {
                id: lease_id(name),
                labels,
            })
            .await
        {
            Ok(_) => return Ok(()),
            Err(s) if is_already_exists(&s) => {}
            Err(s) => return Err(s.into()),
        }
        match holder(client, name).await? {
            // A holder whose container is missing may still be creating it;
            // only an old claim is considered abandoned.
            Some((other, age))
                if age < ABANDONED_AFTER || container_exists(client, &other).await? =>
            {
                return Err(Error::conflict(format!(
                    "Conflict. The container name \"/{name}\" is already in use by container \"{other}\". \
                     You have to remove (or rename) that container to be able to reuse that name."
                )));
            }
            _ => release(client, name).await?,
        }
    }
    Err(Error::conflict(format!(
        "could not reserve the container name {name:?}"
    )))
}

/// How old a claim on a name must be, with no container behind it, before
/// another process may take the name over (creating takes well under this).
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// The container holding `name` and how long ago it claimed it.
pub async fn holder(client: &Client, name: &str) -> Result<Option<(String, Duration)>> {
    let leases = client
        .leases()
        .list(ListRequest {
            filters: vec![format!("id=={}", lease_id(name))],
        })
        .await?
        .into_inner()
        .leases;
    Ok(leases.into_iter().next().map(|l| {
        let age = l
            .created_at
            .as_ref()
            .map(util::timestamp_to_system)
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        (
            l.labels
                .get(LEASE_CONTAINER_LABEL)
                .cloned()
                .unwrap_or_default(),
            age,
        )
    }))
}

/// Frees `name`; freeing a free name is fine.
pub async fn release(client: &Client, name: &str) -> Result<()> {
    match client
        .leases()
        .delete(DeleteRequest {
            id: lease_id(name),
            sync: false,
        })
        .await
    {
        Ok(_) => Ok(()),
        Err(s) if is_not_found(&s) => Ok(()),
        Err(s) => Err(s.into()),
    }
}

async fn container_exists(client: &Client, id: &str) -> Result<bool> {
    match client
        .containers()
        .get(GetContainerRequest { id: id.to_string() })
        .await
    {
        Ok(_) => Ok(true),
        Err(s) if is_not_found(&s) => Ok(false),
        Err(s) => Err(s.into()),
    }
}

const ADJECTIVES: &[&str] = &[
    "agile", "bold", "brave", "bright", "calm", "clever", "cool", "crisp", "daring", "eager",
    "fair", "fast", "fond", "gentle", "glad", "happy", "hardy", "jolly", "keen", "kind", "lively",
    "lucid", "merry", "modest", "neat", "nimble", "patient", "plucky", "proud", "quiet", "quick",
    "sharp", "steady", "stoic", "sunny", "swift", "tidy", "vivid", "warm", "witty",
];

const SURNAMES: &[&str] = &[
    "agnesi",
    "babbage",
    "bohr",
    "boole",
    "cantor",
    "curie",
    "darwin",
    "dijkstra",
    "euler",
    "faraday",
    "fermi",
    "feynman",
    "gauss",
    "goodall",
    "hamilton",
    "hopper",
    "hypatia",
    "kepler",
    "knuth",
    "lamarr",
    "lovelace",
    "maxwell",
    "meitner",
    "mendel",
    "napier",
    "newton",
    "noether",
    "pascal",
    "planck",
    "ritchie",
    "shannon",
    "somerville",
    "tesla",
    "thompson",
    "turing",
    "volta",
    "wiles",
    "wozniak",
    "yalow",
    "zuse",
];

/// A docker-style `adjective_surname` name; `attempt` > 0 adds a suffix.
pub fn generate(attempt: u32) -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    let a = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
    let s = SURNAMES[rng.random_range(0..SURNAMES.len())];
    if attempt == 0 {
        format!("{a}_{s}")
    } else {
        format!("{a}_{s}{}", rng.random_range(0..10))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_name_rule() {
        assert_eq!(validate("web").unwrap(), "web");
        assert_eq!(validate("/web-1.a_b").unwrap(), "web-1.a_b");
        assert!(validate("a").is_err());
        assert!(validate("-web").is_err());
        assert!(validate("we b").is_err());
        assert!(validate("wéb").is_err());
        let e = validate("_x").unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid container name (_x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        );
    }

    #[test]
    fn lease_ids_are_valid_identifiers() {
        for n in ["web", "a--b", "x.y_z", &"n".repeat(200)] {
            crate::util::validate_identifier(&lease_id(n)).unwrap();
        }
        assert_ne!(lease_id("a"), lease_id("b"));
    }

    #[test]
    fn generated_names_are_valid() {
        for i in 0..50 {
            validate(&generate(i % 2)).unwrap();
        }
    }
}

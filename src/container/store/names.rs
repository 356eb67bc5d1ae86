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
/// Which process claimed the name: `<boot id>/<pid namespace>/<pid>/<start
/// time>`, so a claim whose creator died (berth killed while creating)
/// can be told from one still being made.
const LEASE_CREATOR_LABEL: &str = "berth/creator";

/// This process, as the creator label names it.
fn creator() -> &'static str {
    static ME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ME.get_or_init(|| {
        let pid = std::process::id();
        format!(
            "{}/{}/{pid}/{}",
            boot_id().unwrap_or_default(),
            pid_namespace().unwrap_or_default(),
            start_time(pid).unwrap_or_default()
        )
    })
}

fn boot_id() -> Option<String> {
    Some(
        std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .ok()?
            .trim()
            .to_string(),
    )
}

fn pid_namespace() -> Option<String> {
    std::fs::read_link("/proc/self/ns/pid")
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// Field 22 of /proc/<pid>/stat: when the process started (clock ticks).
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    after.split_whitespace().nth(19).map(String::from)
}

/// Whether the process a creator label names is certainly gone: the host
/// rebooted since, or it was in our pid namespace and is not there now.
/// (The socket is local, so every claimant runs on this kernel.)
fn creator_is_dead(label: &str) -> bool {
    let parts: Vec<&str> = label.split('/').collect();
    let [boot, pidns, pid, started] = parts.as_slice() else {
        return false;
    };
    let (Some(my_boot), Some(my_ns)) = (boot_id(), pid_namespace()) else {
        return false;
    };
    if *boot != my_boot {
        return true;
    }
    if *pidns != my_ns {
        return false;
    }
    pid.parse::<u32>()
        .map(|p| start_time(p).as_deref() != Some(*started))
        .unwrap_or(false)
}

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
/// no longer exists is taken over. Returns the id such an abandoned claim
/// was for (its files are the caller's to remove).
pub async fn reserve(client: &Client, name: &str, id: &str) -> Result<Option<String>> {
    let mut abandoned = None;
    for _ in 0..3 {
        let labels = HashMap::from([
            (LEASE_NAME_LABEL.to_string(), name.to_string()),
            (LEASE_CONTAINER_LABEL.to_string(), id.to_string()),
            (LEASE_CREATOR_LABEL.to_string(), creator().to_string()),
        ]);
        match client
            .leases()
            .create(CreateRequest {
                id: lease_id(name),
                labels,
            })
            .await
        {
            Ok(_) => return Ok(abandoned),
            Err(s) if is_already_exists(&s) => {}
            Err(s) => return Err(s.into()),
        }
        match holder(client, name).await? {
            Some(h) if !is_abandoned(client, &h).await? => {
                return Err(Error::conflict(format!(
                    "Conflict. The container name \"/{name}\" is already in use by container \"{}\". \
                     You have to remove (or rename) that container to be able to reuse that name.",
                    h.container
                )));
            }
            Some(h) => {
                release_now(client, &lease_id(name)).await?;
                abandoned = Some(h.container);
            }
            None => {}
        }
    }
    Err(Error::conflict(format!(
        "could not reserve the container name {name:?}"
    )))
}

/// How old a claim on a name must be, with no container behind it, before
/// another process may take the name over (creating takes well under this).
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// A claim on a name: its lease, its container, its age and creator.
pub struct Claim {
    pub lease: String,
    pub container: String,
    pub age: Duration,
    creator: String,
}

impl From<containerd_client::services::v1::Lease> for Claim {
    fn from(l: containerd_client::services::v1::Lease) -> Claim {
        let age = l
            .created_at
            .as_ref()
            .map(util::timestamp_to_system)
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        let label = |k: &str| l.labels.get(k).cloned().unwrap_or_default();
        Claim {
            container: label(LEASE_CONTAINER_LABEL),
            creator: label(LEASE_CREATOR_LABEL),
            lease: l.id,
            age,
        }
    }
}

/// The claim on `name`, if any.
pub async fn holder(client: &Client, name: &str) -> Result<Option<Claim>> {
    let leases = client
        .leases()
        .list(ListRequest {
            filters: vec![format!("id=={}", lease_id(name))],
        })
        .await?
        .into_inner()
        .leases;
    Ok(leases.into_iter().next().map(Claim::from))
}

/// The namespace's name leases.
async fn name_leases(client: &Client) -> Result<Vec<containerd_client::services::v1::Lease>> {
    Ok(client
        .leases()
        .list(ListRequest {
            filters: vec![format!("labels.\"{LEASE_NAME_LABEL}\"")],
        })
        .await?
        .into_inner()
        .leases)
}

/// Every name of the namespace with the container holding it (one call:
/// the name leases, not the containers' large records).
pub async fn claimed(client: &Client) -> Result<Vec<(String, String)>> {
    Ok(name_leases(client)
        .await?
        .into_iter()
        .filter_map(|l| {
            let name = l.labels.get(LEASE_NAME_LABEL)?.clone();
            Some((name, l.labels.get(LEASE_CONTAINER_LABEL)?.clone()))
        })
        .collect())
}

/// A claim with no container whose creator died, or that is too old to
/// still be in the making.
async fn is_abandoned(client: &Client, c: &Claim) -> Result<bool> {
    Ok(!container_exists(client, &c.container).await?
        && (c.age >= ABANDONED_AFTER || creator_is_dead(&c.creator)))
}

/// Releases every abandoned claim of the namespace (and with its lease the
/// snapshot it protected); the container ids they were for.
pub async fn sweep_abandoned(client: &Client) -> Result<Vec<String>> {
    let leases = name_leases(client).await?;
    let mut swept = Vec::new();
    for claim in leases.into_iter().map(Claim::from) {
        if is_abandoned(client, &claim).await? {
            release_now(client, &claim.lease).await?;
            swept.push(claim.container);
        }
    }
    Ok(swept)
}

/// Deletes a lease and collects what it held before returning.
async fn release_now(client: &Client, lease: &str) -> Result<()> {
    match client
        .leases()
        .delete(DeleteRequest {
            id: lease.to_string(),
            sync: true,
        })
        .await
    {
        Ok(_) => Ok(()),
        Err(s) if is_not_found(&s) => Ok(()),
        Err(s) => Err(s.into()),
    }
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

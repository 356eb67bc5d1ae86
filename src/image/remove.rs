//! `rmi`: untag names and delete images the way docker reports it.

use containerd_client::services::v1::DeleteImageRequest;

use super::manifest::Platform;
use super::reference::ImageRef;
use super::store::{self, ResolvedImage};
use crate::client::Client;
use crate::error::{Error, Result, is_not_found};
use crate::util::short_id;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// A name was removed (docker's `Untagged:` line).
    Untagged(String),
    /// The last name of an image went, so the image itself did.
    Deleted(String),
}

/// A container and the image it was made from (the caller, which knows
/// containers, says which use what).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUser {
    pub container: String,
    /// The image's id when known; else its containerd name.
    pub image_id: Option<String>,
    pub image_name: String,
    pub running: bool,
}

/// What removing one name or id means: the names to delete, the image's
/// id, how many of its names stay.
#[derive(Debug)]
pub struct Plan {
    input: String,
    /// Given by name (else by id).
    named: bool,
    targets: Vec<String>,
    id: Option<String>,
    remaining: usize,
}

impl Plan {
    /// The image itself goes (with its last name): only then do the
    /// containers made from it matter.
    pub fn deletes_image(&self) -> bool {
        self.remaining == 0
    }
}

/// Resolves `input` (a name, or an id prefix) to what `remove` deletes;
/// an id with several names needs `force`, as docker's.
pub async fn plan(client: &Client, input: &str, force: bool, platform: &Platform) -> Result<Plan> {
    let records = store::list_records(client).await?;
    let all: Vec<ResolvedImage> = store::resolve_all(client, &records, platform)
        .await
        .into_iter()
        .filter_map(|r| r.ok())
        .collect();
    let by_name = ImageRef::parse(input).ok().and_then(|r| {
        let name = r.name();
        records.iter().any(|rec| rec.name == name).then_some(name)
    });
    let named = by_name.is_some();
    let (targets, id) = match by_name {
        Some(name) => {
            let id = all
                .iter()
                .find(|i| i.name == name)
                .map(|i| i.id().to_string());
            (vec![name], id)
        }
        None => by_id(&all, input, force)?,
    };
    let remaining = match &id {
        Some(id) => store::names_for_id(&all, id)
            .len()
            .saturating_sub(targets.len()),
        None => 0,
    };
    Ok(Plan {
        input: input.to_string(),
        named,
        targets,
        id,
        remaining,
    })
}

/// The names of the one image whose id starts with `input`.
fn by_id(all: &[ResolvedImage], input: &str, force: bool) -> Result<(Vec<String>, Option<String>)> {
    let prefix = store::id_prefix(input).ok_or_else(|| no_such_image(input))?;
    let mut ids: Vec<&str> = all
        .iter()
        .map(|i| i.id())
        .filter(|id| crate::util::digest_hex(id).starts_with(&prefix))
        .collect();
    ids.sort();
    ids.dedup();
    let id = match ids.as_slice() {
        [] => return Err(no_such_image(input)),
        [one] => one.to_string(),
        _ => {
            return Err(Error::invalid(format!(
                "image id prefix {input:?} is ambiguous"
            )));
        }
    };
    let names: Vec<String> = store::names_for_id(all, &id)
        .iter()
        .map(|s| s.to_string())
        .collect();
    if names.len() > 1 && !force {
        return Err(Error::conflict(format!(
            "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
            short_id(&id)
        )));
    }
    Ok((names, Some(id)))
}

/// Carries out `plan`. As docker, the containers of `users` count by
/// image id: a name can go while another names the same image; the last
/// one only with `force` (`users` matters only when `plan.deletes_image()`).
pub async fn remove(
    client: &Client,
    plan: &Plan,
    force: bool,
    users: &[ImageUser],
) -> Result<Vec<Removed>> {
    let (targets, id) = (&plan.targets, &plan.id);
    if plan.deletes_image() {
        let user = users.iter().find(|u| match (&u.image_id, id) {
            (Some(uses), Some(id)) => uses == id,
            _ => targets.contains(&u.image_name),
        });
        in_use(&plan.input, plan.named, id.as_deref(), user, force)?;
    }
    let mut out = Vec::new();
    for (i, name) in targets.iter().enumerate() {
        let last = plan.deletes_image() && i + 1 == targets.len();
        match client
            .images()
            .delete(DeleteImageRequest {
                name: name.clone(),
                sync: last,
                target: None,
            })
            .await
        {
            Ok(_) => {}
            Err(s) if is_not_found(&s) => {}
            Err(s) => return Err(s.into()),
        }
        let shown = ImageRef::parse(name)
            .map(|r| r.familiar())
            .unwrap_or_else(|_| name.clone());
        let actor = id.as_deref().unwrap_or(name);
        crate::events::publish(client, "image", "untag", actor, &[("name", &shown)]).await;
        out.push(Removed::Untagged(shown));
    }
    if plan.deletes_image()
        && let Some(id) = id
    {
        crate::events::publish(client, "image", "delete", id, &[("name", id)]).await;
        out.push(Removed::Deleted(id.clone()));
    }
    Ok(out)
}

fn no_such_image(input: &str) -> Error {
    Error::not_found(format!("No such image: {input}"))
}

/// docker's refusals to remove an image a container uses: by name unless
/// forced; by id unless forced and the container is stopped.
fn in_use(
    input: &str,
    by_name: bool,
    id: Option<&str>,
    user: Option<&ImageUser>,
    force: bool,
) -> Result<()> {
    let Some(u) = user else {
        return Ok(());
    };
    let shown = id.map(short_id).unwrap_or("");
    let container = short_id(&u.container);
    match (by_name, force, u.running) {
        (true, false, _) => Err(Error::conflict(format!(
            "conflict: unable to remove repository reference \"{input}\" (must force) - container {container} is using its referenced image {shown}"
        ))),
        (false, _, true) => Err(Error::conflict(format!(
            "conflict: unable to delete {shown} (cannot be forced) - image is being used by running container {container}"
        ))),
        (false, false, false) => Err(Error::conflict(format!(
            "conflict: unable to delete {shown} (must be forced) - image is being used by stopped container {container}"
        ))),
        _ => Ok(()),
    }
}

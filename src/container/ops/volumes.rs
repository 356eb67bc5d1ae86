//! A container's volumes at creation: `--volumes-from` copied from the
//! other container's record, every volume made (or found) in the store and, when new or empty,
//! filled from the image (docker's copy-up). And at removal: the
//! anonymous ones go with `rm -v` or `--rm`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::client::Client;
use crate::container::config::mounts::parse_volumes_from;
use crate::container::model::{MountEntry, MountKind as Kind};
use crate::container::store::{self, record::ContainerRecord};
use crate::error::Result;
use crate::state::DataRoot;
use crate::volume::{self, Volumes};

/// `--volumes-from`: the other containers' binds and volumes, each with
/// its own mode unless `:ro`/`:rw` says otherwise; a destination the user
/// mounts something else on keeps the user's.
pub async fn volumes_from(
    client: &Client,
    list: &[String],
    own: &[MountEntry],
) -> Result<Vec<MountEntry>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let all = store::list::records(client).await?;
    let mut out: Vec<MountEntry> = Vec::new();
    for raw in list {
        let (name, ro) = parse_volumes_from(raw)?;
        let rec = store::resolve::find(&all, &name)?;
        for m in stored_mounts(rec) {
            if m.kind == Kind::Tmpfs
                || own
                    .iter()
                    .chain(&out)
                    .any(|o| o.destination == m.destination)
            {
                continue;
            }
            let mut m = m.clone();
            if let Some(ro) = ro {
                m.read_only = ro;
            }
            out.push(m);
        }
    }
    Ok(out)
}

fn stored_mounts(rec: &ContainerRecord) -> &[MountEntry] {
    rec.stored
        .as_ref()
        .map(|s| s.mounts.as_slice())
        .unwrap_or(&[])
}

/// Makes every volume the entries use and fills the new or empty ones from
/// the image's layers (top first; None when they cannot be read from
/// here). Returns the names of the volumes it made, for undoing.
pub fn make(
    data: &DataRoot,
    namespace: &str,
    entries: &mut [MountEntry],
    layers: Option<&[PathBuf]>,
) -> Result<Vec<String>> {
    let store = Volumes::new(data, namespace)?;
    let mut made = Vec::new();
    for m in entries.iter_mut().filter(|m| m.kind == Kind::Volume) {
        let labels: BTreeMap<String, String> = m.labels.iter().cloned().collect();
        let name = (!m.name.is_empty()).then_some(m.name.as_str());
        let result = store.create(name, labels, m.anonymous);
        let (vol, created) = match result {
            Ok(v) => v,
            Err(e) => {
                undo(&store, &made);
                return Err(e);
            }
        };
        if created {
            made.push(vol.name.clone());
        }
        m.name = vol.name.clone();
        m.source = vol.mountpoint.to_string_lossy().into_owned();
        if let (false, Some(layers)) = (m.nocopy, layers)
            && let Err(e) = volume::copy_up(layers, &m.destination, &vol.mountpoint)
        {
            undo(&store, &made);
            return Err(e);
        }
    }
    Ok(made)
}

/// Removes volumes this creation made, after it failed.
pub fn undo_made(data: &DataRoot, namespace: &str, made: &[String]) {
    if let Ok(store) = Volumes::new(data, namespace) {
        undo(&store, made);
    }
}

fn undo(store: &Volumes, made: &[String]) {
    for n in made {
        let _ = store.remove(n);
    }
}

/// The anonymous volumes of a removed container, unless another container
/// still uses one (docker keeps those).
pub async fn remove_anonymous(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
) -> Result<()> {
    let anonymous: Vec<&MountEntry> = stored_mounts(rec)
        .iter()
        .filter(|m| m.kind == Kind::Volume && m.anonymous)
        .collect();
    if anonymous.is_empty() {
        return Ok(());
    }
    let users = users(client).await?;
    let store = Volumes::new(data, client.namespace())?;
    for m in anonymous {
        let others = users
            .get(&m.name)
            .is_some_and(|ids| ids.iter().any(|id| id != &rec.id));
        if !others {
            match store.remove(&m.name) {
                Err(e) if e.kind() != crate::error::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    Ok(())
}

/// The `berth/volumes` label's value.
pub fn label(entries: &[MountEntry]) -> Option<String> {
    let names: Vec<&str> = entries
        .iter()
        .filter(|m| m.kind == Kind::Volume)
        .map(|m| m.name.as_str())
        .collect();
    (!names.is_empty()).then(|| names.join(","))
}

/// Which containers of the client's namespace use which volumes, from the
/// volume names each container's record carries.
pub async fn users(client: &Client) -> Result<volume::Users> {
    let mut out = volume::Users::new();
    for rec in store::list::records(client).await? {
        for v in &rec.volumes {
            out.entry(v.clone()).or_default().push(rec.id.clone());
        }
    }
    Ok(out)
}

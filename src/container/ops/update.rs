//! `update`: new resource limits go into the container's spec and stored
//! config (so a restart keeps them) and, when a task runs, to the runtime
//! at once; a new restart policy is kept and handed to the monitor.

use std::collections::HashMap;

use containerd_client::services::v1::UpdateTaskRequest;
use containerd_client::types::v1::Status;
use oci_spec::runtime::Spec;

use super::create::SPEC_TYPE_URL;
use super::{monitor, start};
use crate::client::Client;
use crate::container::config::resources::{self, ResourceFlags};
use crate::container::model::{RestartPolicy, Stored};
use crate::container::runtime::task;
use crate::container::spec;
use crate::container::store::{self, record::ContainerRecord};
use crate::error::{Error, Result};
use crate::state::DataRoot;

/// containerd's type URL for a runtime-spec `LinuxResources` (JSON).
const RESOURCES_TYPE_URL: &str = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";

/// What `update` changes: new limits, a new restart policy, or both.
#[derive(Default)]
pub struct Changes<'a> {
    pub resources: Option<&'a ResourceFlags>,
    pub restart: Option<&'a RestartPolicy>,
    /// `--blkio-weight`, after `config::throttle::host_check`.
    pub blkio_weight: Option<u16>,
}

/// `update`: the changes checked, handed to the running task (limits) and
/// the restart monitor (policy), and kept with the container in one write.
pub async fn update(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    changes: &Changes<'_>,
) -> Result<()> {
    let Some(mut stored) = rec.stored.clone() else {
        return Err(Error::unsupported(format!(
            "container {} was not created by berth: it cannot be updated",
            rec.id
        )));
    };
    if let Some(policy) = changes.restart {
        if stored.host_config.auto_remove && !policy.is_none() {
            return Err(Error::invalid(
                "Restart policy cannot be updated because AutoRemove is enabled for the container",
            ));
        }
        monitor::check(client, policy, rec.tty).await?;
        stored.host_config.restart_policy = policy.clone();
    }
    let live = matches!(
        task::status(client, &rec.id).await?,
        Some(Status::Running | Status::Paused | Status::Pausing)
    );
    let spec = match (changes.resources, changes.blkio_weight) {
        (None, None) => None,
        (flags, weight) => {
            let none = ResourceFlags::default();
            let flags = flags.unwrap_or(&none);
            Some(new_limits(client, rec, &mut stored, (flags, weight), live).await?)
        }
    };
    store::save(client, &rec.id, &stored, spec).await?;
    // A running container, or one between two of the monitor's restarts,
    // goes on under the new policy at once.
    if let Some(policy) = changes.restart
        && (live || rec.restart_armed)
    {
        let uri = start::restart_log_uri(client, data, rec)?;
        monitor::rearm(client, &rec.id, policy, uri.as_deref()).await?;
    }
    Ok(())
}

/// The new limits in `stored` and in the spec returned; the running task
/// gets them first: when the runtime refuses (say, a limit below what the
/// container uses), nothing is recorded.
async fn new_limits(
    client: &Client,
    rec: &ContainerRecord,
    stored: &mut Stored,
    (flags, weight): (&ResourceFlags, Option<u16>),
    live: bool,
) -> Result<prost_types::Any> {
    let r = &mut stored.host_config.resources;
    *r = flags.apply_to(r, resources::host_cpus())?;
    if let Some(w) = weight {
        r.blkio_weight = w;
    }
    let mut spec: Spec = store::spec(client, &rec.id).await?;
    let mut res = resources::to_oci(&stored.host_config.resources)?;
    let linux = spec.linux_mut().get_or_insert_with(Default::default);
    let old = linux.resources().clone().unwrap_or_default();
    res.set_devices(old.devices().clone());
    // The throttles and device weights stay; the weight is the new one.
    let mut block_io = old.block_io().clone().unwrap_or_default();
    if let Some(w) = weight {
        block_io.set_weight((w > 0).then_some(w));
    }
    res.set_block_io(Some(block_io).filter(|b| *b != Default::default()));
    linux.set_resources(Some(res.clone()));
    if live {
        let mut live_res = res;
        live_res.set_devices(None);
        client
            .tasks()
            .update(UpdateTaskRequest {
                container_id: rec.id.clone(),
                resources: Some(prost_types::Any {
                    type_url: RESOURCES_TYPE_URL.to_string(),
                    value: serde_json::to_vec(&live_res)?,
                }),
                annotations: HashMap::new(),
            })
            .await
            .map_err(|e| {
                let e = Error::from(e);
                Error::new(
                    e.kind(),
                    format!("Cannot update container {}: {}", rec.id, e.message()),
                )
            })?;
    }
    Ok(prost_types::Any {
        type_url: SPEC_TYPE_URL.to_string(),
        value: serde_json::to_vec(&spec::to_json(&spec)?)?,
    })
}

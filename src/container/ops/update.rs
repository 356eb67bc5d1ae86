//! `update`'s resource flags: the new limits go into the container's spec
//! and stored config (so a restart keeps them) and, when a task runs, to
//! the runtime at once.

use std::collections::HashMap;

use containerd_client::services::v1::UpdateTaskRequest;
use containerd_client::types::v1::Status;
use oci_spec::runtime::Spec;

use super::create::SPEC_TYPE_URL;
use crate::client::Client;
use crate::container::config::resources::{self, ResourceFlags};
use crate::container::runtime::task;
use crate::container::spec;
use crate::container::store::{self, record::ContainerRecord};
use crate::error::{Error, Result};

/// containerd's type URL for a runtime-spec `LinuxResources` (JSON).
const RESOURCES_TYPE_URL: &str = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";

pub async fn update_resources(
    client: &Client,
    rec: &ContainerRecord,
    flags: &ResourceFlags,
) -> Result<()> {
    let Some(mut stored) = rec.stored.clone() else {
        return Err(Error::unsupported(format!(
            "container {} was not created by berth: its resources cannot be updated",
            rec.id
        )));
    };
    let r = &mut stored.host_config.resources;
    *r = flags.apply_to(r, resources::host_cpus())?;
    let mut spec: Spec = store::spec(client, &rec.id).await?;
    let mut res = resources::to_oci(&stored.host_config.resources)?;
    let linux = spec.linux_mut().get_or_insert_with(Default::default);
    res.set_devices(linux.resources().as_ref().and_then(|r| r.devices().clone()));
    linux.set_resources(Some(res.clone()));
    let live = matches!(
        task::status(client, &rec.id).await?,
        Some(Status::Running | Status::Paused | Status::Pausing)
    );
    // The running task first: when the runtime refuses (say, a limit below
    // what the container uses), nothing is recorded.
    if live {
        let mut live_res = res.clone();
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
    let spec = prost_types::Any {
        type_url: SPEC_TYPE_URL.to_string(),
        value: serde_json::to_vec(&spec::to_json(&spec)?)?,
    };
    store::save(client, &rec.id, &stored, Some(spec)).await?;
    Ok(())
}

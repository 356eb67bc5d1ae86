//! Watching a namespace's events as docker's messages: containerd's
//! container and task events turned into docker's container actions
//! (with the name and image docker attaches), and the events berth
//! publishes itself (`crate::events::publish`) passed through.

use std::collections::{BTreeMap, HashMap};

use containerd_client::events::{
    ContainerCreate, ContainerDelete, TaskExit, TaskOom, TaskPaused, TaskResumed, TaskStart,
};
use containerd_client::services::v1::{GetContainerRequest, SubscribeRequest};
use futures::StreamExt;
use prost::Message;

use crate::client::Client;
use crate::container::store::list::records;
use crate::container::store::record::ContainerRecord;
use crate::error::Result;
use crate::events::{BERTH_EVENT_TYPE, Event};

/// The namespace's events from now on.
pub struct Watcher {
    client: Client,
    /// Container id -> (name, image), for the events of a container
    /// that is gone by the time they are read.
    names: HashMap<String, Known>,
    stream: tonic::Streaming<containerd_client::types::Envelope>,
}

/// What docker attaches to a container's events: its name, image and
/// labels.
type Known = BTreeMap<String, String>;

fn known(r: &ContainerRecord) -> Known {
    let mut k = r.labels.clone();
    k.insert("name".into(), r.name.clone());
    k.insert("image".into(), r.image.clone());
    k
}

impl Watcher {
    pub async fn start(client: &Client) -> Result<Watcher> {
        let filters = vec![format!("namespace=={}", client.namespace())];
        let stream = client
            .events()
            .subscribe(SubscribeRequest { filters })
            .await?
            .into_inner();
        // Read after subscribing: a container made in between is in both.
        let names = records(client)
            .await?
            .iter()
            .map(|r| (r.id.clone(), known(r)))
            .collect();
        Ok(Watcher {
            client: client.clone(),
            names,
            stream,
        })
    }

    /// The next event docker has a word for; None when containerd ends
    /// the stream.
    pub async fn next(&mut self) -> Option<Result<Event>> {
        loop {
            let env = match self.stream.next().await? {
                Ok(e) => e,
                Err(status) => return Some(Err(status.into())),
            };
            let time_nano = env
                .timestamp
                .map_or(0, |t| t.seconds * 1_000_000_000 + t.nanos as i64);
            let Some(any) = env.event else { continue };
            if let Some(mut e) = self.convert(&env.topic, &any).await {
                e.time_nano = time_nano;
                return Some(Ok(e));
            }
        }
    }

    async fn lookup(&mut self, id: &str) -> Known {
        if let Some(found) = self.names.get(id) {
            return found.clone();
        }
        let got = self
            .client
            .containers()
            .get(GetContainerRequest { id: id.to_string() })
            .await;
        let found = match got.ok().and_then(|r| r.into_inner().container) {
            Some(c) => known(&ContainerRecord::from(&c)),
            None => Known::new(),
        };
        self.names.insert(id.to_string(), found.clone());
        found
    }

    async fn container(&mut self, action: &str, id: &str, extra: &[(&str, String)]) -> Event {
        let mut attributes = self.lookup(id).await;
        for (k, v) in extra {
            attributes.insert(k.to_string(), v.clone());
        }
        Event {
            kind: "container".into(),
            action: action.into(),
            id: id.into(),
            attributes,
            time_nano: 0,
        }
    }

    async fn convert(&mut self, topic: &str, any: &prost_types::Any) -> Option<Event> {
        let v = &any.value[..];
        match topic {
            "/containers/create" => {
                let id = ContainerCreate::decode(v).ok()?.id;
                self.names.remove(&id);
                Some(self.container("create", &id, &[]).await)
            }
            "/containers/delete" => {
                let id = ContainerDelete::decode(v).ok()?.id;
                let e = self.container("destroy", &id, &[]).await;
                self.names.remove(&id);
                Some(e)
            }
            "/tasks/start" => Some(
                self.container("start", &TaskStart::decode(v).ok()?.container_id, &[])
                    .await,
            ),
            "/tasks/exit" => {
                let t = TaskExit::decode(v).ok()?;
                let code = ("exitCode", t.exit_status.to_string());
                if t.id == t.container_id || t.id.is_empty() {
                    Some(self.container("die", &t.container_id, &[code]).await)
                } else {
                    Some(
                        self.container("exec_die", &t.container_id, &[code, ("execID", t.id)])
                            .await,
                    )
                }
            }
            "/tasks/oom" => Some(
                self.container("oom", &TaskOom::decode(v).ok()?.container_id, &[])
                    .await,
            ),
            "/tasks/paused" => Some(
                self.container("pause", &TaskPaused::decode(v).ok()?.container_id, &[])
                    .await,
            ),
            "/tasks/resumed" => Some(
                self.container("unpause", &TaskResumed::decode(v).ok()?.container_id, &[])
                    .await,
            ),
            t if t.starts_with("/berth/") && any.type_url == BERTH_EVENT_TYPE => berths(t, v),
            _ => None,
        }
    }
}

/// An event berth published: `/berth/<type>/<action>`, JSON body.
fn berths(topic: &str, body: &[u8]) -> Option<Event> {
    let mut parts = topic.trim_start_matches("/berth/").splitn(2, '/');
    let (kind, action) = (parts.next()?, parts.next()?);
    #[derive(serde::Deserialize)]
    struct Body {
        id: String,
        #[serde(default)]
        attributes: BTreeMap<String, String>,
        /// The whole action when it says more than the topic can.
        #[serde(default)]
        action: Option<String>,
    }
    let b: Body = serde_json::from_slice(body).ok()?;
    Some(Event {
        kind: kind.into(),
        action: b.action.unwrap_or_else(|| action.into()),
        id: b.id,
        attributes: b.attributes,
        time_nano: 0,
    })
}

/// docker's container events berth alone knows of (`kill`, `stop`,
/// `attach`, `rename`, `commit`, `exec_create`/`exec_start`): the name and
/// image docker attaches, then `extra`.
pub(super) async fn publish_container(
    client: &Client,
    rec: &ContainerRecord,
    action: &str,
    extra: &[(&str, &str)],
) {
    let mut attrs = vec![("name", rec.name.as_str()), ("image", rec.image.as_str())];
    for (k, v) in extra {
        match attrs.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v,
            None => attrs.push((k, v)),
        }
    }
    crate::events::publish(client, "container", action, &rec.id, &attrs).await;
}

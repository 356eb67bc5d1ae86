//! docker's event stream on containerd: containerd's own events for what
//! it knows (containers, tasks), and events berth itself publishes on
//! containerd's event service for what only berth knows (image pulls and
//! tags, networks, volumes, a stop), under topics `/berth/<type>/<action>`.
//! Every berth that watches a namespace sees both (the watcher is
//! `container::ops::Watcher`); containerd keeps no history, so a watch
//! starts at "now".

mod filter;

use std::collections::BTreeMap;

use containerd_client::services::v1::PublishRequest;
use serde_json::{Value, json};

use crate::client::Client;

pub use filter::EventFilters;

/// The `Any` type of berth's own events (JSON: id and attributes).
pub const BERTH_EVENT_TYPE: &str = "berth.dev/event/v1";

/// docker's `events.Message`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `container`, `image`, `network`, `volume`.
    pub kind: String,
    pub action: String,
    pub id: String,
    pub attributes: BTreeMap<String, String>,
    pub time_nano: i64,
}

impl Event {
    /// docker's JSON of the message (`{{json .}}`), keys in its order:
    /// containers and images also carry the old `status`/`id`/`from`.
    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        if self.kind == "container" || self.kind == "image" {
            m.insert("status".into(), json!(self.action));
            m.insert("id".into(), json!(self.id));
            if self.kind == "container" {
                if let Some(image) = self.attributes.get("image") {
                    m.insert("from".into(), json!(image));
                }
            }
        }
        m.insert("Type".into(), json!(self.kind));
        m.insert("Action".into(), json!(self.action));
        m.insert(
            "Actor".into(),
            json!({"ID": self.id, "Attributes": self.attributes}),
        );
        m.insert("scope".into(), json!("local"));
        m.insert("time".into(), json!(self.time_nano / 1_000_000_000));
        m.insert("timeNano".into(), json!(self.time_nano));
        Value::Object(m)
    }

    /// docker's default line: time, type, action, id, `(k=v, ...)`.
    pub fn line(&self) -> String {
        let secs = self.time_nano.div_euclid(1_000_000_000);
        let nanos = self.time_nano.rem_euclid(1_000_000_000) as u32;
        let time = chrono::DateTime::from_timestamp(secs, nanos)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S.%9fZ").to_string())
            .unwrap_or_default();
        let mut s = format!("{time} {} {} {}", self.kind, self.action, self.id);
        if !self.attributes.is_empty() {
            let attrs: Vec<String> = self
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            s.push_str(&format!(" ({})", attrs.join(", ")));
        }
        s
    }
}

/// Tells watchers of this namespace what berth did (best effort: an
/// event that cannot be published is logged, never an error).
pub async fn publish(
    client: &Client,
    kind: &str,
    action: &str,
    id: &str,
    attributes: &[(&str, &str)],
) {
    let attrs: BTreeMap<&str, &str> = attributes.iter().copied().collect();
    // docker's `exec_create: CMD` cannot be a topic: the topic takes the
    // word, the body the whole action.
    let word = action.split(':').next().unwrap_or(action);
    let body = json!({"id": id, "attributes": attrs, "action": action});
    let request = PublishRequest {
        topic: format!("/berth/{kind}/{word}"),
        event: Some(prost_types::Any {
            type_url: BERTH_EVENT_TYPE.to_string(),
            value: serde_json::to_vec(&body).unwrap_or_default(),
        }),
    };
    if let Err(e) = client.events().publish(request).await {
        tracing::debug!("publishing {kind} {action} {id}: {e}");
    }
}

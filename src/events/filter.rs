//! `events --filter`: docker's keys (`container`, `event`, `image`,
//! `label`, `network`, `type`, `volume`, `scope`); values of one key OR,
//! keys AND.

use std::collections::BTreeMap;

use super::Event;
use crate::error::{Error, Result};

#[derive(Debug, Default, Clone)]
pub struct EventFilters {
    by: BTreeMap<String, Vec<String>>,
}

const KEYS: [&str; 9] = [
    "container",
    "event",
    "image",
    "label",
    "network",
    "type",
    "volume",
    "scope",
    "daemon",
];

impl EventFilters {
    pub fn parse(args: &[String]) -> Result<EventFilters> {
        let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for a in args {
            let Some((k, v)) = a.split_once('=') else {
                return Err(Error::invalid(format!(
                    "bad format of filter (expected name=value): {a}"
                ))
                .cli());
            };
            if !KEYS.contains(&k) {
                return Err(Error::invalid(format!("invalid filter '{k}'")));
            }
            by.entry(k.to_string()).or_default().push(v.to_string());
        }
        Ok(EventFilters { by })
    }

    pub fn matches(&self, e: &Event) -> bool {
        let attr = |k: &str| e.attributes.get(k).map(String::as_str).unwrap_or("");
        self.by.iter().all(|(key, values)| {
            values.iter().any(|v| match key.as_str() {
                "type" => e.kind == *v,
                "event" => e.action == *v || e.action.split(':').next() == Some(v),
                "scope" => v == "local",
                "label" => match v.split_once('=') {
                    Some((k, want)) => attr(k) == want,
                    None => e.attributes.contains_key(v.as_str()),
                },
                "container" => {
                    e.kind == "container" && (e.id.starts_with(v.as_str()) || attr("name") == v)
                }
                "image" => {
                    (e.kind == "image" && (e.id == *v || attr("name") == v))
                        || (e.kind == "container" && attr("image") == v)
                }
                "network" => {
                    e.kind == "network" && (e.id.starts_with(v.as_str()) || attr("name") == v)
                }
                "volume" => e.kind == "volume" && e.id == *v,
                _ => true,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: &str, action: &str, id: &str, attrs: &[(&str, &str)]) -> Event {
        Event {
            kind: kind.into(),
            action: action.into(),
            id: id.into(),
            attributes: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            time_nano: 0,
        }
    }

    #[test]
    fn keys_and_values_combine_as_dockers() {
        let f = |a: &[&str]| {
            EventFilters::parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
        };
        let start = ev(
            "container",
            "start",
            "abc123",
            &[("name", "web"), ("image", "busybox")],
        );
        assert!(f(&["type=container", "event=start"]).matches(&start));
        assert!(f(&["event=die", "event=start"]).matches(&start));
        assert!(!f(&["type=image"]).matches(&start));
        assert!(f(&["container=web"]).matches(&start) && f(&["container=abc"]).matches(&start));
        assert!(f(&["image=busybox"]).matches(&start));
        let vol = ev("volume", "create", "v1", &[("driver", "local")]);
        assert!(f(&["volume=v1"]).matches(&vol) && !f(&["volume=v2"]).matches(&vol));
        assert!(EventFilters::parse(&["colour=red".into()]).is_err());
        assert!(EventFilters::parse(&["nokey".into()]).is_err());
    }

    #[test]
    fn lines_and_json_are_dockers() {
        let mut e = ev(
            "container",
            "die",
            "c0ff",
            &[("name", "c4"), ("image", "busybox"), ("exitCode", "137")],
        );
        e.time_nano = 1_796_644_291_757_941_694;
        assert_eq!(
            e.line(),
            "2026-12-07T11:51:31.757941694Z container die c0ff (exitCode=137, image=busybox, name=c4)"
        );
        assert_eq!(
            e.to_json().to_string(),
            r#"{"status":"die","id":"c0ff","from":"busybox","Type":"container","Action":"die","Actor":{"ID":"c0ff","Attributes":{"exitCode":"137","image":"busybox","name":"c4"}},"scope":"local","time":1796644291,"timeNano":1796644291757941694}"#
        );
        let v = ev("volume", "create", "v1", &[("driver", "local")]);
        assert!(
            v.to_json()
                .to_string()
                .starts_with(r#"{"Type":"volume","Action":"create""#)
        );
    }
}

//! `network ls --filter`: docker's keys `driver`, `id` (a prefix), `label`,
//! `name` (a pattern), `scope` (`local`), `type` (`builtin`: bridge, host,
//! none; `custom`: the rest) and `dangling` (no container on it; the
//! builtin ones never are). The same key given twice ORs, labels AND.

use crate::error::{Error, Result};
use crate::filters::{labels_match, name_matches, parse_bool, split};

/// The networks docker calls predefined.
pub const BUILTIN: &[&str] = &["bridge", "host", "none"];

#[derive(Debug, Default, Clone)]
pub struct ListFilters {
    driver: Vec<String>,
    id: Vec<String>,
    label: Vec<String>,
    name: Vec<String>,
    scope: Vec<String>,
    builtin: Option<bool>,
    dangling: Option<bool>,
}

/// What a filter looks at in a network.
pub struct Candidate<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub driver: &'a str,
    pub labels: &'a std::collections::BTreeMap<String, String>,
}

impl ListFilters {
    pub fn parse(filters: &[String]) -> Result<ListFilters> {
        let mut f = ListFilters::default();
        let invalid = |k: &str, v: &str| Error::invalid(format!("invalid filter '{k}={v}'"));
        for raw in filters {
            let (k, v) = split(raw)?;
            match k {
                "driver" => f.driver.push(v.to_string()),
                "id" => f.id.push(v.to_string()),
                "label" => f.label.push(v.to_string()),
                "name" => f.name.push(v.to_string()),
                "scope" => f.scope.push(v.to_string()),
                "type" => {
                    let b = match v {
                        "builtin" => true,
                        "custom" => false,
                        _ => return Err(Error::invalid(format!("invalid filter: 'type'='{v}'"))),
                    };
                    if f.builtin.is_some_and(|old| old != b) {
                        return Err(invalid(k, v));
                    }
                    f.builtin = Some(b);
                }
                "dangling" => {
                    let d = parse_bool(k, v)?;
                    if f.dangling.is_some_and(|old| old != d) {
                        return Err(invalid(k, v));
                    }
                    f.dangling = Some(d);
                }
                _ => return Err(Error::invalid(format!("invalid filter '{k}'"))),
            }
        }
        Ok(f)
    }

    /// Whether `keep` needs to know which networks containers use.
    pub fn needs_users(&self) -> bool {
        self.dangling.is_some()
    }

    /// `in_use`: a container is on the network.
    pub fn keep(&self, n: &Candidate, in_use: bool) -> bool {
        let builtin = BUILTIN.contains(&n.name);
        (self.driver.is_empty() || self.driver.iter().any(|d| d == n.driver))
            && (self.id.is_empty() || self.id.iter().any(|p| n.id.starts_with(p.as_str())))
            && labels_match(&self.label, n.labels)
            && name_matches(&self.name, n.name)
            && (self.scope.is_empty() || self.scope.iter().any(|s| s == "local"))
            && self.builtin.is_none_or(|b| b == builtin)
            && self.dangling.is_none_or(|d| d == (!builtin && !in_use))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn keep(filters: &[&str], name: &str, in_use: bool) -> bool {
        let f =
            ListFilters::parse(&filters.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let labels = BTreeMap::from([("team".to_string(), "ci".to_string())]);
        let n = Candidate {
            id: "abc123def",
            name,
            driver: if name == "host" { "host" } else { "bridge" },
            labels: &labels,
        };
        f.keep(&n, in_use)
    }

    #[test]
    fn dockers_network_filters() {
        assert!(keep(&[], "app", false));
        assert!(keep(&["name=ap"], "app", false) && !keep(&["name=^b"], "app", false));
        assert!(keep(&["id=abc"], "app", false) && !keep(&["id=bc"], "app", false));
        assert!(keep(&["driver=bridge"], "app", false) && !keep(&["driver=macvlan"], "app", false));
        assert!(keep(&["label=team"], "app", false) && keep(&["label=team=ci"], "app", false));
        assert!(!keep(&["label=team=cd"], "app", false));
        assert!(keep(&["type=builtin"], "bridge", false) && !keep(&["type=builtin"], "app", false));
        assert!(keep(&["type=custom"], "app", false) && !keep(&["type=custom"], "host", false));
        assert!(keep(&["dangling=true"], "app", false) && !keep(&["dangling=true"], "app", true));
        assert!(
            !keep(&["dangling=true"], "bridge", false) && keep(&["dangling=false"], "none", false)
        );
        assert!(keep(&["scope=local"], "app", false) && !keep(&["scope=swarm"], "app", false));
        assert!(keep(&["name=zzz", "name=app"], "app", false));
    }

    #[test]
    fn bad_filters_are_refused_in_dockers_words() {
        let err = |f: &str| {
            ListFilters::parse(&[f.to_string()])
                .unwrap_err()
                .message()
                .to_string()
        };
        assert_eq!(err("colour=red"), "invalid filter 'colour'");
        assert_eq!(err("type=odd"), "invalid filter: 'type'='odd'");
        assert_eq!(err("dangling=maybe"), "invalid filter 'dangling=maybe'");
        assert_eq!(
            err("name"),
            "bad format of filter (expected name=value): name"
        );
    }
}

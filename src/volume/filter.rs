//! docker's volume filters: `volume ls --filter` (`dangling`, `name`,
//! `driver`, `label`) and `volume prune --filter` (`label`, `label!`,
//! `all`). The same key given twice ORs (labels AND), as in docker.

use super::store::Volume;
use crate::error::{Error, Result};
use crate::filters::{labels_match, name_matches, parse_bool, split};

/// `volume ls --filter`.
#[derive(Debug, Default, Clone)]
pub struct ListFilters {
    dangling: Option<bool>,
    name: Vec<String>,
    driver: Vec<String>,
    label: Vec<String>,
}

impl ListFilters {
    pub fn parse(filters: &[String]) -> Result<ListFilters> {
        let mut f = ListFilters::default();
        for raw in filters {
            let (k, v) = split(raw)?;
            match k {
                "dangling" => {
                    let d = parse_bool(k, v)?;
                    if f.dangling.is_some_and(|old| old != d) {
                        return Err(Error::invalid(format!("invalid filter '{k}={v}'")));
                    }
                    f.dangling = Some(d);
                }
                "name" => f.name.push(v.to_string()),
                "driver" => f.driver.push(v.to_string()),
                "label" => f.label.push(v.to_string()),
                _ => return Err(Error::invalid(format!("invalid filter '{k}'"))),
            }
        }
        Ok(f)
    }

    /// Whether `keep` needs to know which volumes containers use.
    pub fn needs_users(&self) -> bool {
        self.dangling.is_some()
    }

    /// `in_use`: a container (in any state) mounts the volume.
    pub fn keep(&self, v: &Volume, in_use: bool) -> bool {
        name_matches(&self.name, &v.name)
            && (self.driver.is_empty() || self.driver.iter().any(|d| d == "local"))
            && labels_match(&self.label, &v.labels)
            && self.dangling.is_none_or(|d| d != in_use)
    }
}

/// `volume prune --filter` and `--all`.
#[derive(Debug, Default, Clone)]
pub struct PruneFilters {
    all: bool,
    label: Vec<String>,
    not_label: Vec<String>,
}

impl PruneFilters {
    /// `all_flag`: `-a/--all`, docker's `all=true` filter.
    pub fn parse(filters: &[String], all_flag: bool) -> Result<PruneFilters> {
        let mut f = PruneFilters {
            all: all_flag,
            ..Default::default()
        };
        let mut all_filter = None;
        for raw in filters {
            if let Some(v) = raw.strip_prefix("label!=") {
                f.not_label.push(v.to_string());
                continue;
            }
            let (k, v) = split(raw)?;
            match k {
                "label" => f.label.push(v.to_string()),
                "all" if all_flag => {
                    return Err(Error::invalid(
                        "conflicting options: cannot specify both --all and --filter all=1",
                    ));
                }
                "all" if all_filter.is_some() => {
                    return Err(Error::invalid(format!(
                        "invalid filter 'all={v}': only one value is expected"
                    )));
                }
                "all" => {
                    let all = go_parse_bool(v)
                        .ok_or_else(|| Error::invalid(format!("invalid filter 'all={v}'")))?;
                    all_filter = Some(all);
                    f.all = all;
                }
                _ => return Err(Error::invalid(format!("invalid filter '{k}'"))),
            }
        }
        Ok(f)
    }

    /// Named volumes too, not only anonymous ones.
    pub fn all(&self) -> bool {
        self.all
    }

    /// Whether an unused volume is pruned.
    pub fn keep(&self, v: &Volume) -> bool {
        (self.all || v.anonymous)
            && labels_match(&self.label, &v.labels)
            && (self.not_label.is_empty() || !labels_match(&self.not_label, &v.labels))
    }
}

/// Go's `strconv.ParseBool`.
fn go_parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vol(name: &str, labels: &[(&str, &str)], anonymous: bool) -> Volume {
        Volume {
            name: name.into(),
            mountpoint: "/x".into(),
            created: std::time::UNIX_EPOCH,
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            anonymous,
        }
    }

    fn list(f: &[&str]) -> Result<ListFilters> {
        ListFilters::parse(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn list_filters_like_docker() {
        let a = vol("app-data", &[("env", "prod"), ("team", "")], false);
        assert!(list(&[]).unwrap().keep(&a, true));
        assert!(list(&["name=data"]).unwrap().keep(&a, false));
        assert!(list(&["name=^app"]).unwrap().keep(&a, false));
        assert!(!list(&["name=^data"]).unwrap().keep(&a, false));
        assert!(list(&["name=zzz", "name=app"]).unwrap().keep(&a, false));
        assert!(
            list(&["label=env=prod", "label=team"])
                .unwrap()
                .keep(&a, false)
        );
        assert!(!list(&["label=env=dev"]).unwrap().keep(&a, false));
        assert!(!list(&["label=env", "label=other"]).unwrap().keep(&a, false));
        assert!(list(&["driver=local"]).unwrap().keep(&a, false));
        assert!(!list(&["driver=nfs"]).unwrap().keep(&a, false));
        let dangling = list(&["dangling=true"]).unwrap();
        assert!(dangling.needs_users());
        assert!(dangling.keep(&a, false) && !dangling.keep(&a, true));
        let used = list(&["dangling=0"]).unwrap();
        assert!(used.keep(&a, true) && !used.keep(&a, false));
        assert_eq!(
            list(&["dangling=maybe"]).unwrap_err().message(),
            "invalid filter 'dangling=maybe'"
        );
        assert_eq!(
            list(&["until=1h"]).unwrap_err().message(),
            "invalid filter 'until'"
        );
        assert!(
            list(&["dangling"])
                .unwrap_err()
                .message()
                .starts_with("bad format")
        );
    }

    #[test]
    fn prune_takes_anonymous_unless_all() {
        let named = vol("data", &[("k", "v")], false);
        let anon = vol("0123", &[("com.docker.volume.anonymous", "")], true);
        let p = |f: &[&str], all| {
            PruneFilters::parse(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>(), all)
        };
        let default = p(&[], false).unwrap();
        assert!(!default.all() && default.keep(&anon) && !default.keep(&named));
        assert!(p(&[], true).unwrap().keep(&named));
        assert!(p(&["all=true"], false).unwrap().keep(&named));
        assert!(!p(&["all=false"], false).unwrap().keep(&named));
        assert!(p(&["label=k=v"], true).unwrap().keep(&named));
        assert!(!p(&["label=k=w"], true).unwrap().keep(&named));
        assert!(!p(&["label!=k"], true).unwrap().keep(&named));
        assert!(p(&["label!=k"], true).unwrap().keep(&anon));
        assert_eq!(
            p(&["all=1"], true).unwrap_err().message(),
            "conflicting options: cannot specify both --all and --filter all=1"
        );
        assert_eq!(
            p(&["until=1h"], false).unwrap_err().message(),
            "invalid filter 'until'"
        );
        assert!(p(&["all=maybe"], false).is_err());
    }
}

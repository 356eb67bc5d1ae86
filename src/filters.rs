//! The pieces docker's `--filter` flags share: `key=value` entries,
//! boolean values, label lists and name patterns.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// One `--filter key=value` entry.
pub fn split(raw: &str) -> Result<(&str, &str)> {
    raw.split_once('=')
        .ok_or_else(|| Error::invalid(format!("bad format of filter (expected name=value): {raw}")))
}

/// docker's `GetBoolOrDefault`: `1`/`true` and `0`/`false`, any case.
pub fn parse_bool(key: &str, v: &str) -> Result<bool> {
    if v == "1" || v.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if v == "0" || v.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Error::invalid(format!("invalid filter '{key}={v}'")))
    }
}

/// docker's `MatchKVList`: every `key` or `key=value` holds.
pub fn labels_match(wanted: &[String], labels: &BTreeMap<String, String>) -> bool {
    wanted.iter().all(|w| match w.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
        None => labels.contains_key(w),
    })
}

/// docker matches names as (unanchored) Go regular expressions; one that
/// does not compile matches only itself. No pattern matches everything.
pub fn name_matches(patterns: &[String], name: &str) -> bool {
    patterns.is_empty()
        || patterns
            .iter()
            .any(|p| p == name || regex::Regex::new(p).is_ok_and(|r| r.is_match(name)))
}

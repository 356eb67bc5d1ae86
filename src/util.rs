//! Small helpers shared across the library.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::RngExt;
use sha2::{Digest, Sha256};

/// containerd's identifier rule (namespaces, lease ids, exec ids):
/// `[A-Za-z0-9]+([._-][A-Za-z0-9]+)*`, at most 76 characters.
pub fn validate_identifier(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("must not be empty");
    }
    if s.len() > 76 {
        return Err("longer than 76 characters");
    }
    let mut prev_sep = true;
    for c in s.chars() {
        let sep = matches!(c, '.' | '_' | '-');
        if !(c.is_ascii_alphanumeric() || sep) {
            return Err("only letters, digits, '.', '_' and '-' are allowed");
        }
        if sep && prev_sep {
            return Err("separators must sit between letters or digits");
        }
        prev_sep = sep;
    }
    if prev_sep {
        return Err("must end with a letter or digit");
    }
    Ok(())
}

/// A random 64-hex-character id, like docker's container ids.
/// The host's cgroup version: 2 when /sys/fs/cgroup is the unified
/// hierarchy, else 1.
pub fn cgroup_version() -> u8 {
    let unified = nix::sys::statfs::statfs("/sys/fs/cgroup")
        .is_ok_and(|s| s.filesystem_type() == nix::sys::statfs::CGROUP2_SUPER_MAGIC);
    if unified { 2 } else { 1 }
}

pub fn random_hex_id() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// A short random token for temporary keys.
pub fn random_token() -> String {
    let bytes: [u8; 8] = rand::rng().random();
    hex::encode(bytes)
}

pub fn sha256_digest(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// The hex part of a `sha256:...` digest.
pub fn digest_hex(digest: &str) -> &str {
    digest.split_once(':').map(|(_, h)| h).unwrap_or(digest)
}

/// docker's 12-character short id of a digest or id.
pub fn short_id(id: &str) -> &str {
    let hex = digest_hex(id);
    &hex[..hex.len().min(12)]
}

pub fn timestamp_to_system(ts: &prost_types::Timestamp) -> SystemTime {
    if ts.seconds < 0 {
        return UNIX_EPOCH;
    }
    UNIX_EPOCH + Duration::new(ts.seconds as u64, ts.nanos.clamp(0, 999_999_999) as u32)
}

pub fn system_to_timestamp(t: SystemTime) -> prost_types::Timestamp {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    prost_types::Timestamp {
        seconds: d.as_secs() as i64,
        nanos: d.subsec_nanos() as i32,
    }
}

/// RFC 3339 with nanoseconds, as docker prints times in `inspect`.
pub fn rfc3339_nanos(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| SystemTime::from(t.with_timezone(&chrono::Utc)))
}

/// docker's time filters and `logs --since`: RFC 3339 (with or without a
/// zone), a date, a unix timestamp (`1700000000[.5]`), or a Go duration
/// back from `now` (`10m`, `1h30m`).
pub fn parse_time_or_ago(s: &str, now: SystemTime) -> Result<SystemTime, crate::error::Error> {
    let bad = || {
        crate::error::Error::invalid(format!(
            "invalid time {s:?}: use RFC 3339, a unix timestamp or a duration like 10m"
        ))
    };
    if let Some(t) = parse_rfc3339(s) {
        return Ok(t);
    }
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    if let Some(t) = naive {
        return Ok(SystemTime::from(t.and_utc()));
    }
    if let Ok(secs) = s.parse::<f64>() {
        return Ok(UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0)));
    }
    let d = parse_go_duration(s).ok_or_else(bad)?;
    Ok(now.checked_sub(d).unwrap_or(UNIX_EPOCH))
}

/// Go's `time.ParseDuration` for non-negative values.
pub fn parse_go_duration(s: &str) -> Option<Duration> {
    let mut total = 0f64;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += n * scale;
        rest = &rest[unit_len..];
    }
    Some(Duration::from_secs_f64(total))
}

/// Makes `path` a real directory: kept if it is one, anything else there
/// (a file, a symlink) replaced. Extractors call it for every parent so a
/// symlink planted by the input is never written through.
pub fn real_dir(path: &std::path::Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => {
            std::fs::remove_file(path)?;
            std::fs::create_dir(path)
        }
        Err(_) => std::fs::create_dir(path),
    }
}

/// Removes whatever is at `path` (a directory with its contents), if
/// anything; true when that was a directory.
pub fn remove_any(path: &std::path::Path) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
            true
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
            false
        }
        Err(_) => false,
    }
}

/// The directories an extraction made (or found real) under its target,
/// as relative paths: the only parents it writes through. Whatever
/// replaces one of them (a symlink sent after a directory of the same
/// name) takes it and everything under it out, so nothing is written or
/// chmod-ed through the link. Holds: every path in the set is a real
/// directory, and so are its parents.
#[derive(Debug, Default)]
pub struct RealDirs(std::collections::HashSet<String>);

impl RealDirs {
    pub fn contains(&self, rel: &str) -> bool {
        self.0.contains(rel)
    }

    /// `dest/rel` made a real directory (whatever else was there goes);
    /// its parents must be in the set already.
    pub fn make(&mut self, dest: &std::path::Path, rel: &str) -> std::io::Result<()> {
        if !self.0.contains(rel) {
            real_dir(&dest.join(rel))?;
            self.0.insert(rel.to_string());
        }
        Ok(())
    }

    /// Every parent of `rel` made a real directory.
    pub fn make_parents(&mut self, dest: &std::path::Path, rel: &str) -> std::io::Result<()> {
        for (i, _) in rel.match_indices('/') {
            self.make(dest, &rel[..i])?;
        }
        Ok(())
    }

    /// Clears `dest/rel` for an entry that is not a directory.
    pub fn clear(&mut self, dest: &std::path::Path, rel: &str) {
        if remove_any(&dest.join(rel)) {
            let under = format!("{rel}/");
            self.0.retain(|d| d != rel && !d.starts_with(&under));
        }
    }
}

/// A file written under a temporary name beside `path` and renamed over
/// it on `commit`, so a failure never leaves a truncated file under the
/// name; the temporary file goes if it is dropped uncommitted.
pub struct PendingFile {
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    done: bool,
}

impl PendingFile {
    pub async fn create(path: &std::path::Path) -> std::io::Result<(PendingFile, tokio::fs::File)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.berth-{}", random_token()));
        let file = tokio::fs::File::create(&tmp).await?;
        let pending = PendingFile {
            tmp,
            path: path.to_path_buf(),
            done: false,
        };
        Ok((pending, file))
    }

    pub async fn commit(mut self, file: tokio::fs::File) -> std::io::Result<()> {
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&self.tmp, &self.path).await?;
        self.done = true;
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// docker's prune filters (`container prune`, `image prune`): `until=` (a
/// time, or a duration back from now) and `label=`/`label!=`.
#[derive(Debug, Default, Clone)]
pub struct PruneFilter {
    until: Option<SystemTime>,
    label: Vec<String>,
    not_label: Vec<String>,
}

impl PruneFilter {
    pub fn parse(filters: &[String], now: SystemTime) -> Result<PruneFilter, crate::error::Error> {
        let mut f = PruneFilter::default();
        for raw in filters {
            if let Some(v) = raw.strip_prefix("label!=") {
                f.not_label.push(v.to_string());
                continue;
            }
            match raw.split_once('=') {
                Some(("until", v)) => f.until = Some(parse_time_or_ago(v, now)?),
                Some(("label", v)) => f.label.push(v.to_string()),
                _ => {
                    return Err(crate::error::Error::invalid(format!(
                        "invalid filter '{raw}'"
                    )));
                }
            }
        }
        Ok(f)
    }

    /// `until=`, if given.
    pub fn until(&self) -> Option<SystemTime> {
        self.until
    }

    /// Whether something created then, with these labels, is pruned.
    pub fn matches(
        &self,
        created: Option<SystemTime>,
        labels: &std::collections::BTreeMap<String, String>,
    ) -> bool {
        let has = |l: &String| match l.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
            None => labels.contains_key(l),
        };
        self.until.is_none_or(|u| created.is_some_and(|c| c < u))
            && self.label.iter().all(has)
            && !self.not_label.iter().any(has)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_durations_like_docker() {
        let now = UNIX_EPOCH + Duration::from_secs(10_000);
        let t = |s| parse_time_or_ago(s, now).unwrap();
        assert_eq!(t("10m"), now - Duration::from_secs(600));
        assert_eq!(t("1h30m"), now - Duration::from_secs(5400));
        assert_eq!(
            t("1700000000"),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000)
        );
        assert_eq!(
            t("2024-01-01T00:00:00Z"),
            UNIX_EPOCH + Duration::from_secs(1_704_067_200)
        );
        assert_eq!(
            t("2024-01-01"),
            UNIX_EPOCH + Duration::from_secs(1_704_067_200)
        );
        assert_eq!(
            t("2024-01-01T00:00:00"),
            UNIX_EPOCH + Duration::from_secs(1_704_067_200)
        );
        assert!(parse_time_or_ago("yesterday", now).is_err());
        assert_eq!(parse_go_duration("300ms"), Some(Duration::from_millis(300)));
        assert_eq!(parse_go_duration("5x"), None);
    }

    #[test]
    fn identifiers() {
        assert!(validate_identifier("default").is_ok());
        assert!(validate_identifier("k8s.io").is_ok());
        assert!(validate_identifier("a-b_c.d9").is_ok());
        assert!(validate_identifier("").is_err());
        assert!(validate_identifier("-a").is_err());
        assert!(validate_identifier("a--b").is_err());
        assert!(validate_identifier("a-").is_err());
        assert!(validate_identifier("a/b").is_err());
        assert!(validate_identifier(&"a".repeat(77)).is_err());
    }

    #[test]
    fn short_ids() {
        assert_eq!(short_id("sha256:0123456789abcdef0123"), "0123456789ab");
        assert_eq!(short_id("0123456789abcdef"), "0123456789ab");
        assert_eq!(short_id("abc"), "abc");
    }

    #[test]
    fn random_ids_are_hex() {
        let id = random_hex_id();
        assert_eq!(id.len(), 64);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(id, random_hex_id());
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        let s = rfc3339_nanos(t);
        assert_eq!(s, "2023-11-14T22:13:20.123456789Z");
        assert_eq!(parse_rfc3339(&s), Some(t));
    }
}

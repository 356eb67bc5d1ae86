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

#[cfg(test)]
mod tests {
    use super::*;

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

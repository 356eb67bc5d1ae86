//! docker's size strings (go-units): a number, an optional multiple
//! (`k`, `m`, `g`, `t`, `p`) and an optional `b`/`ib`, in binary
//! (`RAMInBytes`: memory, shm, I/O rates) or decimal (`FromHumanSize`: the
//! json log's `max-size`) multiples.

use crate::error::{Error, Result};

/// docker's `units.RAMInBytes`: binary multiples (`512m`, `1g`, `1GiB`,
/// `1024`).
pub fn ram_in_bytes(s: &str) -> Result<i64> {
    Ok(parse(s, 1024)? as i64)
}

/// docker's `units.FromHumanSize`: decimal multiples (`10k` = 10000, `5m`,
/// `1g`), `512` plain.
pub fn from_human_size(s: &str) -> Result<u64> {
    Ok(parse(s, 1000)? as u64)
}

fn parse(s: &str, base: u64) -> Result<f64> {
    let bad = || Error::invalid(format!("invalid size: '{s}'"));
    let t = s.trim().to_ascii_lowercase();
    let t = t
        .strip_suffix("ib")
        .or_else(|| t.strip_suffix('b'))
        .unwrap_or(&t);
    let power = match t.chars().last() {
        Some('k') => 1,
        Some('m') => 2,
        Some('g') => 3,
        Some('t') => 4,
        Some('p') => 5,
        Some(c) if c.is_ascii_digit() => 0,
        _ => return Err(bad()),
    };
    let num = if power == 0 { t } else { &t[..t.len() - 1] };
    let n: f64 = num.trim_end().parse().map_err(|_| bad())?;
    if !n.is_finite() || n < 0.0 {
        return Err(bad());
    }
    Ok(n * base.pow(power) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_sizes_like_docker() {
        assert_eq!(ram_in_bytes("512m").unwrap(), 512 << 20);
        assert_eq!(ram_in_bytes("1g").unwrap(), 1 << 30);
        assert_eq!(ram_in_bytes("1GiB").unwrap(), 1 << 30);
        assert_eq!(ram_in_bytes("64MB").unwrap(), 64 << 20);
        assert_eq!(ram_in_bytes("1.5k").unwrap(), 1536);
        assert_eq!(ram_in_bytes("4096").unwrap(), 4096);
        assert!(ram_in_bytes("lots").is_err());
        assert!(ram_in_bytes("-1m").is_err());
        assert!(ram_in_bytes("").is_err());
    }

    #[test]
    fn decimal_sizes_like_docker() {
        assert_eq!(from_human_size("1m").unwrap(), 1_000_000);
        assert_eq!(from_human_size("512").unwrap(), 512);
        assert_eq!(from_human_size("1.5kb").unwrap(), 1500);
        assert_eq!(from_human_size("2MiB").unwrap(), 2_000_000);
        assert!(from_human_size("x").is_err());
    }
}

//! docker/go-units: human-readable durations and sizes.

use std::time::Duration;

use crate::gotmpl::format_g;

const DECIMAL: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/// `units.HumanDuration`, e.g. "About a minute", "3 hours", "2 weeks".
pub fn human_duration(d: Duration) -> String {
    // Go's Duration is int64 nanoseconds; its Seconds()/Minutes()/Hours()
    // split whole units from the remainder before converting to float.
    let nanos = d.as_nanos().min(i64::MAX as u128) as i64;
    let unit = |u: i64| (nanos / u) as f64 + (nanos % u) as f64 / u as f64;
    let seconds = unit(1_000_000_000) as i64;
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = unit(60_000_000_000) as i64;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // Hours are rounded to the nearest; everything after derives from them.
    let hours = (unit(3_600_000_000_000) + 0.5) as i64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", unit(3_600_000_000_000) as i64 / 24 / 365)
}

fn size_and_unit(mut size: f64, base: f64, units: &[&'static str]) -> (f64, &'static str) {
    let mut i = 0;
    while size >= base && i < units.len() - 1 {
        size /= base;
        i += 1;
    }
    (size, units[i])
}

/// `units.HumanSizeWithPrecision`: decimal units, `%.*g` formatting
/// (e.g. "1.23MB", "725kB", "0B").
pub fn human_size_with_precision(size: f64, precision: usize) -> String {
    let (v, unit) = size_and_unit(size, 1000.0, &DECIMAL);
    format!("{}{unit}", format_g(v, precision))
}

/// `units.HumanSize`: four significant digits.
pub fn human_size(size: f64) -> String {
    human_size_with_precision(size, 4)
}

/// `units.BytesSize`: binary units with four significant digits
/// (e.g. "1.5KiB", "17MiB"), as `docker stats` shows memory.
pub fn bytes_size(size: f64) -> String {
    let (v, unit) = size_and_unit(size, 1024.0, &BINARY);
    format!("{}{unit}", format_g(v, 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn durations() {
        assert_eq!(
            human_duration(Duration::from_millis(999)),
            "Less than a second"
        );
        assert_eq!(human_duration(secs(1)), "1 second");
        assert_eq!(human_duration(secs(59)), "59 seconds");
        assert_eq!(human_duration(secs(60)), "About a minute");
        assert_eq!(human_duration(secs(119)), "About a minute");
        assert_eq!(human_duration(secs(120)), "2 minutes");
        assert_eq!(human_duration(secs(3599)), "59 minutes");
        assert_eq!(human_duration(secs(3600)), "About an hour");
        assert_eq!(human_duration(secs(5399)), "About an hour");
        assert_eq!(human_duration(secs(5400)), "2 hours");
        assert_eq!(human_duration(secs(47 * 3600 + 1799)), "47 hours");
        assert_eq!(human_duration(secs(47 * 3600 + 1800)), "2 days");
        assert_eq!(human_duration(secs(14 * 86400 - 1801)), "13 days");
        assert_eq!(human_duration(secs(14 * 86400)), "2 weeks");
        assert_eq!(human_duration(secs(60 * 86400)), "2 months");
        assert_eq!(human_duration(secs(730 * 86400)), "2 years");
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size_with_precision(0.0, 3), "0B");
        assert_eq!(human_size_with_precision(1234567.0, 3), "1.23MB");
        assert_eq!(human_size_with_precision(4857600.0, 3), "4.86MB");
        assert_eq!(human_size_with_precision(725000.0, 3), "725kB");
        assert_eq!(human_size_with_precision(999.0, 3), "999B");
        assert_eq!(human_size_with_precision(1000.0, 3), "1kB");
        assert_eq!(human_size_with_precision(999_999.0, 3), "1e+03kB");
        assert_eq!(human_size(1e30), "1e+06YB");
        assert_eq!(human_size(2_746_000.0), "2.746MB");
        assert_eq!(bytes_size(1536.0), "1.5KiB");
        assert_eq!(bytes_size(17.0 * 1024.0 * 1024.0), "17MiB");
        assert_eq!(bytes_size(0.0), "0B");
    }
}

//! Container logs as docker keeps them: the json-file format (one JSON
//! object per line, rotated by size), written by berth's logger process
//! for detached containers and by berth itself for attached ones, and read
//! back by `logs` (tail from the end, time windows, follow across
//! rotation); plus the CRI format of Kubernetes containers.

pub mod cri;
pub mod jsonfile;
pub mod logger;
pub mod read;

use std::time::SystemTime;

use crate::error::{Error, Result};

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// One log record: a line (with its newline) or a partial line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub stream: Stream,
    pub time: SystemTime,
    pub line: Vec<u8>,
}

/// How a container's output is kept (`--log-driver`, `--log-opt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogConfig {
    pub driver: Driver,
    /// Rotate when the file would grow past this many bytes (None: never).
    pub max_size: Option<u64>,
    /// Files kept, the current one included (docker's default 1).
    pub max_file: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    JsonFile,
    None,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            driver: Driver::JsonFile,
            max_size: None,
            max_file: 1,
        }
    }
}

/// The other log drivers docker has (berth writes json-file or nothing).
const DOCKER_DRIVERS: &[&str] = &[
    "local",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "etwlogs",
    "gcplogs",
    "logentries",
];

impl Driver {
    /// The driver docker's `--log-driver` names ("" is json-file).
    pub fn named(name: &str) -> Result<Driver> {
        match name {
            "json-file" | "" => Ok(Driver::JsonFile),
            "none" => Ok(Driver::None),
            other if DOCKER_DRIVERS.contains(&other) => Err(Error::unsupported(format!(
                "log driver {other:?} is not supported yet: use json-file or none"
            ))),
            other => Err(Error::invalid(format!(
                "error looking up logging plugin {other}: plugin \"{other}\" not found"
            ))),
        }
    }
}

impl LogConfig {
    /// `--log-driver` and `--log-opt k=v` as docker takes them.
    pub fn parse(driver: Option<&str>, opts: &[String]) -> Result<LogConfig> {
        LogConfig::for_driver(Driver::named(driver.unwrap_or(""))?, opts)
    }

    /// `driver` with the options `--log-opt k=v`, checked.
    pub fn for_driver(driver: Driver, opts: &[String]) -> Result<LogConfig> {
        let mut cfg = LogConfig {
            driver,
            ..Default::default()
        };
        for opt in opts {
            let (k, v) = opt.split_once('=').ok_or_else(|| {
                Error::invalid(format!("invalid log option {opt:?}: expected key=value"))
            })?;
            if cfg.driver == Driver::None {
                return Err(Error::invalid(format!(
                    "log option {k} is not valid for the none log driver"
                )));
            }
            match k {
                "max-size" => cfg.max_size = Some(parse_size(v)?),
                "max-file" => {
                    cfg.max_file = v
                        .parse::<u32>()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| Error::invalid(format!("invalid max-file {v:?}")))?
                }
                other => {
                    return Err(Error::unsupported(format!(
                        "log option {other:?} is not supported yet: use max-size or max-file"
                    )));
                }
            }
        }
        if cfg.max_file > 1 && cfg.max_size.is_none() {
            return Err(Error::invalid("max-file cannot be used without max-size"));
        }
        Ok(cfg)
    }
}

/// `max-size`: docker's decimal size, at least one byte.
fn parse_size(s: &str) -> Result<u64> {
    match crate::units::from_human_size(s)? {
        0 => Err(Error::invalid(format!("invalid size: '{s}'"))),
        n => Ok(n),
    }
}

/// The file a container's json log lives in, in its directory.
pub fn json_log_name(id: &str) -> String {
    format!("{id}-json.log")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_options_like_docker() {
        let c = LogConfig::parse(None, &["max-size=10k".into(), "max-file=3".into()]).unwrap();
        assert_eq!((c.max_size, c.max_file), (Some(10_000), 3));
        assert_eq!(
            LogConfig::parse(Some("none"), &[]).unwrap().driver,
            Driver::None
        );
        assert!(LogConfig::parse(Some("syslog"), &[]).is_err());
        assert!(LogConfig::parse(None, &["max-file=2".into()]).is_err());
        assert!(LogConfig::parse(None, &["compress=true".into()]).is_err());
        assert!(LogConfig::parse(None, &["max-size".into()]).is_err());
        assert_eq!(parse_size("1.5kb").unwrap(), 1500);
        assert!(parse_size("0").is_err());
    }
}

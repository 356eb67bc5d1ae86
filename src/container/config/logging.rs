//! `--log-driver` and `--log-opt`: docker's `LogConfig` (the options kept
//! as given, `max-size=10m`), checked as docker's daemon does when it sets
//! up the driver, and read as the rotation berth's logger applies.

use clap::Args;

use crate::container::model::{CreateRequest, LogConfig};
use crate::error::{Error, Result};
use crate::logs;

#[derive(Args, Debug, Clone, Default)]
pub struct LogFlags {
    /// Logging driver for the container (json-file or none)
    #[arg(long = "log-driver", value_name = "DRIVER")]
    pub log_driver: Option<String>,
    /// Log driver options (max-size=SIZE, max-file=N)
    #[arg(long = "log-opt", value_name = "KEY=VALUE")]
    pub log_opt: Vec<String>,
}

impl LogFlags {
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let kind = self.log_driver.clone().unwrap_or_default();
        if kind == "none" && !self.log_opt.is_empty() {
            return Err(Error::invalid("invalid logging opts for driver none").cli());
        }
        req.host_config.log_config = LogConfig {
            kind,
            config: self
                .log_opt
                .iter()
                .map(|o| {
                    let (k, v) = o.split_once('=').unwrap_or((o, ""));
                    (k.to_string(), v.to_string())
                })
                .collect(),
        };
        Ok(())
    }
}

/// docker's default driver for an unset `Type`.
pub fn with_default(mut c: LogConfig) -> LogConfig {
    if c.kind.is_empty() {
        c.kind = "json-file".into();
    }
    c
}

/// The driver's settings, as docker's daemon checks them: the driver
/// looked up, then its options, a bad one in the words of a driver that
/// failed to start.
pub fn check(c: &LogConfig) -> Result<logs::LogConfig> {
    let driver = logs::Driver::named(&c.kind)?;
    let opts: Vec<String> = c.config.iter().map(|(k, v)| format!("{k}={v}")).collect();
    logs::LogConfig::for_driver(driver, &opts).map_err(|e| match e.kind() {
        crate::ErrorKind::InvalidArgument => Error::invalid(format!(
            "failed to initialize logging driver: {}",
            e.message()
        )),
        _ => e,
    })
}

/// What berth's logger does for the container (checked at creation).
pub fn runtime(c: &LogConfig) -> logs::LogConfig {
    check(c).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_as_given_and_checked_like_docker() {
        let mut r = CreateRequest::default();
        LogFlags {
            log_driver: None,
            log_opt: vec!["max-size=10m".into(), "max-file=3".into()],
        }
        .apply(&mut r)
        .unwrap();
        let c = with_default(r.host_config.log_config.clone());
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"Type": "json-file", "Config": {"max-file": "3", "max-size": "10m"}})
        );
        assert_eq!(runtime(&c).max_size, Some(10_000_000));
        let bad = LogConfig {
            kind: "json-file".into(),
            config: [("max-size".to_string(), "x".to_string())].into(),
        };
        assert_eq!(
            check(&bad).unwrap_err().message(),
            "failed to initialize logging driver: invalid size: 'x'"
        );
        let bogus = LogConfig {
            kind: "bogus".into(),
            ..Default::default()
        };
        assert_eq!(
            check(&bogus).unwrap_err().message(),
            "error looking up logging plugin bogus: plugin \"bogus\" not found"
        );
    }
}

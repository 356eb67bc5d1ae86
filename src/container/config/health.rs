//! `--health-cmd`, `--health-interval`, `--health-timeout`,
//! `--health-retries`, `--health-start-period`, `--health-start-interval`,
//! `--no-healthcheck`: docker's `Config.Healthcheck` as its CLI fills it,
//! its daemon's checks, and the merge with the image's `HEALTHCHECK`.
//! The checks themselves run in `ops::health`.

use std::time::Duration;

use clap::Args;

use crate::container::model::{Config, CreateRequest, HealthConfig};
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone, Default)]
pub struct HealthFlags {
    /// Command to run to check health
    #[arg(long = "health-cmd", value_name = "string")]
    pub cmd: Option<String>,
    /// Time between running the check (ms|s|m|h) (default 0s)
    #[arg(
        long = "health-interval",
        value_name = "duration",
        allow_hyphen_values = true
    )]
    pub interval: Option<String>,
    /// Consecutive failures needed to report unhealthy
    #[arg(
        long = "health-retries",
        value_name = "int",
        allow_negative_numbers = true
    )]
    pub retries: Option<i64>,
    /// Maximum time to allow one check to run (ms|s|m|h) (default 0s)
    #[arg(
        long = "health-timeout",
        value_name = "duration",
        allow_hyphen_values = true
    )]
    pub timeout: Option<String>,
    /// Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)
    #[arg(
        long = "health-start-period",
        value_name = "duration",
        allow_hyphen_values = true
    )]
    pub start_period: Option<String>,
    /// Time between running the check during the start period (ms|s|m|h) (default 0s)
    #[arg(
        long = "health-start-interval",
        value_name = "duration",
        allow_hyphen_values = true
    )]
    pub start_interval: Option<String>,
    /// Disable any container-specified HEALTHCHECK
    #[arg(long = "no-healthcheck")]
    pub no_healthcheck: bool,
}

/// A Go duration flag in nanoseconds; negative values are kept for the
/// caller's check.
fn nanos(flag: &str, value: Option<&str>) -> Result<i64> {
    let Some(v) = value else { return Ok(0) };
    let (sign, text) = match v.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, v.strip_prefix('+').unwrap_or(v)),
    };
    let d = match text {
        "0" => Some(Duration::ZERO),
        t => crate::util::parse_go_duration(t),
    }
    .ok_or_else(|| {
        Error::invalid(format!(
            "invalid argument \"{v}\" for \"--{flag}\" flag: time: invalid duration \"{v}\""
        ))
        .cli()
    })?;
    Ok(sign * d.as_nanos().min(i64::MAX as u128) as i64)
}

impl HealthFlags {
    /// Fills `Config.Healthcheck` as docker's CLI does.
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let h = HealthConfig {
            test: Vec::new(),
            interval: nanos("health-interval", self.interval.as_deref())?,
            timeout: nanos("health-timeout", self.timeout.as_deref())?,
            start_period: nanos("health-start-period", self.start_period.as_deref())?,
            start_interval: nanos("health-start-interval", self.start_interval.as_deref())?,
            retries: self.retries.unwrap_or(0),
        };
        let cmd = self.cmd.as_deref().unwrap_or("");
        let any = !cmd.is_empty() || h != HealthConfig::default();
        if self.no_healthcheck {
            if any {
                return Err(
                    Error::invalid("--no-healthcheck conflicts with --health-* options").cli(),
                );
            }
            req.config.healthcheck = Some(HealthConfig {
                test: vec!["NONE".into()],
                ..Default::default()
            });
            return Ok(());
        }
        if !any {
            return Ok(());
        }
        for (name, v) in [
            ("interval", h.interval),
            ("timeout", h.timeout),
            ("retries", h.retries),
            ("start-period", h.start_period),
            ("start-interval", h.start_interval),
        ] {
            if v < 0 {
                return Err(Error::invalid(format!("--health-{name} cannot be negative")).cli());
            }
        }
        req.config.healthcheck = Some(HealthConfig {
            test: match cmd {
                "" => Vec::new(),
                c => vec!["CMD-SHELL".into(), c.into()],
            },
            ..h
        });
        Ok(())
    }
}

/// docker's shortest interval, timeout and periods.
const MINIMUM: i64 = 1_000_000;

/// docker's daemon checks of `Config.Healthcheck`.
pub fn check(c: &Config) -> Result<()> {
    let Some(h) = &c.healthcheck else {
        return Ok(());
    };
    for (name, v) in [
        ("Interval", h.interval),
        ("Timeout", h.timeout),
        ("StartPeriod", h.start_period),
        ("StartInterval", h.start_interval),
    ] {
        if v != 0 && v < MINIMUM {
            return Err(Error::invalid(format!(
                "{name} in Healthcheck cannot be less than 1ms"
            )));
        }
    }
    if h.retries < 0 {
        return Err(Error::invalid("Retries in Healthcheck cannot be negative"));
    }
    Ok(())
}

/// docker's daemon merge with the image's `HEALTHCHECK`: what the
/// container leaves unset (an empty test, zero durations) comes from it.
pub fn merge(c: &mut Config, image: Option<&serde_json::Value>) {
    let Some(image) = image.and_then(|v| serde_json::from_value::<HealthConfig>(v.clone()).ok())
    else {
        return;
    };
    let Some(own) = &mut c.healthcheck else {
        c.healthcheck = Some(image);
        return;
    };
    if own.test.is_empty() {
        own.test = image.test;
    }
    for (mine, theirs) in [
        (&mut own.interval, image.interval),
        (&mut own.timeout, image.timeout),
        (&mut own.start_period, image.start_period),
        (&mut own.start_interval, image.start_interval),
        (&mut own.retries, image.retries),
    ] {
        if *mine == 0 {
            *mine = theirs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(f: impl FnOnce(&mut HealthFlags)) -> Result<Option<HealthConfig>> {
        let mut h = HealthFlags::default();
        f(&mut h);
        let mut req = CreateRequest::default();
        h.apply(&mut req)?;
        Ok(req.config.healthcheck)
    }

    #[test]
    fn flags_fill_dockers_config() {
        assert_eq!(flags(|_| {}).unwrap(), None);
        let h = flags(|h| {
            h.cmd = Some("test -f /ok".into());
            h.interval = Some("1s".into());
            h.retries = Some(2);
            h.start_period = Some("1m30s".into());
        })
        .unwrap()
        .unwrap();
        assert_eq!(h.test, ["CMD-SHELL", "test -f /ok"]);
        assert_eq!((h.interval, h.retries), (1_000_000_000, 2));
        assert_eq!(h.start_period, 90_000_000_000);
        // Timings alone: the test comes from the image.
        let h = flags(|h| h.timeout = Some("500ms".into()))
            .unwrap()
            .unwrap();
        assert!(h.test.is_empty());
        assert_eq!(h.timeout, 500_000_000);
        let none = flags(|h| h.no_healthcheck = true).unwrap().unwrap();
        assert_eq!(none.test, ["NONE"]);
    }

    #[test]
    fn dockers_refusals() {
        let msg = |r: Result<Option<HealthConfig>>| r.unwrap_err().message().to_string();
        assert_eq!(
            msg(flags(|h| {
                h.no_healthcheck = true;
                h.cmd = Some("true".into());
            })),
            "--no-healthcheck conflicts with --health-* options"
        );
        assert_eq!(
            msg(flags(|h| h.interval = Some("-1s".into()))),
            "--health-interval cannot be negative"
        );
        assert_eq!(
            msg(flags(|h| h.retries = Some(-1))),
            "--health-retries cannot be negative"
        );
        assert!(msg(flags(|h| h.timeout = Some("soon".into()))).contains("invalid duration"));
        let c = Config {
            healthcheck: Some(HealthConfig {
                interval: 500_000,
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            check(&c).unwrap_err().message(),
            "Interval in Healthcheck cannot be less than 1ms"
        );
    }

    #[test]
    fn the_image_fills_what_the_container_leaves_unset() {
        let image = serde_json::json!({"Test": ["CMD", "check"], "Interval": 5, "Retries": 7});
        let mut c = Config::default();
        merge(&mut c, Some(&image));
        assert_eq!(c.healthcheck.as_ref().unwrap().test, ["CMD", "check"]);
        let mut c = Config {
            healthcheck: Some(HealthConfig {
                interval: 9,
                ..Default::default()
            }),
            ..Default::default()
        };
        merge(&mut c, Some(&image));
        let h = c.healthcheck.unwrap();
        assert_eq!((h.test.len(), h.interval, h.retries), (2, 9, 7));
    }
}

//! `--restart` and `--rm`: docker's restart policy (its grammar, its
//! checks, its words) and auto-removal, which exclude each other. Carried
//! out by containerd's restart monitor (`ops/monitor.rs`).

use clap::Args;

use crate::container::model::{CreateRequest, HostConfig, RestartPolicy, RestartPolicyMode};
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone, Default)]
pub struct RestartFlags {
    /// Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
    /// Automatically remove the container when it exits
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub rm: bool,
}

impl RestartFlags {
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let h = &mut req.host_config;
        h.auto_remove = self.rm;
        let Some(p) = &self.restart else {
            return Ok(());
        };
        // docker's CLI says this before its daemon looks at the policy.
        let name = p.split(':').next().unwrap_or_default();
        if self.rm && !matches!(name, "" | "no") {
            return Err(Error::invalid(
                "conflicting options: cannot specify both --restart and --rm",
            )
            .cli());
        }
        h.restart_policy = parse(p)?;
        Ok(())
    }
}

/// `--restart`: `no`, `always`, `unless-stopped`, `on-failure[:N]`. The
/// format is docker's CLI's to check, the name and count its daemon's.
pub fn parse(s: &str) -> Result<RestartPolicy> {
    let (name, count) = match s.split_once(':') {
        Some(("", _)) => {
            return Err(Error::invalid(
                "invalid restart policy format: no policy provided before colon",
            )
            .cli());
        }
        Some((n, c)) => (n, c),
        None => (s, ""),
    };
    let maximum_retry_count = match count {
        "" => 0,
        c => c.parse::<i64>().map_err(|_| {
            Error::invalid("invalid restart policy format: maximum retry count must be an integer")
                .cli()
        })?,
    };
    let policy = RestartPolicy {
        name: name.parse()?,
        maximum_retry_count,
    };
    check(&policy)?;
    Ok(policy)
}

/// docker's daemon's checks of a policy.
pub fn check(p: &RestartPolicy) -> Result<()> {
    match (p.name, p.maximum_retry_count) {
        (RestartPolicyMode::OnFailure, n) if n < 0 => Err(Error::invalid(
            "invalid restart policy: maximum retry count cannot be negative",
        )),
        (RestartPolicyMode::OnFailure, _) | (_, 0) => Ok(()),
        (_, n) => Err(Error::invalid(format!(
            "invalid restart policy: maximum retry count can only be used with 'on-failure'{}",
            if n < 0 { " and cannot be negative" } else { "" }
        ))),
    }
}

/// The daemon's checks of the pair.
pub fn check_host(h: &HostConfig) -> Result<()> {
    check(&h.restart_policy)?;
    if h.auto_remove && !h.restart_policy.is_none() {
        return Err(Error::invalid(
            "conflicting options: cannot specify both --restart and --rm",
        ));
    }
    Ok(())
}

/// The restart monitor's `containerd.io/restart.policy` value.
pub fn monitor_label(p: &RestartPolicy) -> String {
    match (p.name, p.maximum_retry_count) {
        (RestartPolicyMode::OnFailure, n) if n > 0 => format!("on-failure:{n}"),
        (name, _) => name.as_str().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_policies() {
        assert_eq!(monitor_label(&parse("always").unwrap()), "always");
        assert_eq!(
            monitor_label(&parse("unless-stopped").unwrap()),
            "unless-stopped"
        );
        assert_eq!(monitor_label(&parse("on-failure").unwrap()), "on-failure");
        let n = parse("on-failure:3").unwrap();
        assert_eq!(
            (n.name, n.maximum_retry_count),
            (RestartPolicyMode::OnFailure, 3)
        );
        assert_eq!(monitor_label(&n), "on-failure:3");
        assert!(parse("no").unwrap().is_none());
        assert!(parse("").unwrap().is_none());
    }

    #[test]
    fn errors_are_dockers() {
        assert_eq!(
            parse("sometimes").unwrap_err().to_string(),
            "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
        );
        assert_eq!(
            parse("always:3").unwrap_err().to_string(),
            "invalid restart policy: maximum retry count can only be used with 'on-failure'"
        );
        let format = parse("on-failure:x").unwrap_err();
        assert!(format.is_cli() && format.message().contains("must be an integer"));
        assert!(
            parse("on-failure:-1")
                .unwrap_err()
                .to_string()
                .contains("cannot be negative")
        );
        let both = RestartFlags {
            restart: Some("always".into()),
            rm: true,
        }
        .apply(&mut CreateRequest::default())
        .unwrap_err();
        assert!(both.is_cli());
        assert_eq!(
            both.message(),
            "conflicting options: cannot specify both --restart and --rm"
        );
    }
}

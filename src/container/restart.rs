//! docker's restart policies through containerd's restart monitor, which
//! polls for containers labelled `containerd.io/restart.status=running`
//! and starts a new task for each whose task is not running (1.7+ first
//! asks `restart.policy`).
//!
//! The labels go on only once berth's own start has happened (else the
//! monitor could start the task first), and come off before an explicit
//! stop or kill, so a stopped container stays stopped whatever its policy
//! (nerdctl's `always` containers come back: its issues #2991/#5153).
//! `start` and `restart` arm them again.

use std::collections::HashMap;

use super::config::RestartPolicy;
use super::record::ContainerRecord;
use super::{labels, lifecycle};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::server::Feature;

pub const STATUS: &str = "containerd.io/restart.status";
pub const POLICY: &str = "containerd.io/restart.policy";
pub const LOG_URI: &str = "containerd.io/restart.loguri";
pub const EXPLICITLY_STOPPED: &str = "containerd.io/restart.explicitly-stopped";

/// Labels that are containerd's bookkeeping, not the user's.
pub fn is_monitor_label(key: &str) -> bool {
    key.starts_with("containerd.io/restart.")
}

impl RestartPolicy {
    /// `--restart`: `no`, `always`, `unless-stopped`, `on-failure[:N]`.
    pub fn parse(s: &str) -> Result<RestartPolicy> {
        let (name, count) = match s.split_once(':') {
            Some((n, c)) => (n, Some(c)),
            None => (s, None),
        };
        let max = match count {
            None => 0,
            Some(c) => match c.parse::<i64>() {
                Ok(n) if n < 0 => {
                    return Err(Error::invalid(
                        "invalid restart policy: maximum retry count cannot be negative",
                    ));
                }
                Ok(n) => n as u32,
                Err(_) => {
                    return Err(Error::invalid(
                        "invalid restart policy format: maximum retry count must be an integer",
                    ));
                }
            },
        };
        match name {
            "" | "no" | "always" | "unless-stopped" if max > 0 || count.is_some() => {
                Err(Error::invalid(
                    "invalid restart policy: maximum retry count can only be used with 'on-failure'",
                ))
            }
            "" | "no" | "always" | "unless-stopped" | "on-failure" => Ok(RestartPolicy {
                name: if name.is_empty() { "no" } else { name }.to_string(),
                maximum_retry_count: max,
            }),
            other => Err(Error::invalid(format!(
                "invalid restart policy: unknown policy '{other}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
            ))),
        }
    }

    /// The monitor's `restart.policy` value.
    pub fn label(&self) -> String {
        match (self.name.as_str(), self.maximum_retry_count) {
            ("on-failure", n) if n > 0 => format!("on-failure:{n}"),
            (name, _) => name.to_string(),
        }
    }
}

/// Whether the connected containerd can keep this policy (for a container
/// with a terminal when `tty`).
pub async fn check(client: &Client, policy: &RestartPolicy, tty: bool) -> Result<()> {
    if policy.is_none() {
        return Ok(());
    }
    let server = client.server().await?;
    if !server.restart_monitor {
        return Err(Error::unsupported(format!(
            "--restart={} needs containerd's restart monitor, which is not loaded in the connected containerd",
            policy.label()
        ))
        .hinted("enable the io.containerd.*.restart plugin in containerd's config"));
    }
    if policy.name == "on-failure" {
        server.require(Feature::RestartPolicies)?;
    }
    if tty {
        server.require(Feature::RestartWithTerminal)?;
    }
    Ok(())
}

/// The labels that hand a started container to the monitor (empty for
/// `no`). `log_uri`: where restarted tasks' output goes.
pub fn arm_labels(policy: &RestartPolicy, log_uri: Option<&str>) -> HashMap<String, String> {
    if policy.is_none() {
        return HashMap::new();
    }
    let mut set = HashMap::from([
        (STATUS.to_string(), "running".to_string()),
        (POLICY.to_string(), policy.label()),
        (EXPLICITLY_STOPPED.to_string(), "false".to_string()),
    ]);
    if let Some(uri) = log_uri {
        set.insert(LOG_URI.to_string(), uri.to_string());
    }
    set
}

/// Takes the container from the monitor before an explicit stop or kill;
/// a no-op for a container it does not watch.
pub async fn disarm(client: &Client, rec: &ContainerRecord) -> Result<()> {
    if !rec.restart_armed {
        return Ok(());
    }
    lifecycle::update_labels(
        client,
        &rec.id,
        HashMap::from([(EXPLICITLY_STOPPED.to_string(), "true".to_string())]),
        &[STATUS],
    )
    .await
}

/// Hands a running container to the monitor again (`update --restart`).
pub async fn rearm(
    client: &Client,
    id: &str,
    policy: &RestartPolicy,
    log_uri: Option<&str>,
) -> Result<()> {
    if policy.is_none() {
        return lifecycle::update_labels(client, id, HashMap::new(), &[STATUS, POLICY]).await;
    }
    lifecycle::update_labels(client, id, arm_labels(policy, log_uri), &[]).await
}

/// The restart monitor's count of restarts, where it keeps one (1.7+).
pub fn count(labels: &HashMap<String, String>) -> u64 {
    labels
        .get(labels::RESTART_COUNT)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<RestartPolicy> {
        RestartPolicy::parse(s)
    }

    #[test]
    fn parses_docker_policies() {
        assert_eq!(p("always").unwrap().label(), "always");
        assert_eq!(p("unless-stopped").unwrap().label(), "unless-stopped");
        assert_eq!(p("on-failure").unwrap().label(), "on-failure");
        let n = p("on-failure:3").unwrap();
        assert_eq!((n.name.as_str(), n.maximum_retry_count), ("on-failure", 3));
        assert_eq!(n.label(), "on-failure:3");
        assert!(p("no").unwrap().is_none());
        assert!(p("").unwrap().is_none());
    }

    #[test]
    fn errors_are_dockers() {
        assert_eq!(
            p("sometimes").unwrap_err().to_string(),
            "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
        );
        assert!(
            p("always:3")
                .unwrap_err()
                .to_string()
                .contains("only be used with 'on-failure'")
        );
        assert!(
            p("on-failure:x")
                .unwrap_err()
                .to_string()
                .contains("must be an integer")
        );
        assert!(
            p("on-failure:-1")
                .unwrap_err()
                .to_string()
                .contains("cannot be negative")
        );
    }

    #[test]
    fn labels_for_the_monitor() {
        assert!(arm_labels(&p("no").unwrap(), Some("binary:///b")).is_empty());
        let l = arm_labels(&p("on-failure:2").unwrap(), Some("binary:///b?x=1"));
        assert_eq!(l[STATUS], "running");
        assert_eq!(l[POLICY], "on-failure:2");
        assert_eq!(l[LOG_URI], "binary:///b?x=1");
        assert_eq!(l[EXPLICITLY_STOPPED], "false");
        assert!(is_monitor_label(STATUS) && !is_monitor_label("containerd.io/other"));
    }
}

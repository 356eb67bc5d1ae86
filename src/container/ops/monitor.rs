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

use crate::client::Client;
use crate::container::config::restart::monitor_label;
use crate::container::model::{RestartPolicy, RestartPolicyMode};
use crate::container::store::labels::{
    RESTART_EXPLICITLY_STOPPED, RESTART_LOG_URI, RESTART_POLICY, RESTART_STATUS,
};
use crate::container::store::{self, record::ContainerRecord};
use crate::error::{Error, Result};
use crate::server::Feature;

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
            monitor_label(policy)
        ))
        .hinted("enable the io.containerd.*.restart plugin in containerd's config"));
    }
    if policy.name == RestartPolicyMode::OnFailure {
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
        (RESTART_STATUS.to_string(), "running".to_string()),
        (RESTART_POLICY.to_string(), monitor_label(policy)),
        (RESTART_EXPLICITLY_STOPPED.to_string(), "false".to_string()),
    ]);
    if let Some(uri) = log_uri {
        set.insert(RESTART_LOG_URI.to_string(), uri.to_string());
    }
    set
}

/// Takes the container from the monitor before an explicit stop or kill;
/// a no-op for a container it does not watch.
pub async fn disarm(client: &Client, rec: &ContainerRecord) -> Result<()> {
    if !rec.restart_armed {
        return Ok(());
    }
    store::update_labels(
        client,
        &rec.id,
        HashMap::from([(RESTART_EXPLICITLY_STOPPED.to_string(), "true".to_string())]),
        &[RESTART_STATUS],
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
        return store::update_labels(
            client,
            id,
            HashMap::new(),
            &[RESTART_STATUS, RESTART_POLICY],
        )
        .await;
    }
    store::update_labels(client, id, arm_labels(policy, log_uri), &[]).await
}

/// The container's policy (none for other tools' containers).
pub fn policy(rec: &ContainerRecord) -> RestartPolicy {
    rec.stored
        .as_ref()
        .map(|s| s.host_config.restart_policy.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::config::restart::parse;

    #[test]
    fn labels_for_the_monitor() {
        assert!(arm_labels(&parse("no").unwrap(), Some("binary:///b")).is_empty());
        let l = arm_labels(&parse("on-failure:2").unwrap(), Some("binary:///b?x=1"));
        assert_eq!(l[RESTART_STATUS], "running");
        assert_eq!(l[RESTART_POLICY], "on-failure:2");
        assert_eq!(l[RESTART_LOG_URI], "binary:///b?x=1");
        assert_eq!(l[RESTART_EXPLICITLY_STOPPED], "false");
    }
}

//! What the connected containerd is and can do, detected once per
//! invocation (lazily: only verbs that need it pay for it) from the Version
//! and Introspection services. Features check it and fail with one line
//! naming the version they need, never with a raw gRPC "unimplemented".

use containerd_client::services::v1::PluginsRequest;

use crate::client::Client;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Default)]
pub struct ServerVersion {
    pub version: String,
    pub revision: String,
}

pub async fn server_version(client: &Client) -> Result<ServerVersion> {
    let v = client.version().version(()).await?.into_inner();
    Ok(ServerVersion {
        version: v.version,
        revision: v.revision,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerInfo {
    /// As containerd reports it, e.g. `1.6.20~ds1`.
    pub version: String,
    pub revision: String,
    /// Parsed major, minor, patch (0s when unparseable).
    pub semver: (u32, u32, u32),
    /// The restart monitor plugin is loaded.
    pub restart_monitor: bool,
    /// Restart policies the monitor supports (1.7+ reports them; 1.6's
    /// monitor only knows "always restart").
    pub restart_policies: Vec<String>,
    /// The Transfer service (1.7+) is available.
    pub transfer: bool,
    /// What berth's snapshotter advertises (2.2+: `rebase`, so layers can
    /// be applied side by side and given their parent at commit).
    pub snapshotter_capabilities: Vec<String>,
    /// The snapshotter's root directory, as the daemon sees it.
    pub snapshotter_root: Option<String>,
}

/// Things berth does that not every containerd can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// `--restart on-failure[:N]` (1.6's monitor restarts whatever the exit).
    RestartPolicies,
    /// The monitor restarting a task with a terminal (before 2.0 it
    /// restarts it without one, which runc refuses).
    RestartWithTerminal,
    /// Server-side pull/push/import through the Transfer service.
    TransferService,
}

impl Feature {
    pub fn describe(self) -> &'static str {
        match self {
            Feature::RestartPolicies => "on-failure restart policies",
            Feature::RestartWithTerminal => "restart policies for containers with a terminal (-t)",
            Feature::TransferService => "containerd's Transfer service",
        }
    }

    pub fn min_version(self) -> &'static str {
        match self {
            Feature::RestartPolicies | Feature::TransferService => "1.7",
            Feature::RestartWithTerminal => "2.0",
        }
    }
}

impl ServerInfo {
    pub fn supports(&self, f: Feature) -> bool {
        match f {
            Feature::RestartPolicies => self.restart_policies.iter().any(|p| p == "on-failure"),
            Feature::TransferService => self.transfer,
            Feature::RestartWithTerminal => self.semver.0 >= 2,
        }
    }

    /// Ok, or the one-line error naming the version the feature needs.
    pub fn require(&self, f: Feature) -> Result<()> {
        if self.supports(f) {
            return Ok(());
        }
        Err(Error::unsupported(format!(
            "{} need containerd {} or newer; the connected containerd is {}",
            f.describe(),
            f.min_version(),
            self.version
        )))
    }
}

/// `1.6.20~ds1`, `v2.3.7+unknown`, `1.7.35` -> (major, minor, patch).
pub fn parse_semver(v: &str) -> (u32, u32, u32) {
    let v = v.trim_start_matches('v');
    let mut nums = v.split(['.', '-', '+', '~']).take(3).map(|p| {
        p.chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    });
    (
        nums.next().unwrap_or(0),
        nums.next().unwrap_or(0),
        nums.next().unwrap_or(0),
    )
}

/// Two calls, made concurrently: Version, and the plugins that matter.
pub async fn detect(client: &Client) -> Result<ServerInfo> {
    let filters = vec![
        // 1.6/1.7: io.containerd.internal.v1.restart; 2.x: io.containerd.monitor.container.v1.restart
        "id==restart".to_string(),
        "type==io.containerd.grpc.v1,id==transfer".to_string(),
        format!(
            "type==io.containerd.snapshotter.v1,id=={}",
            client.snapshotter()
        ),
    ];
    let (version, plugins) = tokio::try_join!(server_version(client), async {
        Ok::<_, Error>(
            client
                .introspection()
                .plugins(PluginsRequest { filters })
                .await?
                .into_inner()
                .plugins,
        )
    })?;
    let loaded = |p: &&containerd_client::services::v1::Plugin| p.init_err.is_none();
    let restart = plugins.iter().filter(loaded).find(|p| p.id == "restart");
    let snapshotter = plugins
        .iter()
        .filter(loaded)
        .find(|p| p.r#type == "io.containerd.snapshotter.v1");
    Ok(ServerInfo {
        semver: parse_semver(&version.version),
        version: version.version,
        revision: version.revision,
        restart_monitor: restart.is_some(),
        restart_policies: restart.map(|p| p.capabilities.clone()).unwrap_or_default(),
        transfer: plugins.iter().filter(loaded).any(|p| p.id == "transfer"),
        snapshotter_capabilities: snapshotter
            .map(|p| p.capabilities.clone())
            .unwrap_or_default(),
        snapshotter_root: snapshotter.and_then(|p| p.exports.get("root").cloned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_semver("1.6.20~ds1"), (1, 6, 20));
        assert_eq!(parse_semver("v2.3.7+unknown"), (2, 3, 7));
        assert_eq!(parse_semver("1.7.35"), (1, 7, 35));
        assert_eq!(parse_semver("2.0.0-rc.1"), (2, 0, 0));
        assert_eq!(parse_semver("garbage"), (0, 0, 0));
    }

    #[test]
    fn requirements_name_the_version() {
        let old = ServerInfo {
            version: "1.6.20".into(),
            restart_monitor: true,
            ..Default::default()
        };
        let e = old.require(Feature::RestartPolicies).unwrap_err();
        assert_eq!(
            e.message(),
            "on-failure restart policies need containerd 1.7 or newer; the connected containerd is 1.6.20"
        );
        assert!(old.require(Feature::TransferService).is_err());
        assert!(old.require(Feature::RestartWithTerminal).is_err());
        let new = ServerInfo {
            version: "2.3.7".into(),
            semver: (2, 3, 7),
            restart_policies: vec![
                "no".into(),
                "always".into(),
                "on-failure".into(),
                "unless-stopped".into(),
            ],
            transfer: true,
            ..Default::default()
        };
        assert!(new.require(Feature::RestartPolicies).is_ok());
        assert!(new.require(Feature::TransferService).is_ok());
        assert!(new.require(Feature::RestartWithTerminal).is_ok());
    }
}

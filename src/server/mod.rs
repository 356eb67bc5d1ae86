//! What the connected containerd is and can do, detected once per
//! invocation (lazily: only verbs that need it pay for it) from the Version
//! and Introspection services. Features check it and fail with one line
//! naming the version they need, never with a raw gRPC "unimplemented".

use containerd_client::services::v1::PluginsRequest;

pub mod info;

pub use info::{Feature, ServerInfo, parse_semver};

use crate::client::Client;
use crate::error::{Error, Result};

impl Client {
    /// What the connected containerd is and supports (detected once).
    pub async fn server(&self) -> Result<&ServerInfo> {
        self.server_cell().get_or_try_init(|| detect(self)).await
    }
}

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

//! What a containerd is and can do, as detected: plain data and the
//! checks of what a feature needs (the detection is `server::detect`).

use crate::error::{Error, Result};

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

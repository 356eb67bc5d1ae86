//! docker's health check types: `Config.Healthcheck` (what to run and how
//! often, durations in nanoseconds) and `State.Health` (the status, the
//! failing streak and the last results).

use serde::{Deserialize, Serialize};

use super::null_default;

/// docker's `HealthConfig`. `Test`: `[]` inherit the image's, `["NONE"]`
/// no check, `["CMD", args...]` or `["CMD-SHELL", command]`; a zero
/// duration or count means "the default" (inherited, then docker's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HealthConfig {
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub test: Vec<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub interval: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub timeout: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub start_period: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub start_interval: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub retries: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl HealthConfig {
    /// Whether this configuration runs checks at all.
    pub fn probes(&self) -> bool {
        matches!(
            self.test.first().map(String::as_str),
            Some("CMD" | "CMD-SHELL")
        )
    }
}

/// docker's health statuses.
pub const STARTING: &str = "starting";
pub const HEALTHY: &str = "healthy";
pub const UNHEALTHY: &str = "unhealthy";

/// docker's `State.Health`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Health {
    pub status: String,
    pub failing_streak: u32,
    #[serde(deserialize_with = "null_default")]
    pub log: Vec<HealthcheckResult>,
}

/// One check: when it ran, how it ended, what it printed (at most 4096
/// bytes, both streams).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HealthcheckResult {
    pub start: String,
    pub end: String,
    pub exit_code: i64,
    pub output: String,
}

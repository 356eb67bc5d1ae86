//! Running CNI plugins ourselves, by the CNI 1.0 exec protocol (there is
//! no maintained Rust CNI library): the plugin binary is found on the
//! plugin path and run with the `CNI_*` environment, its network
//! configuration on stdin, its result (or its error) as JSON on stdout. A
//! network configuration list is ADDed plugin by plugin, each given the
//! previous one's result as `prevResult`, and DELeted in reverse order.
//! Capabilities a plugin declares (`portMappings`, ...) get the matching
//! `runtimeConfig`, as libcni passes them.
//!
//! Self-contained: serde_json values in, typed results out; nothing here
//! knows about containers.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::error::{Error, ErrorKind, Result};

/// Where plugins are looked for, in order.
#[derive(Debug, Clone)]
pub struct Plugins {
    pub dirs: Vec<PathBuf>,
}

/// One attachment of a network namespace to a network.
#[derive(Debug, Clone)]
pub struct Attachment<'a> {
    pub container_id: &'a str,
    pub netns: &'a Path,
    pub ifname: &'a str,
    /// Values for the capabilities plugins declare, by capability name
    /// (e.g. `portMappings`).
    pub runtime_config: &'a Value,
}

/// What a successful ADD says about the container's side of the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addresses {
    /// IPv4 address without its prefix.
    pub ipv4: Option<String>,
    pub prefix_len: Option<u8>,
    pub gateway: Option<String>,
    /// The MAC address of the interface in the namespace.
    pub mac: Option<String>,
    /// IPv6 address (an IPv6 network) without its prefix.
    pub ipv6: Option<String>,
    pub prefix_len6: Option<u8>,
    pub gateway6: Option<String>,
}

impl Plugins {
    fn find(&self, plugin: &str) -> Result<PathBuf> {
        if plugin.is_empty() || plugin.contains('/') {
            return Err(Error::invalid(format!(
                "CNI plugin type {plugin:?} is not a plugin name"
            )));
        }
        self.dirs
            .iter()
            .map(|d| d.join(plugin))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Unsupported,
                    format!(
                        "CNI plugin {plugin:?} not found in {}",
                        self.dirs
                            .iter()
                            .map(|d| d.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .hinted("install the CNI plugins (Debian: containernetworking-plugins) or point --cni-path at them")
            })
    }

    /// ADDs every plugin of `list` (a conflist document) in order; returns
    /// the last plugin's result, which DEL needs later.
    pub async fn add(&self, list: &Value, a: &Attachment<'_>) -> Result<Value> {
        let mut prev: Option<Value> = None;
        for plugin in plugins_of(list)? {
            let conf = plugin_conf(list, plugin, prev.as_ref(), a.runtime_config);
            let out = self.exec("ADD", &conf, a).await?;
            prev = Some(out.ok_or_else(|| {
                Error::new(
                    ErrorKind::Daemon,
                    format!("CNI plugin {} returned no result", type_of(plugin)),
                )
            })?);
        }
        Ok(prev.unwrap_or_else(|| json!({})))
    }

    /// DELs every plugin of `list` in reverse order, each given the ADD's
    /// result; keeps going past failures and reports the first.
    pub async fn del(
        &self,
        list: &Value,
        a: &Attachment<'_>,
        result: Option<&Value>,
    ) -> Result<()> {
        let mut first_error = None;
        for plugin in plugins_of(list)?.iter().rev() {
            let conf = plugin_conf(list, plugin, result, a.runtime_config);
            if let Err(e) = self.del_one(&conf, a).await {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// One plugin's DEL, up to three times when the plugin itself fails:
    /// a berth killed during ADD leaves that ADD's plugin running, and
    /// while it still adds rules iptables refuses to remove a chain in
    /// use. DEL is idempotent. A missing plugin is not tried again.
    async fn del_one(&self, conf: &Value, a: &Attachment<'_>) -> Result<()> {
        self.find(type_of(conf))?;
        let mut wait = std::time::Duration::from_millis(200);
        let mut attempt = 1;
        loop {
            match self.exec("DEL", conf, a).await {
                Ok(_) => return Ok(()),
                Err(e) if attempt == 3 => return Err(e),
                Err(e) => tracing::debug!("{}; trying DEL again", e.message()),
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
            attempt += 1;
        }
    }

    async fn exec(&self, command: &str, conf: &Value, a: &Attachment<'_>) -> Result<Option<Value>> {
        let plugin = type_of(conf);
        let path = self.find(plugin)?;
        let cni_path = std::env::join_paths(&self.dirs)
            .map_err(|e| Error::invalid(format!("CNI plugin path: {e}")))?;
        let mut child = tokio::process::Command::new(&path)
            .env("CNI_COMMAND", command)
            .env("CNI_CONTAINERID", a.container_id)
            .env("CNI_NETNS", a.netns)
            .env("CNI_IFNAME", a.ifname)
            .env("CNI_PATH", cni_path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::io(format!("running CNI plugin {}", path.display()), e))?;
        let input = serde_json::to_vec(conf)?;
        if let Some(mut stdin) = child.stdin.take() {
            // A plugin that exits early closes its end: its output says why.
            let _ = stdin.write_all(&input).await;
        }
        let out = child
            .wait_with_output()
            .await
            .map_err(|e| Error::io(format!("running CNI plugin {}", path.display()), e))?;
        if !out.status.success() {
            return Err(plugin_error(plugin, command, &out.stdout, &out.stderr));
        }
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&out.stdout).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::Daemon,
                format!("CNI plugin {plugin} {command}: unreadable result: {e}"),
            )
        })
    }
}

fn plugins_of(list: &Value) -> Result<&Vec<Value>> {
    list["plugins"]
        .as_array()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Error::invalid("CNI network configuration has no plugins"))
}

fn type_of(conf: &Value) -> &str {
    conf["type"].as_str().unwrap_or("")
}

/// One plugin's stdin: its own config plus the list's name and version,
/// the previous result, and the runtime config for its capabilities.
fn plugin_conf(list: &Value, plugin: &Value, prev: Option<&Value>, runtime: &Value) -> Value {
    let mut conf = plugin.clone();
    conf["name"] = list["name"].clone();
    conf["cniVersion"] = list["cniVersion"].clone();
    if let Some(p) = prev {
        conf["prevResult"] = p.clone();
    }
    if let Some(caps) = plugin["capabilities"].as_object() {
        let mut rc = serde_json::Map::new();
        for (cap, on) in caps {
            if on.as_bool() == Some(true)
                && let Some(v) = runtime.get(cap)
            {
                rc.insert(cap.clone(), v.clone());
            }
        }
        if !rc.is_empty() {
            conf["runtimeConfig"] = Value::Object(rc);
        }
    }
    conf
}

/// The plugin's JSON error (`code`, `msg`, `details`), or what it printed.
fn plugin_error(plugin: &str, command: &str, stdout: &[u8], stderr: &[u8]) -> Error {
    let said = serde_json::from_slice::<Value>(stdout).ok();
    let msg = said
        .as_ref()
        .and_then(|v| v["msg"].as_str())
        .map(|m| {
            let details = said
                .as_ref()
                .and_then(|v| v["details"].as_str())
                .unwrap_or("");
            if details.is_empty() {
                m.to_string()
            } else {
                format!("{m}: {details}")
            }
        })
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(if stdout.is_empty() { stderr } else { stdout });
            text.trim().chars().take(300).collect()
        });
    Error::new(
        ErrorKind::Daemon,
        format!("CNI plugin {plugin} {command} failed: {msg}"),
    )
}

/// The addresses of the `ifname` interface inside the namespace.
pub fn addresses(result: &Value, ifname: &str) -> Addresses {
    let interfaces = result["interfaces"].as_array().cloned().unwrap_or_default();
    let ours = interfaces
        .iter()
        .position(|i| i["name"] == ifname && i["sandbox"].as_str().is_some_and(|s| !s.is_empty()));
    let mut out = Addresses {
        mac: ours.and_then(|i| interfaces[i]["mac"].as_str().map(str::to_string)),
        ..Default::default()
    };
    for ip in result["ips"].as_array().into_iter().flatten() {
        let on_ours = match (ip["interface"].as_u64(), ours) {
            (Some(i), Some(o)) => i as usize == o,
            (None, _) | (_, None) => true,
        };
        let Some((addr, prefix)) = ip["address"].as_str().and_then(|a| a.split_once('/')) else {
            continue;
        };
        if on_ours && !addr.contains(':') && out.ipv4.is_none() {
            out.ipv4 = Some(addr.to_string());
            out.prefix_len = prefix.parse().ok();
            out.gateway = ip["gateway"].as_str().map(str::to_string);
        }
        if on_ours && addr.contains(':') && out.ipv6.is_none() {
            out.ipv6 = Some(addr.to_string());
            out.prefix_len6 = prefix.parse().ok();
            out.gateway6 = ip["gateway"].as_str().map(str::to_string);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_conf_carries_name_version_previous_result_and_capabilities() {
        let list = json!({"cniVersion": "1.0.0", "name": "bridge", "plugins": []});
        let portmap =
            json!({"type": "portmap", "capabilities": {"portMappings": true, "bandwidth": false}});
        let runtime = json!({"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}], "bandwidth": {}});
        let prev = json!({"ips": []});
        let conf = plugin_conf(&list, &portmap, Some(&prev), &runtime);
        assert_eq!(conf["name"], "bridge");
        assert_eq!(conf["cniVersion"], "1.0.0");
        assert_eq!(conf["prevResult"], prev);
        assert_eq!(
            conf["runtimeConfig"],
            json!({"portMappings": runtime["portMappings"]})
        );
        let bridge = plugin_conf(&list, &json!({"type": "bridge"}), None, &runtime);
        assert!(bridge.get("runtimeConfig").is_none() && bridge.get("prevResult").is_none());
    }

    #[test]
    fn addresses_come_from_the_sandbox_interface() {
        let result = json!({
            "cniVersion": "1.0.0",
            "interfaces": [
                {"name": "berth0", "mac": "aa:aa:aa:aa:aa:aa"},
                {"name": "veth1", "mac": "bb:bb:bb:bb:bb:bb"},
                {"name": "eth0", "mac": "02:42:0a:04:00:05", "sandbox": "/run/netns/x"}
            ],
            "ips": [{"interface": 2, "address": "10.4.0.5/24", "gateway": "10.4.0.1"},
                    {"interface": 2, "address": "fd00:1::2/64", "gateway": "fd00:1::1"}]
        });
        assert_eq!(
            addresses(&result, "eth0"),
            Addresses {
                ipv4: Some("10.4.0.5".into()),
                prefix_len: Some(24),
                gateway: Some("10.4.0.1".into()),
                mac: Some("02:42:0a:04:00:05".into()),
                ipv6: Some("fd00:1::2".into()),
                prefix_len6: Some(64),
                gateway6: Some("fd00:1::1".into()),
            }
        );
    }

    #[test]
    fn plugin_errors_are_the_plugins_words() {
        let e = plugin_error(
            "bridge",
            "ADD",
            br#"{"code":11,"msg":"failed to allocate","details":"range full"}"#,
            b"",
        );
        assert_eq!(
            e.message(),
            "CNI plugin bridge ADD failed: failed to allocate: range full"
        );
        let e = plugin_error("x", "DEL", b"", b"panic: boom\n");
        assert_eq!(e.message(), "CNI plugin x DEL failed: panic: boom");
    }

    #[test]
    fn plugin_names_cannot_be_paths() {
        let p = Plugins {
            dirs: vec!["/usr/lib/cni".into()],
        };
        assert!(p.find("../../bin/sh").is_err());
        assert!(p.find("").is_err());
    }
}

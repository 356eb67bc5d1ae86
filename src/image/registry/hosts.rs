//! Registry host configuration the containerd way:
//! `<hosts dir>/<host[:port]>/hosts.toml` (or `_default/hosts.toml`) names
//! the upstream (`server`), mirrors tried first in file order
//! (`[host."URL"]` with `capabilities`), and per host TLS settings (`ca`,
//! `client`, `skip_verify`). The hosts dir is `--hosts-dir`,
//! `BERTH_HOSTS_DIR`, or /etc/containerd/certs.d.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use super::{api_host, is_plain_http};
use crate::error::{Error, Result};

pub const DEFAULT_HOSTS_DIR: &str = "/etc/containerd/certs.d";

static HOSTS_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Sets the hosts directory for this process (from `--hosts-dir`).
pub fn set_hosts_dir(dir: PathBuf) {
    let _ = HOSTS_DIR.set(dir);
}

pub fn hosts_dir() -> PathBuf {
    HOSTS_DIR
        .get()
        .cloned()
        .or_else(|| std::env::var_os("BERTH_HOSTS_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_HOSTS_DIR))
}

/// One place to talk to for a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http(s)://host[:port]`.
    pub origin: String,
    pub plain_http: bool,
    /// Extra CA certificates (PEM files).
    pub ca: Vec<PathBuf>,
    /// Client certificate and key (PEM files).
    pub client: Option<(PathBuf, PathBuf)>,
    pub skip_verify: bool,
    pub pull: bool,
    pub push: bool,
    pub mirror: bool,
}

#[derive(Deserialize, Default)]
struct HostsFile {
    server: Option<String>,
    #[serde(flatten)]
    tls: TlsSettings,
    #[serde(default)]
    host: toml::Table,
}

#[derive(Deserialize, Default)]
struct TlsSettings {
    ca: Option<toml::Value>,
    client: Option<toml::Value>,
    skip_verify: Option<bool>,
    capabilities: Option<Vec<String>>,
}

fn paths(v: &Option<toml::Value>) -> Vec<PathBuf> {
    match v {
        Some(toml::Value::String(s)) => vec![PathBuf::from(s)],
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(PathBuf::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// `client = "c.pem"`, `["c.cert", "c.key"]` or `[["c.cert", "c.key"]]`.
fn client_pair(v: &Option<toml::Value>) -> Option<(PathBuf, PathBuf)> {
    match v {
        Some(toml::Value::String(s)) => Some((PathBuf::from(s), PathBuf::from(s))),
        Some(toml::Value::Array(a)) => match a.first() {
            Some(toml::Value::Array(pair)) => {
                let cert = pair.first()?.as_str()?;
                let key = pair.get(1).and_then(|k| k.as_str()).unwrap_or(cert);
                Some((PathBuf::from(cert), PathBuf::from(key)))
            }
            Some(toml::Value::String(cert)) => {
                let key = a.get(1).and_then(|k| k.as_str()).unwrap_or(cert);
                Some((PathBuf::from(cert), PathBuf::from(key)))
            }
            _ => None,
        },
        _ => None,
    }
}

fn origin_of(url: &str) -> Result<(String, bool)> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        Error::invalid(format!(
            "hosts.toml: {url:?} is not a URL (http:// or https://)"
        ))
    })?;
    let authority = rest.split('/').next().unwrap_or(rest);
    match scheme {
        "http" | "https" => Ok((format!("{scheme}://{authority}"), scheme == "http")),
        _ => Err(Error::invalid(format!(
            "hosts.toml: unsupported scheme in {url:?}"
        ))),
    }
}

fn endpoint(url: &str, tls: &TlsSettings, mirror: bool) -> Result<Endpoint> {
    let (origin, plain_http) = origin_of(url)?;
    let caps = tls
        .capabilities
        .clone()
        .unwrap_or_else(|| vec!["pull".into(), "resolve".into(), "push".into()]);
    Ok(Endpoint {
        origin,
        plain_http,
        ca: paths(&tls.ca),
        client: client_pair(&tls.client),
        skip_verify: tls.skip_verify.unwrap_or(false),
        pull: caps.iter().any(|c| c == "pull"),
        push: caps.iter().any(|c| c == "push"),
        mirror,
    })
}

fn hosts_file(host: &str) -> Option<PathBuf> {
    let dir = hosts_dir();
    [
        dir.join(host).join("hosts.toml"),
        dir.join("_default").join("hosts.toml"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// The endpoints for `host`: mirrors (in file order), then the upstream.
pub fn endpoints(host: &str, insecure: &[String]) -> Result<Vec<Endpoint>> {
    let plain = is_plain_http(host, insecure);
    let default_upstream = format!(
        "{}://{}",
        if plain { "http" } else { "https" },
        api_host(host)
    );
    let Some(file) = hosts_file(host) else {
        return endpoint(&default_upstream, &TlsSettings::default(), false).map(|e| vec![e]);
    };
    parse(&file, &default_upstream)
}

fn parse(file: &Path, default_upstream: &str) -> Result<Vec<Endpoint>> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
    let doc: HostsFile =
        toml::from_str(&text).map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
    let mut out = Vec::new();
    for (url, table) in &doc.host {
        let tls: TlsSettings = table
            .clone()
            .try_into()
            .map_err(|e| Error::invalid(format!("{}: host {url:?}: {e}", file.display())))?;
        out.push(endpoint(url, &tls, true)?);
    }
    let upstream = doc.server.as_deref().unwrap_or(default_upstream);
    out.push(endpoint(upstream, &doc.tls, false)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrors_in_order_then_the_server() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("hosts.toml");
        std::fs::write(
            &f,
            r#"
server = "https://registry.example.com"
ca = "/etc/ca.pem"

[host."http://mirror-b.lan:5000"]
  capabilities = ["pull", "resolve"]

[host."https://mirror-a.lan/v2"]
  capabilities = ["pull"]
  skip_verify = true
  client = [["/c.cert", "/c.key"]]
"#,
        )
        .unwrap();
        let e = parse(&f, "https://ignored").unwrap();
        let origins: Vec<&str> = e.iter().map(|x| x.origin.as_str()).collect();
        assert_eq!(
            origins,
            [
                "http://mirror-b.lan:5000",
                "https://mirror-a.lan",
                "https://registry.example.com"
            ]
        );
        assert!(e[0].plain_http && e[0].pull && !e[0].push && e[0].mirror);
        assert!(e[1].skip_verify && e[1].client == Some(("/c.cert".into(), "/c.key".into())));
        assert_eq!(e[2].ca, [PathBuf::from("/etc/ca.pem")]);
        assert!(e[2].push && !e[2].mirror);
        std::fs::write(&f, "server = \"ftp://x\"").unwrap();
        assert!(parse(&f, "https://x").is_err());
    }
}

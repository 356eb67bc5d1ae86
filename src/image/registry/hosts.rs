//! Registry host configuration the containerd way:
//! `<hosts dir>/<host[:port]>/hosts.toml` (or `_default/hosts.toml`) names
//! the upstream (`server`), mirrors tried first in file order
//! (`[host."URL"]` with `capabilities`), and per host TLS settings (`ca`,
//! `client`, `skip_verify`, relative paths from the host's directory) and
//! `[header]` tables. A host directory without hosts.toml is read docker's
//! way: `*.crt` files are CAs, `NAME.cert` with `NAME.key` a client
//! certificate. The hosts dir is `--hosts-dir`, `BERTH_HOSTS_DIR`, or
//! /etc/containerd/certs.d.

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

/// A client certificate and its key (PEM files; the same file for both is
/// fine).
pub type ClientPair = (PathBuf, PathBuf);

/// One place to talk to for a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http(s)://host[:port]`.
    pub origin: String,
    pub plain_http: bool,
    /// Extra CA certificates (PEM files).
    pub ca: Vec<PathBuf>,
    /// Client certificate and key (PEM files).
    pub client: Option<ClientPair>,
    pub skip_verify: bool,
    /// Sent with every request (hosts.toml's `[header]`).
    pub headers: Vec<(String, String)>,
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
    header: Option<toml::Table>,
}

fn paths(v: &Option<toml::Value>, base: &Path) -> Vec<PathBuf> {
    match v {
        Some(toml::Value::String(s)) => vec![base.join(s)],
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(|s| base.join(s))
            .collect(),
        _ => Vec::new(),
    }
}

/// `client = "c.pem"`, `["c.cert", "c.key"]` or `[["c.cert", "c.key"]]`;
/// relative paths are from `base`.
fn client_pair(v: &Option<toml::Value>, base: &Path) -> Option<ClientPair> {
    let (cert, key) = match v {
        Some(toml::Value::String(s)) => (s.as_str(), s.as_str()),
        Some(toml::Value::Array(a)) => match a.first() {
            Some(toml::Value::Array(pair)) => {
                let cert = pair.first()?.as_str()?;
                (cert, pair.get(1).and_then(|k| k.as_str()).unwrap_or(cert))
            }
            Some(toml::Value::String(cert)) => (
                cert.as_str(),
                a.get(1).and_then(|k| k.as_str()).unwrap_or(cert),
            ),
            _ => return None,
        },
        _ => return None,
    };
    Some((base.join(cert), base.join(key)))
}

/// `[header]`: each name with a string or an array of strings (sent as
/// one header, the values joined with ", ", which HTTP reads the same).
fn header_pairs(t: &Option<toml::Table>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, v) in t.iter().flatten() {
        match v {
            toml::Value::String(s) => out.push((name.clone(), s.clone())),
            toml::Value::Array(a) => {
                let values: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                out.push((name.clone(), values.join(", ")));
            }
            _ => {}
        }
    }
    out
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

/// An endpoint from hosts.toml settings; relative paths are from `base`.
fn endpoint(url: &str, tls: &TlsSettings, mirror: bool, base: &Path) -> Result<Endpoint> {
    let (origin, plain_http) = origin_of(url)?;
    let caps = tls
        .capabilities
        .clone()
        .unwrap_or_else(|| vec!["pull".into(), "resolve".into(), "push".into()]);
    Ok(Endpoint {
        origin,
        plain_http,
        ca: paths(&tls.ca, base),
        client: client_pair(&tls.client, base),
        skip_verify: tls.skip_verify.unwrap_or(false),
        headers: header_pairs(&tls.header),
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
        let dir = hosts_dir().join(host);
        let (ca, client) = match dir.is_dir() {
            true => loose_certificates(&dir)?,
            false => (Vec::new(), None),
        };
        // Certificates for a host mean TLS, loopback or not.
        let url = if ca.is_empty() && client.is_none() {
            default_upstream
        } else {
            format!("https://{}", api_host(host))
        };
        let mut upstream = endpoint(&url, &TlsSettings::default(), false, &dir)?;
        (upstream.ca, upstream.client) = (ca, client);
        return Ok(vec![upstream]);
    };
    parse(&file, &default_upstream)
}

/// docker's certs.d convention, which containerd also reads when a host's
/// directory has no hosts.toml: `*.crt` are CAs, `NAME.cert` + `NAME.key`
/// a client certificate (a `.cert` without its key is an error, as there).
fn loose_certificates(dir: &Path) -> Result<(Vec<PathBuf>, Option<ClientPair>)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::invalid(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let ext = |p: &Path, want: &str| p.extension().is_some_and(|e| e == want);
    let cas = names.iter().filter(|p| ext(p, "crt")).cloned().collect();
    let client = match names.iter().find(|p| ext(p, "cert")) {
        None => None,
        Some(cert) => {
            let key = cert.with_extension("key");
            if !key.is_file() {
                return Err(Error::invalid(format!(
                    "missing key {} for client certificate {}",
                    key.display(),
                    cert.display()
                )));
            }
            Some((cert.clone(), key))
        }
    };
    Ok((cas, client))
}

fn parse(file: &Path, default_upstream: &str) -> Result<Vec<Endpoint>> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
    let doc: HostsFile =
        toml::from_str(&text).map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
    let base = file.parent().unwrap_or(Path::new("/"));
    let mut out = Vec::new();
    for (url, table) in &doc.host {
        let tls: TlsSettings = table
            .clone()
            .try_into()
            .map_err(|e| Error::invalid(format!("{}: host {url:?}: {e}", file.display())))?;
        out.push(endpoint(url, &tls, true, base)?);
    }
    let upstream = doc.server.as_deref().unwrap_or(default_upstream);
    out.push(endpoint(upstream, &doc.tls, false, base)?);
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

    #[test]
    fn relative_paths_are_from_the_hosts_dir_and_headers_are_kept() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("hosts.toml");
        std::fs::write(
            &f,
            r#"
server = "https://registry.example.com"
ca = ["ca.pem", "/abs/ca.pem"]
client = ["client.cert", "client.key"]

[header]
  x-tenant = "blue"
  x-trace = ["a", "b"]

[host."https://mirror.lan"]
  [host."https://mirror.lan".header]
    authorization-proxy = "yes"
"#,
        )
        .unwrap();
        let e = parse(&f, "https://ignored").unwrap();
        assert_eq!(
            e[0].headers,
            [("authorization-proxy".to_string(), "yes".to_string())]
        );
        let up = &e[1];
        assert_eq!(
            up.ca,
            [d.path().join("ca.pem"), PathBuf::from("/abs/ca.pem")]
        );
        assert_eq!(
            up.client,
            Some((d.path().join("client.cert"), d.path().join("client.key")))
        );
        let h: Vec<(&str, &str)> = up
            .headers
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(h, [("x-tenant", "blue"), ("x-trace", "a, b")]);
    }

    #[test]
    fn a_directory_without_hosts_toml_is_read_dockers_way() {
        let d = tempfile::tempdir().unwrap();
        for f in ["b.crt", "a.crt", "me.cert", "me.key", "notes.txt"] {
            std::fs::write(d.path().join(f), "").unwrap();
        }
        let (cas, client) = loose_certificates(d.path()).unwrap();
        assert_eq!(cas, [d.path().join("a.crt"), d.path().join("b.crt")]);
        assert_eq!(
            client,
            Some((d.path().join("me.cert"), d.path().join("me.key")))
        );
        std::fs::remove_file(d.path().join("me.key")).unwrap();
        let e = loose_certificates(d.path()).unwrap_err();
        assert!(e.message().starts_with("missing key"), "{}", e.message());
    }
}

//! HTTP clients for registries. TLS roots are berth's own: the system's CA
//! certificates (rustls-native-certs, which honours `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`), loaded only when a registry speaks TLS. A system with
//! no CA store (berth in a minimal container) is then a one-line error for
//! TLS registries and no concern for plain-HTTP ones.

use std::sync::OnceLock;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};

const USER_AGENT: &str = concat!("berth/", env!("CARGO_PKG_VERSION"));

/// rustls needs a process-wide crypto provider; ring is ours.
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The system's CA certificates, read once per process.
fn system_roots() -> &'static [reqwest::Certificate] {
    static ROOTS: OnceLock<Vec<reqwest::Certificate>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for e in &found.errors {
            tracing::debug!("reading CA certificates: {e}");
        }
        found
            .certs
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok())
            .collect()
    })
}

/// A client for one endpoint of hosts.toml: its CA files added to the
/// roots, its client certificate, `skip_verify`, its headers on every
/// request.
pub fn client_for(ep: &super::hosts::Endpoint) -> Result<reqwest::Client> {
    let read = |p: &std::path::Path| {
        std::fs::read(p)
            .map_err(|e| Error::new(ErrorKind::Registry, format!("{}: {e}", p.display())))
    };
    let custom_tls = !ep.ca.is_empty() || ep.client.is_some() || ep.skip_verify;
    let mut roots = Vec::new();
    if !ep.plain_http && custom_tls {
        for ca in &ep.ca {
            let pem = read(ca)?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::new(
                    ErrorKind::Registry,
                    format!("{}: {}", ca.display(), super::describe(&e)),
                )
            })?;
            roots.extend(certs);
        }
        roots.extend(system_roots().iter().cloned());
    } else {
        roots = default_roots(ep.plain_http)?;
    }
    install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(30))
        .tls_certs_only(roots)
        .default_headers(headers(&ep.headers)?);
    if !ep.plain_http {
        builder = builder.tls_danger_accept_invalid_certs(ep.skip_verify);
        if let Some((cert, key)) = &ep.client {
            let mut pem = read(cert)?;
            if key != cert {
                pem.extend(read(key)?);
            }
            let id = reqwest::Identity::from_pem(&pem).map_err(|e| {
                Error::new(
                    ErrorKind::Registry,
                    format!("{}: {}", cert.display(), super::describe(&e)),
                )
            })?;
            builder = builder.identity(id);
        }
    }
    build(builder)
}

/// hosts.toml's `[header]` as a header map.
fn headers(pairs: &[(String, String)]) -> Result<reqwest::header::HeaderMap> {
    use reqwest::header::{HeaderName, HeaderValue};
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in pairs {
        let bad = || {
            Error::invalid(format!(
                "hosts.toml: header {name:?} is not a valid HTTP header"
            ))
        };
        let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
        let v = HeaderValue::from_str(value).map_err(|_| bad())?;
        map.append(n, v);
    }
    Ok(map)
}

/// A client for one registry: no TLS roots at all for plain HTTP, the
/// system's for TLS (an error naming the fix when there are none).
pub fn client(plain_http: bool) -> Result<reqwest::Client> {
    install_crypto_provider();
    build(
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(30))
            .tls_certs_only(default_roots(plain_http)?),
    )
}

/// None for plain HTTP; the system's, which must exist, for TLS.
fn default_roots(plain_http: bool) -> Result<Vec<reqwest::Certificate>> {
    if plain_http {
        return Ok(Vec::new());
    }
    let roots = system_roots();
    if roots.is_empty() {
        return Err(Error::new(
            ErrorKind::Registry,
            "no CA certificates were found on this system, so TLS registries cannot be verified",
        )
        .hinted(
            "mount the host's certificates (-v /etc/ssl/certs:/etc/ssl/certs:ro) or point \
             SSL_CERT_FILE at a CA bundle; plain-HTTP registries need --insecure-registry",
        ));
    }
    Ok(roots.to_vec())
}

fn build(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder.build().map_err(|e| {
        Error::new(
            ErrorKind::Registry,
            format!("setting up HTTP: {}", super::describe(&e)),
        )
    })
}

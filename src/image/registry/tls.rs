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
/// roots, its client certificate, `skip_verify`.
pub fn client_for(ep: &super::hosts::Endpoint) -> Result<reqwest::Client> {
    if ep.plain_http {
        return client(true);
    }
    let read = |p: &std::path::Path| {
        std::fs::read(p)
            .map_err(|e| Error::new(ErrorKind::Registry, format!("{}: {e}", p.display())))
    };
    let mut roots = Vec::new();
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
    if ep.ca.is_empty() && ep.client.is_none() && !ep.skip_verify {
        return client(false);
    }
    install_crypto_provider();
    roots.extend(system_roots().iter().cloned());
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(30))
        .tls_certs_only(roots)
        .tls_danger_accept_invalid_certs(ep.skip_verify);
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
    builder.build().map_err(|e| {
        Error::new(
            ErrorKind::Registry,
            format!("setting up HTTP: {}", super::describe(&e)),
        )
    })
}

/// A client for one registry: no TLS roots at all for plain HTTP, the
/// system's for TLS (an error naming the fix when there are none).
pub fn client(plain_http: bool) -> Result<reqwest::Client> {
    install_crypto_provider();
    let roots = if plain_http {
        Vec::new()
    } else {
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
        roots.to_vec()
    };
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(30))
        .tls_certs_only(roots)
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Registry,
                format!("setting up HTTP: {}", super::describe(&e)),
            )
        })
}

//! Registry access, our own client on reqwest (rustls): docker's rules for
//! credentials (config.json, credential helpers), plain HTTP for loopback
//! and `--insecure-registry` hosts, Basic and Bearer-token auth answered
//! from the registry's challenge, and TLS roots loaded by berth itself so a
//! machine (or container) without a CA store is a clear error for TLS
//! registries and no problem at all for plain-HTTP ones.

mod auth;
pub mod hosts;
pub mod login;
pub mod retry;
pub mod tags;
mod tls;
mod upload;

use std::sync::Arc;

use futures::TryStreamExt;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, RANGE, WWW_AUTHENTICATE};
use tokio::sync::RwLock;

pub use auth::Credentials;

use super::manifest::{self, ACCEPTED_MANIFESTS};
use super::reference::ImageRef;
use crate::error::{Error, ErrorKind, Result};
use crate::util;

/// A registry session for one repository. Cheap to clone; clones share the
/// authorization obtained by any of them.
#[derive(Clone)]
pub struct Registry {
    http: reqwest::Client,
    /// `http(s)://host/v2/<repository>`.
    base: String,
    image: ImageRef,
    creds: Credentials,
    authorization: Arc<RwLock<Option<String>>>,
}

/// Where the manifest a reference points to lives, and what it is.
pub struct Fetched {
    pub digest: String,
    pub media_type: String,
    pub data: Vec<u8>,
}

/// A blob's bytes as they arrive.
pub type BlobStream =
    futures::stream::BoxStream<'static, std::result::Result<bytes::Bytes, std::io::Error>>;

impl Registry {
    /// Opens a session with the registry's upstream (hosts.toml's `server`
    /// or the registry itself, first one that takes pushes): chooses the
    /// scheme and TLS settings and finds credentials. No request is made
    /// until the first fetch.
    pub async fn open(image: &ImageRef, insecure: &[String]) -> Result<Registry> {
        let endpoints = hosts::endpoints(image.registry(), insecure)?;
        let ep = endpoints
            .iter()
            .find(|e| e.push && !e.mirror)
            .or(endpoints.last())
            .expect("endpoints always end with the upstream");
        Registry::at(image, ep)
    }

    /// Sessions to pull from, in order: hosts.toml's mirrors, then the
    /// upstream.
    pub fn candidates(image: &ImageRef, insecure: &[String]) -> Result<Vec<Registry>> {
        hosts::endpoints(image.registry(), insecure)?
            .iter()
            .filter(|e| e.pull || !e.mirror)
            .map(|e| Registry::at(image, e))
            .collect()
    }

    /// Fetches `reference`'s manifest from the first candidate that has it;
    /// a failing mirror falls through to the next, the upstream's error is
    /// the one reported. Like docker, this first contact is not retried: a
    /// registry that is not there at all is said at once.
    pub async fn first_answering(
        image: &ImageRef,
        insecure: &[String],
        reference: &ImageRef,
    ) -> Result<(Registry, Fetched)> {
        let mut candidates = Registry::candidates(image, insecure)?;
        let upstream = candidates.pop().expect("there is always an upstream");
        for registry in candidates {
            match registry.fetch_manifest(reference).await {
                Ok(f) => return Ok((registry, f)),
                Err(e) => tracing::debug!("{}: {}", registry.base, e.message()),
            }
        }
        let fetched = upstream.fetch_manifest(reference).await?;
        Ok((upstream, fetched))
    }

    /// The first of hosts.toml's mirrors (not the upstream) that serves
    /// `reference`: its `host[:port]` and the manifest's digest. None when
    /// the registry has no mirror that has it (or only mirrors under a
    /// path, which an image reference cannot name).
    pub async fn mirror_having(
        image: &ImageRef,
        insecure: &[String],
        reference: &ImageRef,
    ) -> Result<Option<(String, String)>> {
        for ep in hosts::endpoints(image.registry(), insecure)? {
            if !(ep.mirror && ep.pull) {
                continue;
            }
            let host = ep.origin.split_once("://").map_or(&*ep.origin, |(_, h)| h);
            if host.contains('/') {
                continue;
            }
            match Registry::at(image, &ep)?.fetch_manifest(reference).await {
                Ok(f) => return Ok(Some((host.to_string(), f.digest))),
                Err(e) => tracing::debug!("mirror {}: {}", ep.origin, e.message()),
            }
        }
        Ok(None)
    }

    fn at(image: &ImageRef, ep: &hosts::Endpoint) -> Result<Registry> {
        let http = tls::client_for(ep)?;
        Ok(Registry {
            http,
            base: format!("{}/v2/{}", ep.origin, image.repository()),
            image: image.clone(),
            creds: credentials_for(image.registry())?,
            authorization: Arc::default(),
        })
    }

    /// GET with the session's authorization; a 401 is answered once by
    /// authorizing against the registry's challenge.
    async fn get(&self, url: &str, headers: HeaderMap) -> Result<reqwest::Response> {
        self.send(reqwest::Method::GET, url, headers).await
    }

    /// A request without a body (so it can be repeated) with the session's
    /// authorization; a 401 is answered once from the registry's challenge,
    /// whose scope says what the request needs (pull, or pull and push).
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: HeaderMap,
    ) -> Result<reqwest::Response> {
        let mut answered = false;
        loop {
            let mut req = self
                .http
                .request(method.clone(), url)
                .headers(headers.clone());
            if let Some(a) = self.authorization.read().await.as_deref() {
                req = req.header(AUTHORIZATION, a);
            }
            let resp = req.send().await.map_err(|e| self.transport_error(&e))?;
            if resp.status() != reqwest::StatusCode::UNAUTHORIZED || answered {
                return Ok(resp);
            }
            answered = true;
            let challenge = resp
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .and_then(auth::parse_challenge);
            let Some(challenge) = challenge else {
                return Ok(resp);
            };
            let header = auth::authorize(
                &self.http,
                &challenge,
                &self.creds,
                Some(self.image.repository()),
            )
            .await?;
            match header {
                Some(h) => *self.authorization.write().await = Some(h),
                None => return Err(denied(&self.image)),
            }
        }
    }

    /// Fetches the manifest or index `reference` names (tag or digest);
    /// the digest is computed from the bytes and checked against a pinned one.
    pub async fn fetch_manifest(&self, reference: &ImageRef) -> Result<Fetched> {
        let url = format!("{}/manifests/{}", self.base, reference.manifest_reference());
        let mut headers = HeaderMap::new();
        let accept = ACCEPTED_MANIFESTS.join(", ");
        headers.insert(
            ACCEPT,
            accept.parse().expect("media types are valid headers"),
        );
        let resp = self
            .checked(self.get(&url, headers).await?, reference)
            .await?;
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_string());
        let data = resp
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?
            .to_vec();
        let digest = util::sha256_digest(&data);
        if let Some(pinned) = reference.digest()
            && pinned != digest
        {
            return Err(Error::new(
                ErrorKind::Registry,
                format!("{reference}: the registry sent a manifest whose digest is {digest}"),
            ));
        }
        let media_type = content_type
            .filter(|t| manifest::is_index(t) || manifest::is_manifest(t))
            .or_else(|| sniff_media_type(&data))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Registry,
                    format!("{reference}: the registry returned a document that is neither an image manifest nor an index"),
                )
            })?;
        Ok(Fetched {
            digest,
            media_type,
            data,
        })
    }

    /// Fetches a small blob (a config) into memory.
    pub async fn fetch_blob(&self, digest: &str) -> Result<Vec<u8>> {
        let url = format!("{}/blobs/{digest}", self.base);
        let resp = self
            .checked(self.get(&url, HeaderMap::new()).await?, &self.image)
            .await?;
        let data = resp
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?
            .to_vec();
        if util::sha256_digest(&data) != digest {
            return Err(Error::new(
                ErrorKind::Registry,
                format!(
                    "{}: blob {digest} arrived with other content",
                    self.image.registry()
                ),
            ));
        }
        Ok(data)
    }

    /// Streams a blob from `offset`. The bool says whether the registry
    /// honoured the offset (false: the stream starts at byte 0). containerd
    /// verifies size and digest at commit, so nothing is hashed here.
    pub async fn blob_stream(&self, digest: &str, offset: u64) -> Result<(BlobStream, bool)> {
        let url = format!("{}/blobs/{digest}", self.base);
        let mut headers = HeaderMap::new();
        if offset > 0 {
            let range = format!("bytes={offset}-");
            headers.insert(RANGE, range.parse().expect("a valid range header"));
        }
        let resp = self
            .checked(self.get(&url, headers).await?, &self.image)
            .await?;
        let honoured = offset == 0 || resp.status() == reqwest::StatusCode::PARTIAL_CONTENT;
        let stream = resp.bytes_stream().map_err(std::io::Error::other);
        Ok((Box::pin(stream), honoured))
    }

    /// The response if it succeeded; otherwise docker's words for the failure.
    async fn checked(&self, resp: reqwest::Response, what: &ImageRef) -> Result<reqwest::Response> {
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let body = resp.bytes().await.unwrap_or_default();
        Err(status_error(what, status.as_u16(), &body))
    }

    fn transport_error(&self, e: &reqwest::Error) -> Error {
        let mut said = describe(e);
        // Upload URLs carry the registry's state token: name the path only.
        if let Some(url) = e.url().filter(|u| u.query().is_some()) {
            said = said.replace(url.as_str(), url.path());
        }
        let msg = format!("{}: {said}", self.image.registry());
        let hint = if msg.contains("certificate") {
            format!(
                "trust the registry's CA: ca = \"/path/ca.pem\" in {}/{}/hosts.toml, or the system's CA store",
                hosts::hosts_dir().display(),
                self.image.registry()
            )
        } else {
            "check that the registry is reachable; use --insecure-registry for a plain-HTTP registry".to_string()
        };
        let e = Error::new(ErrorKind::Registry, msg.clone()).hinted(hint);
        // A refused, reset or timed-out connection may come back; a
        // certificate it does not trust will not.
        if msg.contains("certificate") || e.message().contains("InvalidCertificate") {
            e
        } else {
            e.transient()
        }
    }
}

/// An error with its whole chain of causes, for messages.
pub(crate) fn describe(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let part = s.to_string();
        if !msg.contains(&part) {
            msg.push_str(": ");
            msg.push_str(&part);
        }
        src = s.source();
    }
    msg
}

/// Docker Hub's API host differs from its name.
pub(crate) fn api_host(host: &str) -> &str {
    if host == "docker.io" {
        "registry-1.docker.io"
    } else {
        host
    }
}

/// Loopback registries and those named by `--insecure-registry` speak plain HTTP.
pub fn is_plain_http(host: &str, insecure: &[String]) -> bool {
    let bare = host_without_port(host);
    bare == "localhost"
        || bare.starts_with("127.")
        || bare == "::1"
        || bare == "[::1]"
        || insecure.iter().any(|i| {
            let i = i
                .trim_start_matches("http://")
                .trim_start_matches("https://")
                .trim_end_matches('/');
            i == host || i == bare
        })
}

fn host_without_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    }
}

/// docker's config.json key for a registry.
pub(crate) fn config_key(host: &str) -> String {
    if host == "docker.io" || host == "index.docker.io" {
        "https://index.docker.io/v1/".to_string()
    } else {
        host.to_string()
    }
}

/// Credentials from docker's config (auths, credsStore, credHelpers).
/// Nothing stored means anonymous access.
pub fn credentials_for(host: &str) -> Result<Credentials> {
    use docker_credential::{CredentialRetrievalError as E, DockerCredential};
    // Our own lookup of the file (`--config`, `DOCKER_CONFIG`, `~/.docker`;
    // the caller's in berth's helper), not the crate's.
    let path = login::config_dir().join("config.json");
    let found = match std::fs::File::open(&path) {
        Ok(f) => docker_credential::get_credential_from_reader(
            std::io::BufReader::new(f),
            &config_key(host),
        ),
        Err(_) => Err(E::ConfigNotFound),
    };
    match found {
        Ok(DockerCredential::UsernamePassword(username, password)) => {
            Ok(Credentials::Basic { username, password })
        }
        Ok(DockerCredential::IdentityToken(_)) => Err(Error::unsupported(format!(
            "the credentials stored for {host} are an identity token, which berth cannot use yet"
        ))
        .hinted(format!("log in to {host} with a username and password"))),
        Err(E::ConfigNotFound | E::ConfigReadError | E::NoCredentialConfigured) => {
            Ok(Credentials::Anonymous)
        }
        Err(E::HelperFailure {
            helper,
            stdout,
            stderr,
        }) if stdout.contains("credentials not found")
            || stderr.contains("credentials not found") =>
        {
            tracing::debug!("credential helper {helper} has nothing for {host}");
            Ok(Credentials::Anonymous)
        }
        Err(e) => Err(Error::new(
            ErrorKind::Unauthorized,
            format!("reading credentials for {host}: {e}"),
        )),
    }
}

/// Works out whether a document is an index or a manifest.
fn sniff_media_type(data: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        media_type: Option<String>,
        manifests: Option<serde_json::Value>,
        config: Option<serde_json::Value>,
    }
    let p: Probe = serde_json::from_slice(data).ok()?;
    match p.media_type {
        Some(mt) if manifest::is_index(&mt) || manifest::is_manifest(&mt) => Some(mt),
        Some(_) => None,
        None if p.manifests.is_some() => Some(manifest::OCI_INDEX.to_string()),
        None if p.config.is_some() => Some(manifest::OCI_MANIFEST.to_string()),
        None => None,
    }
}

#[derive(serde::Deserialize, Default)]
struct ErrorEnvelope {
    #[serde(default)]
    errors: Vec<RegistryErrorBody>,
}

#[derive(serde::Deserialize)]
struct RegistryErrorBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

fn denied(image: &ImageRef) -> Error {
    Error::new(
        ErrorKind::Unauthorized,
        format!(
            "pull access denied for {}, repository does not exist or may require 'docker login'",
            image.familiar_repository()
        ),
    )
    .hinted(format!(
        "log in with `docker login {}` (berth reads docker's config.json) or check the name",
        image.registry()
    ))
}

/// A failed registry answer in docker's words (never with credentials).
fn status_error(image: &ImageRef, status: u16, body: &[u8]) -> Error {
    let envelope: ErrorEnvelope = serde_json::from_slice(body).unwrap_or_default();
    let has = |codes: &[&str]| {
        envelope
            .errors
            .iter()
            .any(|e| codes.contains(&e.code.as_str()))
    };
    if status == 401 || status == 403 || has(&["UNAUTHORIZED", "DENIED"]) {
        return denied(image);
    }
    if status == 404
        || has(&[
            "MANIFEST_UNKNOWN",
            "NAME_UNKNOWN",
            "NOT_FOUND",
            "BLOB_UNKNOWN",
        ])
    {
        return not_found(image);
    }
    let detail: Vec<String> = envelope
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.code, e.message))
        .collect();
    let detail = if detail.is_empty() {
        String::from_utf8_lossy(body)
            .trim()
            .chars()
            .take(200)
            .collect()
    } else {
        detail.join("; ")
    };
    let e = Error::new(
        ErrorKind::Registry,
        format!("{}: registry answered {status}: {detail}", image.registry()),
    );
    if is_transient_status(status) {
        e.transient()
    } else {
        e
    }
}

/// Answers that say "not now" rather than "no": overload, a proxy in
/// trouble, a registry restarting.
pub(crate) fn is_transient_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

fn not_found(image: &ImageRef) -> Error {
    let what = image.tag().or(image.digest()).unwrap_or("latest");
    Error::not_found(format!(
        "manifest for {}:{what} not found: manifest unknown",
        image.familiar_repository()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_rules() {
        assert!(is_plain_http("localhost:5000", &[]));
        assert!(is_plain_http("127.0.0.1:5000", &[]));
        assert!(is_plain_http("[::1]:5000", &[]));
        assert!(!is_plain_http("registry.example.com", &[]));
        assert!(is_plain_http("reg.lan:5000", &["reg.lan:5000".into()]));
        assert!(is_plain_http("reg.lan:5000", &["reg.lan".into()]));
        assert!(is_plain_http("reg.lan", &["http://reg.lan/".into()]));
        assert!(!is_plain_http("other.lan", &["reg.lan".into()]));
    }

    #[test]
    fn registry_answers_in_dockers_words() {
        let img = ImageRef::parse("reg.example/team/app:1").unwrap();
        let e = status_error(
            &img,
            404,
            br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"x"}]}"#,
        );
        assert_eq!(
            e.message(),
            "manifest for reg.example/team/app:1 not found: manifest unknown"
        );
        let e = status_error(&img, 401, b"");
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert!(
            e.message()
                .starts_with("pull access denied for reg.example/team/app,")
        );
        let e = status_error(
            &img,
            500,
            br#"{"errors":[{"code":"UNKNOWN","message":"disk full"}]}"#,
        );
        assert_eq!(
            e.message(),
            "reg.example: registry answered 500: UNKNOWN: disk full"
        );
        let e = status_error(&img, 502, b"<html>bad gateway</html>");
        assert_eq!(
            e.message(),
            "reg.example: registry answered 502: <html>bad gateway</html>"
        );
    }

    #[test]
    fn sniffs_documents() {
        assert_eq!(
            sniff_media_type(br#"{"schemaVersion":2,"manifests":[]}"#).as_deref(),
            Some(manifest::OCI_INDEX)
        );
        assert_eq!(
            sniff_media_type(br#"{"schemaVersion":2,"config":{},"layers":[]}"#).as_deref(),
            Some(manifest::OCI_MANIFEST)
        );
        assert_eq!(
            sniff_media_type(
                br#"{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{}}"#
            )
            .as_deref(),
            Some(manifest::DOCKER_MANIFEST)
        );
        assert_eq!(sniff_media_type(br#"{"schemaVersion":1}"#), None);
    }
}

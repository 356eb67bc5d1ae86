//! Registry access (oci-client) with docker's rules: credentials from
//! docker's config.json and credential helpers, plain HTTP for loopback and
//! `--insecure-registry` hosts, Bearer and Basic auth.

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::OciDistributionError;
use oci_client::secrets::RegistryAuth;
use oci_client::{Client as OciClient, RegistryOperation};

use super::manifest::{self, ACCEPTED_MANIFESTS};
use super::reference::ImageRef;
use crate::error::{Error, ErrorKind, Result};

/// A registry session for one repository.
#[derive(Clone)]
pub struct Registry {
    client: OciClient,
    image: ImageRef,
    auth: RegistryAuth,
}

/// Where the manifest a reference points to lives, and what it is.
pub struct Fetched {
    pub digest: String,
    pub media_type: String,
    pub data: Vec<u8>,
}

impl Registry {
    /// Opens a session: chooses the scheme, finds credentials and, for
    /// token-auth registries, obtains a pull token.
    pub async fn open(image: &ImageRef, insecure: &[String]) -> Result<Registry> {
        install_crypto_provider();
        let host = image.registry().to_string();
        let protocol = if is_plain_http(&host, insecure) {
            ClientProtocol::HttpsExcept(vec![resolve_host(&host).to_string()])
        } else {
            ClientProtocol::Https
        };
        let client = OciClient::new(ClientConfig {
            protocol,
            platform_resolver: None,
            connect_timeout: Some(std::time::Duration::from_secs(30)),
            user_agent: concat!("berth/", env!("CARGO_PKG_VERSION")),
            ..Default::default()
        });
        let auth = credentials_for(&host)?;
        client
            .auth(image.oci(), &auth, RegistryOperation::Pull)
            .await
            .map_err(|e| registry_error(image, e))?;
        Ok(Registry {
            client,
            image: image.clone(),
            auth,
        })
    }

    /// Fetches the manifest or index `reference` names (tag or digest).
    pub async fn fetch_manifest(&self, reference: &ImageRef) -> Result<Fetched> {
        let (data, digest) = self
            .client
            .pull_manifest_raw(reference.oci(), &self.auth, ACCEPTED_MANIFESTS)
            .await
            .map_err(|e| registry_error(reference, e))?;
        let media_type = sniff_media_type(&data).ok_or_else(|| {
            Error::new(
                ErrorKind::Registry,
                format!("{reference}: the registry returned a document that is neither an image manifest nor an index"),
            )
        })?;
        Ok(Fetched {
            digest,
            media_type,
            data: data.to_vec(),
        })
    }

    /// Fetches a small blob (a config) into memory.
    pub async fn fetch_blob(&self, digest: &str) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.client
            .pull_blob(self.image.oci(), digest, &mut out)
            .await
            .map_err(|e| registry_error(&self.image, e))?;
        Ok(out)
    }

    /// Streams a blob from `offset`. The bool says whether the registry
    /// honoured the offset (false: the stream starts at byte 0). Always a
    /// range request: containerd verifies size and digest at commit, so
    /// hashing here as well would only burn CPU.
    pub async fn blob_stream(
        &self,
        digest: &str,
        offset: u64,
    ) -> Result<(
        futures::stream::BoxStream<'static, std::result::Result<bytes::Bytes, std::io::Error>>,
        bool,
    )> {
        match self
            .client
            .pull_blob_stream_partial(self.image.oci(), digest, offset, None)
            .await
            .map_err(|e| registry_error(&self.image, e))?
        {
            oci_client::client::BlobResponse::Partial(s) => Ok((s.stream, true)),
            oci_client::client::BlobResponse::Full(s) => Ok((s.stream, offset == 0)),
        }
    }
}

/// rustls needs a process-wide crypto provider; ring is ours.
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Docker Hub's API host differs from its name.
fn resolve_host(host: &str) -> &str {
    if host == "docker.io" {
        "index.docker.io"
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
fn config_key(host: &str) -> String {
    if host == "docker.io" || host == "index.docker.io" {
        "https://index.docker.io/v1/".to_string()
    } else {
        host.to_string()
    }
}

/// Credentials from docker's config (auths, credsStore, credHelpers).
/// Nothing stored means anonymous access.
pub fn credentials_for(host: &str) -> Result<RegistryAuth> {
    use docker_credential::{CredentialRetrievalError as E, DockerCredential};
    match docker_credential::get_credential(&config_key(host)) {
        Ok(DockerCredential::UsernamePassword(u, p)) => Ok(RegistryAuth::Basic(u, p)),
        Ok(DockerCredential::IdentityToken(_)) => Err(Error::unsupported(format!(
            "the credentials stored for {host} are an identity token, which berth cannot use yet"
        ))
        .hinted(format!("log in to {host} with a username and password"))),
        Err(E::ConfigNotFound | E::ConfigReadError | E::NoCredentialConfigured) => {
            Ok(RegistryAuth::Anonymous)
        }
        Err(E::HelperFailure {
            helper,
            stdout,
            stderr,
        }) if stdout.contains("credentials not found")
            || stderr.contains("credentials not found") =>
        {
            tracing::debug!("credential helper {helper} has nothing for {host}");
            Ok(RegistryAuth::Anonymous)
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

/// Registry failures in docker's words, credentials never included.
pub fn registry_error(image: &ImageRef, err: OciDistributionError) -> Error {
    use OciDistributionError as O;
    let familiar = image.familiar_repository();
    let denied = || {
        Error::new(
            ErrorKind::Unauthorized,
            format!(
                "pull access denied for {familiar}, repository does not exist or may require 'docker login'"
            ),
        )
        .hinted(format!(
            "log in with `docker login {}` (berth reads docker's config.json) or check the name",
            image.registry()
        ))
    };
    match err {
        O::AuthenticationFailure(_) | O::UnauthorizedError { .. } => denied(),
        O::ImageManifestNotFoundError(_) => not_found(image),
        O::RegistryError { envelope, .. } => {
            use oci_client::errors::OciErrorCode as C;
            let codes: Vec<&C> = envelope.errors.iter().map(|e| &e.code).collect();
            if codes
                .iter()
                .any(|c| matches!(c, C::Unauthorized | C::Denied))
            {
                denied()
            } else if codes.iter().any(|c| {
                matches!(
                    c,
                    C::ManifestUnknown | C::NameUnknown | C::NotFound | C::BlobUnknown
                )
            }) {
                not_found(image)
            } else {
                Error::new(
                    ErrorKind::Registry,
                    format!("{}: {envelope}", image.registry()),
                )
            }
        }
        O::ServerError {
            code: 401 | 403, ..
        } => denied(),
        O::ServerError { code: 404, .. } => not_found(image),
        O::ServerError { code, message, .. } => Error::new(
            ErrorKind::Registry,
            format!("{}: registry answered {code}: {message}", image.registry()),
        ),
        O::RequestError(e) => {
            let mut msg = format!("{}: {e}", image.registry());
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Error::new(ErrorKind::Registry, msg).hinted(
                "check that the registry is reachable; use --insecure-registry for a plain-HTTP registry",
            )
        }
        other => Error::new(
            ErrorKind::Registry,
            format!("{}: {other}", image.registry()),
        ),
    }
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

//! The push side of the registry API: blob existence, cross-repository
//! mounts, monolithic uploads (the body streamed by the caller), manifests
//! put byte for byte so their digests stay what containerd has.

use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, LOCATION};
use reqwest::{Method, StatusCode};

use super::Registry;
use crate::error::{Error, ErrorKind, Result};

impl Registry {
    fn failed(&self, what: &str, status: StatusCode, body: &[u8]) -> Error {
        let said = String::from_utf8_lossy(body);
        let detail = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["errors"][0]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| said.trim().chars().take(200).collect());
        let kind = match status.as_u16() {
            401 | 403 => ErrorKind::Unauthorized,
            _ => ErrorKind::Registry,
        };
        let e = Error::new(
            kind,
            format!("{}: {what}: {status} {detail}", self.image.registry()),
        );
        if super::is_transient_status(status.as_u16()) {
            e.transient()
        } else {
            e
        }
    }

    /// Whether the repository already has the blob.
    pub async fn has_blob(&self, digest: &str) -> Result<bool> {
        let url = format!("{}/blobs/{digest}", self.base);
        let resp = self.send(Method::HEAD, &url, HeaderMap::new()).await?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            s => Err(self.failed(&format!("checking blob {digest}"), s, &[])),
        }
    }

    /// Asks for the blob to be mounted from `from` (a repository of the same
    /// registry). Ok(None): mounted. Ok(Some(url)): not mounted, upload to url.
    pub async fn mount_or_start(&self, digest: &str, from: Option<&str>) -> Result<Option<String>> {
        let url = match from {
            Some(repo) => format!("{}/blobs/uploads/?mount={digest}&from={repo}", self.base),
            None => format!("{}/blobs/uploads/", self.base),
        };
        let resp = self.send(Method::POST, &url, HeaderMap::new()).await?;
        match resp.status() {
            StatusCode::CREATED if from.is_some() => Ok(None),
            StatusCode::ACCEPTED | StatusCode::CREATED => {
                let location = resp
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| {
                        self.failed("starting an upload", resp.status(), b"no Location")
                    })?;
                Ok(Some(self.absolute(location)))
            }
            s => {
                let body = resp.bytes().await.unwrap_or_default();
                Err(self.failed("starting an upload", s, &body))
            }
        }
    }

    pub(super) fn absolute(&self, location: &str) -> String {
        if location.starts_with("http://") || location.starts_with("https://") {
            return location.to_string();
        }
        // base is scheme://host/v2/<repo>: keep scheme://host.
        let origin_end = self.base.find("/v2/").unwrap_or(self.base.len());
        format!("{}{location}", &self.base[..origin_end])
    }

    /// Finishes an upload started at `location` with the whole blob.
    pub async fn upload(
        &self,
        location: &str,
        digest: &str,
        size: u64,
        body: reqwest::Body,
    ) -> Result<()> {
        let sep = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{sep}digest={digest}");
        let req = self
            .http
            .put(url)
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(CONTENT_LENGTH, size)
            .body(body);
        self.send_once(req, &format!("uploading blob {digest}"))
            .await
    }

    /// Puts a manifest or index under `reference` (a tag or its digest).
    pub async fn put_manifest(
        &self,
        reference: &str,
        media_type: &str,
        data: Vec<u8>,
    ) -> Result<()> {
        let url = format!("{}/manifests/{reference}", self.base);
        // A bodiless probe first, so a 401 is answered before the body goes.
        if self.authorization.read().await.is_none() {
            let _ = self.send(Method::HEAD, &url, HeaderMap::new()).await?;
        }
        let req = self
            .http
            .put(&url)
            .header(CONTENT_TYPE, media_type)
            .body(data);
        self.send_once(req, &format!("putting manifest {reference}"))
            .await
    }

    /// Sends a request with a body (so it cannot be repeated) under the
    /// session's authorization.
    async fn send_once(&self, mut req: reqwest::RequestBuilder, what: &str) -> Result<()> {
        if let Some(a) = self.authorization.read().await.as_deref() {
            req = req.header(AUTHORIZATION, a);
        }
        let resp = req.send().await.map_err(|e| self.transport_error(&e))?;
        if resp.status().is_success() {
            return Ok(());
        }
        let status = resp.status();
        let body = resp.bytes().await.unwrap_or_default();
        Err(self.failed(what, status, &body))
    }
}

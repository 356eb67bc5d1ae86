//! A repository's tags (`GET /v2/<name>/tags/list`, following the
//! registry's `Link` pages), for `pull --all-tags`.

use reqwest::header::{HeaderMap, LINK};

use super::Registry;
use crate::error::{Error, ErrorKind, Result};

#[derive(serde::Deserialize)]
struct TagList {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

impl Registry {
    /// Every tag of the repository, in the registry's order.
    pub async fn tags(&self) -> Result<Vec<String>> {
        let mut url = format!("{}/tags/list", self.base);
        let mut out = Vec::new();
        for _ in 0..1000 {
            let resp = self
                .checked(self.get(&url, HeaderMap::new()).await?, &self.image)
                .await?;
            let next = resp
                .headers()
                .get(LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_page)
                .map(|p| self.absolute(&p));
            let body = resp.bytes().await.map_err(|e| self.transport_error(&e))?;
            let list: TagList = serde_json::from_slice(&body).map_err(|e| {
                Error::new(
                    ErrorKind::Registry,
                    format!("{}: reading the tag list: {e}", self.image.registry()),
                )
            })?;
            out.extend(list.tags.unwrap_or_default());
            match next {
                Some(n) => url = n,
                None => return Ok(out),
            }
        }
        Ok(out)
    }
}

/// The target of a `Link: <...>; rel="next"` header.
fn next_page(link: &str) -> Option<String> {
    link.split(',')
        .find(|l| l.contains("rel=\"next\""))
        .and_then(|l| {
            let start = l.find('<')? + 1;
            let end = l.find('>')?;
            Some(l[start..end].to_string())
        })
}

/// The tags of `image`'s repository, from its first registry (mirror or
/// upstream) that answers.
pub async fn list(image: &crate::image::ImageRef, insecure: &[String]) -> Result<Vec<String>> {
    let mut candidates = Registry::candidates(image, insecure)?;
    let upstream = candidates
        .pop()
        .ok_or_else(|| Error::invalid("no registry to ask"))?;
    for registry in candidates {
        match registry.tags().await {
            Ok(t) => return Ok(t),
            Err(e) => tracing::debug!("{}: {}", registry.base, e.message()),
        }
    }
    upstream.tags().await
}

#[cfg(test)]
mod tests {
    use super::next_page;

    #[test]
    fn the_next_page_is_read_from_link() {
        assert_eq!(
            next_page(r#"</v2/x/tags/list?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/x/tags/list?last=b&n=2")
        );
        assert_eq!(next_page(r#"</v2/x/tags/list?last=b>; rel="prev""#), None);
    }
}

//! Registry authentication the way docker does it: answer a 401's
//! `WWW-Authenticate` challenge with Basic credentials or with a Bearer
//! token fetched from the challenge's realm; credentials come from docker's
//! config.json and credential helpers and never appear in messages.

use crate::error::{Error, ErrorKind, Result};

/// Credentials for one registry.
#[derive(Clone, Default)]
pub enum Credentials {
    #[default]
    Anonymous,
    Basic {
        username: String,
        password: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Anonymous => f.write_str("Anonymous"),
            Credentials::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
        }
    }
}

impl Credentials {
    pub fn basic_header(&self) -> Option<String> {
        use base64::Engine;
        match self {
            Credentials::Anonymous => None,
            Credentials::Basic { username, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
            )),
        }
    }
}

/// A parsed `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm=…`).
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    let params = parse_params(rest);
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    };
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => Some(Challenge::Basic),
        "bearer" => Some(Challenge::Bearer {
            realm: get("realm")?,
            service: get("service"),
            scope: get("scope"),
        }),
        _ => None,
    }
}

/// `k="v", k2=v2` with quoted values that may hold commas.
fn parse_params(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            return out;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                value.push(c);
            }
        }
        out.push((key.trim().to_string(), value.trim().to_string()));
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

/// The `Authorization` header answering `challenge` for pulling `repo`
/// (None: a token for no repository, as `login` asks). None back means the
/// registry wants credentials berth does not have.
pub async fn authorize(
    http: &reqwest::Client,
    challenge: &Challenge,
    creds: &Credentials,
    repo: Option<&str>,
) -> Result<Option<String>> {
    let (realm, service, scope) = match challenge {
        Challenge::Basic => return Ok(creds.basic_header()),
        Challenge::Bearer {
            realm,
            service,
            scope,
        } => (realm, service, scope),
    };
    let scope = scope
        .clone()
        .or_else(|| repo.map(|r| format!("repository:{r}:pull")));
    let mut query = Vec::new();
    if let Some(s) = &scope {
        query.push(("scope", s.as_str()));
    }
    if let Some(s) = service {
        query.push(("service", s));
    }
    let url = reqwest::Url::parse_with_params(realm, &query).map_err(|e| {
        Error::new(
            ErrorKind::Registry,
            format!("the registry's token realm {realm:?} is not a URL: {e}"),
        )
    })?;
    let mut req = http.get(url);
    if let Some(h) = creds.basic_header() {
        req = req.header(reqwest::header::AUTHORIZATION, h);
    }
    let resp = req.send().await.map_err(|e| {
        Error::new(
            ErrorKind::Registry,
            format!("getting a token from {realm}: {}", super::describe(&e)),
        )
    })?;
    match resp.status().as_u16() {
        200 => {}
        401 | 403 => return Ok(None),
        code => {
            return Err(Error::new(
                ErrorKind::Registry,
                format!("getting a token from {realm}: the token server answered {code}"),
            ));
        }
    }
    let bad = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::Registry,
            format!("reading the token from {realm}: {e}"),
        )
    };
    let bytes = resp.bytes().await.map_err(|e| bad(&e))?;
    let body: TokenResponse = serde_json::from_slice(&bytes).map_err(|e| bad(&e))?;
    Ok(body
        .token
        .or(body.access_token)
        .filter(|t| !t.is_empty())
        .map(|t| format!("Bearer {t}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/busybox:pull,push".into()),
            })
        );
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(
            parse_challenge("bearer realm=https://x/token"),
            Some(Challenge::Bearer {
                realm: "https://x/token".into(),
                service: None,
                scope: None,
            })
        );
        assert_eq!(parse_challenge("Negotiate abc"), None);
        assert_eq!(parse_challenge("Bearer service=\"x\""), None);
    }

    #[test]
    fn credentials_never_print() {
        let c = Credentials::Basic {
            username: "u".into(),
            password: "s3cret".into(),
        };
        assert!(!format!("{c:?}").contains("s3cret"));
        assert_eq!(c.basic_header().unwrap(), "Basic dTpzM2NyZXQ=");
    }
}

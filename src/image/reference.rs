//! Image references with docker's normalisation: `busybox` means
//! `docker.io/library/busybox:latest`, and is shown back as `busybox`.

use std::fmt;

use crate::error::{Error, Result};

use super::grammar::DOCKER_HUB;
const OFFICIAL_PREFIX: &str = "library/";

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl ImageRef {
    pub fn parse(input: &str) -> Result<ImageRef> {
        let parts = super::grammar::parse(input).map_err(|why| {
            Error::invalid(format!("invalid reference format: {why}"))
                .hinted("an image reference looks like [registry/]name[:tag][@sha256:digest]")
        })?;
        Ok(ImageRef {
            registry: parts.registry,
            repository: parts.repository,
            tag: parts.tag,
            digest: parts.digest,
        })
    }

    /// The full name containerd stores, e.g. `docker.io/library/busybox:latest`.
    pub fn name(&self) -> String {
        let mut s = format!("{}/{}", self.registry, self.repository);
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// The registry host as written (`docker.io` for Docker Hub).
    pub fn registry(&self) -> &str {
        &self.registry
    }

    pub fn repository(&self) -> &str {
        &self.repository
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// What the registry's manifest endpoint takes: the digest if pinned,
    /// else the tag.
    pub(crate) fn manifest_reference(&self) -> &str {
        self.digest()
            .or(self.tag())
            .unwrap_or(super::grammar::DEFAULT_TAG)
    }

    /// docker's short form: `busybox:latest`, `quay.io/x/y:1`.
    pub fn familiar(&self) -> String {
        let mut s = familiar_repository(self.registry(), self.repository());
        if let Some(t) = self.tag() {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = self.digest() {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// The repository as docker shows it in `images`: `busybox`.
    pub fn familiar_repository(&self) -> String {
        familiar_repository(self.registry(), self.repository())
    }

    /// This reference pinned to a digest (for fetching a manifest by digest).
    pub(crate) fn with_digest(&self, digest: &str) -> ImageRef {
        ImageRef {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: None,
            digest: Some(digest.to_string()),
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

fn familiar_repository(registry: &str, repository: &str) -> String {
    if registry == DOCKER_HUB {
        repository
            .strip_prefix(OFFICIAL_PREFIX)
            .unwrap_or(repository)
            .to_string()
    } else {
        format!("{registry}/{repository}")
    }
}

/// Splits a stored image name into docker's REPOSITORY and TAG columns.
/// Stored names are fully qualified; anything else (e.g. an imported
/// `sha256:...`) is not a reference and gives `<none>`.
pub fn repo_and_tag(name: &str) -> (String, String) {
    match ImageRef::parse(name) {
        Ok(r) if r.name() == name => {
            let repo = r.familiar_repository();
            let tag = match (r.tag(), r.digest()) {
                (Some(t), _) => t.to_string(),
                _ => "<none>".to_string(),
            };
            (repo, tag)
        }
        _ => ("<none>".to_string(), "<none>".to_string()),
    }
}

/// docker's `path.Match`-style glob, used by `--filter reference=`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some(b'*') => {
                // '*' never crosses '/' in path.Match.
                let rest = &p[1..];
                let mut i = 0;
                loop {
                    if go(rest, &t[i..]) {
                        return true;
                    }
                    if i >= t.len() || t[i] == b'/' {
                        return false;
                    }
                    i += 1;
                }
            }
            Some(b'?') => !t.is_empty() && t[0] != b'/' && go(&p[1..], &t[1..]),
            Some(&c) => !t.is_empty() && t[0] == c && go(&p[1..], &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let cases = [
            (
                "busybox",
                "docker.io/library/busybox:latest",
                "busybox:latest",
            ),
            (
                "busybox:1.36",
                "docker.io/library/busybox:1.36",
                "busybox:1.36",
            ),
            (
                "library/busybox",
                "docker.io/library/busybox:latest",
                "busybox:latest",
            ),
            ("user/app:v1", "docker.io/user/app:v1", "user/app:v1"),
            (
                "127.0.0.1:5000/berth-test/busybox",
                "127.0.0.1:5000/berth-test/busybox:latest",
                "127.0.0.1:5000/berth-test/busybox:latest",
            ),
            ("localhost/x", "localhost/x:latest", "localhost/x:latest"),
            ("quay.io/a/b:c", "quay.io/a/b:c", "quay.io/a/b:c"),
        ];
        for (input, name, familiar) in cases {
            let r = ImageRef::parse(input).unwrap();
            assert_eq!(r.name(), name, "{input}");
            assert_eq!(r.familiar(), familiar, "{input}");
        }
    }

    #[test]
    fn digests() {
        let d = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse(&format!("busybox@{d}")).unwrap();
        assert_eq!(r.name(), format!("docker.io/library/busybox@{d}"));
        assert_eq!(r.tag(), None);
        assert_eq!(r.digest(), Some(d.as_str()));
        assert!(ImageRef::parse("busybox@sha256:abc").is_err());
    }

    #[test]
    fn rejects_bad_references() {
        let e = ImageRef::parse("Busybox").unwrap_err();
        assert_eq!(
            e.message(),
            "invalid reference format: repository name (library/Busybox) must be lowercase"
        );
        assert!(ImageRef::parse("").is_err());
        assert!(ImageRef::parse("a b").is_err());
        assert!(ImageRef::parse("busybox:").is_err());
        assert!(ImageRef::parse("-x").is_err());
        // A registry host may have capitals; the repository may not.
        assert!(ImageRef::parse("Registry.example.com/app").is_ok());
    }

    #[test]
    fn repo_and_tag_columns() {
        assert_eq!(
            repo_and_tag("docker.io/library/busybox:latest"),
            ("busybox".into(), "latest".into())
        );
        assert_eq!(
            repo_and_tag("127.0.0.1:5000/x/y:1"),
            ("127.0.0.1:5000/x/y".into(), "1".into())
        );
        let d = format!("sha256:{}", "b".repeat(64));
        assert_eq!(
            repo_and_tag(&format!("docker.io/library/busybox@{d}")),
            ("busybox".into(), "<none>".into())
        );
        assert_eq!(
            repo_and_tag("sha256:xyz"),
            ("<none>".into(), "<none>".into())
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("busy*", "busybox"));
        assert!(glob_match("busybox:*", "busybox:latest"));
        assert!(!glob_match("busy*", "x/busybox"));
        assert!(glob_match("*/busybox", "x/busybox"));
        assert!(!glob_match("*", "a/b"));
        assert!(glob_match("b?sybox", "busybox"));
    }
}

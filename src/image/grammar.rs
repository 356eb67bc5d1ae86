//! docker's image reference grammar (distribution/reference), checked by
//! hand: the equivalent regular expression costs ~20 ms to compile, which
//! every berth invocation would pay.
//!
//! reference  := name [":" tag] ["@" digest]
//! name       := [domain "/"] component ("/" component)*
//! domain     := host [":" port]; host := label ("." label)* | "[" ipv6 "]"
//! component  := alnum+ (separator alnum+)*; separator := "." | "_" | "__" | "-"+
//! tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex{32,}

pub const DOCKER_HUB: &str = "docker.io";
pub const DEFAULT_TAG: &str = "latest";
const NAME_MAX: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// Splits and validates a reference, applying docker's defaults
/// (`docker.io`, `library/`, tag `latest` when there is no digest).
/// The error is the reason, for "invalid reference format: <reason>".
pub fn parse(input: &str) -> Result<Parts, String> {
    let (name_tag, digest) = match input.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (input, None),
    };
    // A tag is a ':' after the last '/' (a ':' before it is a port).
    let last_slash = name_tag.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            Some(&name_tag[last_slash + i + 1..]),
        ),
        None => (name_tag, None),
    };
    if name.is_empty() {
        return Err("empty repository name".into());
    }
    if let Some(t) = tag
        && !valid_tag(t)
    {
        return Err(format!("invalid tag {t:?}"));
    }
    if let Some(d) = digest {
        validate_digest(d)?;
    }
    let (registry, repository) = split_domain(name)?;
    if repository.len() > NAME_MAX {
        return Err("repository name must not be more than 255 characters".into());
    }
    Ok(Parts {
        registry,
        repository,
        tag: tag
            .map(String::from)
            .or_else(|| digest.is_none().then(|| DEFAULT_TAG.to_string())),
        digest: digest.map(String::from),
    })
}

fn split_domain(name: &str) -> Result<(String, String), String> {
    let (domain, path) = match name.split_once('/') {
        // docker: a first component is a host when it has '.', ':', is
        // localhost, or has capitals (repository paths are lowercase).
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            validate_domain(first)?;
            let domain = if first == "index.docker.io" {
                DOCKER_HUB
            } else {
                first
            };
            (domain.to_string(), rest.to_string())
        }
        _ => (DOCKER_HUB.to_string(), name.to_string()),
    };
    let path = if domain == DOCKER_HUB && !path.contains('/') {
        format!("library/{path}")
    } else {
        path
    };
    for component in path.split('/') {
        validate_component(component, &path)?;
    }
    Ok((domain, path))
}

fn validate_domain(domain: &str) -> Result<(), String> {
    let bad = || format!("invalid registry host {domain:?}");
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let (ip6, after) = rest.split_once(']').ok_or_else(bad)?;
        if ip6.is_empty() || !ip6.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(bad());
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(bad)?),
        };
        (None, port)
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !host.split('.').all(label_ok) {
            return Err(bad());
        }
    }
    if let Some(p) = port
        && (p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(bad());
    }
    Ok(())
}

fn validate_component(c: &str, path: &str) -> Result<(), String> {
    if c.chars().any(|ch| ch.is_ascii_uppercase()) {
        return Err(format!("repository name ({path}) must be lowercase"));
    }
    let bytes = c.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bad = || format!("invalid repository name component {c:?}");
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return Err(bad());
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        // A separator: ".", "_", "__" or a run of "-".
        let start = i;
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if bytes.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            b'-' => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return Err(bad()),
        }
        if i == start || !bytes.get(i).copied().is_some_and(alnum) {
            return Err(bad());
        }
    }
    Ok(())
}

fn valid_tag(t: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = t.chars();
    t.len() <= 128
        && chars.next().is_some_and(word)
        && chars.all(|c| word(c) || c == '.' || c == '-')
}

fn validate_digest(d: &str) -> Result<(), String> {
    let (algo, hex) = d
        .split_once(':')
        .ok_or_else(|| format!("invalid digest {d:?}"))?;
    let algo_ok = algo.split(['-', '_', '+', '.']).all(|p| {
        let mut cs = p.chars();
        cs.next().is_some_and(|c| c.is_ascii_alphabetic()) && cs.all(|c| c.is_ascii_alphanumeric())
    });
    if !algo_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("invalid digest {d:?}"));
    }
    let want = match algo {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    };
    match want {
        Some(n) if hex.len() != n => Err(format!("invalid checksum digest length for {algo}")),
        None => Err(format!("unsupported digest algorithm {algo:?}")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> (String, String, Option<String>, Option<String>) {
        let r = parse(s).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    #[test]
    fn defaults_and_domains() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            p("busybox"),
            (
                "docker.io".into(),
                "library/busybox".into(),
                some("latest"),
                None
            )
        );
        assert_eq!(
            p("user/app:v1.2"),
            ("docker.io".into(), "user/app".into(), some("v1.2"), None)
        );
        assert_eq!(
            p("index.docker.io/x"),
            ("docker.io".into(), "library/x".into(), some("latest"), None)
        );
        assert_eq!(
            p("localhost/x"),
            ("localhost".into(), "x".into(), some("latest"), None)
        );
        assert_eq!(
            p("localhost:5000/a/b:t"),
            ("localhost:5000".into(), "a/b".into(), some("t"), None)
        );
        assert_eq!(
            p("127.0.0.1:5000/x"),
            ("127.0.0.1:5000".into(), "x".into(), some("latest"), None)
        );
        assert_eq!(
            p("[::1]:5000/x"),
            ("[::1]:5000".into(), "x".into(), some("latest"), None)
        );
        assert_eq!(p("Registry.Example.com/app").0, "Registry.Example.com");
        // docker's own test cases: a name that looks like a host, without a '/'
        assert_eq!(
            p("test.com:tag"),
            (
                "docker.io".into(),
                "library/test.com".into(),
                some("tag"),
                None
            )
        );
        assert_eq!(
            p("test.com:5000"),
            (
                "docker.io".into(),
                "library/test.com".into(),
                some("5000"),
                None
            )
        );
        assert_eq!(p("foo_bar.com:8080").1, "library/foo_bar.com");
        assert_eq!(p("a__b/c-d--e.f").1, "a__b/c-d--e.f");
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            p(&format!("x@{d}")),
            (
                "docker.io".into(),
                "library/x".into(),
                None,
                Some(d.clone())
            )
        );
        assert_eq!(p(&format!("x:1@{d}")).2, some("1"));
    }

    #[test]
    fn rejections() {
        for bad in [
            "",
            ":tag",
            "a b",
            "-x",
            "x-",
            "a..b",
            "a___b",
            "a/",
            "/a",
            "x:",
            "x:-t",
            "x@sha256:abc",
            "x@md5:0123456789abcdef0123456789abcdef",
            "bad_host.com:/x",
            "host:port/x",
            "a/B",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(
            parse("Busybox").unwrap_err(),
            "repository name (library/Busybox) must be lowercase"
        );
        assert!(parse(&"a".repeat(256)).is_err());
        assert!(parse(&format!("x:{}", "t".repeat(129))).is_err());
    }
}

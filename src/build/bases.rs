//! `FROM` images through berth's registry configuration. BuildKit's
//! daemon resolves base images itself and knows nothing of the mirrors
//! hosts.toml gives berth's pulls (docker's daemon mirror setting covers
//! its builds). So before a build berth reads the Dockerfile's `FROM`
//! lines, asks each image's mirrors (as `pull` would, in file order)
//! whether they have it, and hands every image a mirror serves to the
//! Dockerfile frontend as a named context pinned to that mirror and the
//! digest berth saw: `context:redis=docker-image://mirror:5000/library/redis@sha256:…`.
//! Images no mirror has are left to the daemon (the upstream).

use std::collections::HashMap;
use std::path::Path;

use crate::image::ImageRef;
use crate::image::registry::Registry;

/// The images the `FROM` lines name (stage names, `scratch` and
/// references with unresolved variables left out), after docker's
/// expansion of the global `ARG`s (defaults, then `--build-arg`).
pub fn images(dockerfile: &str, build_args: &[(String, String)]) -> Vec<String> {
    let mut args: HashMap<String, String> = HashMap::new();
    let mut stages: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut seen_from = false;
    for line in logical_lines(dockerfile) {
        let mut words = line.split_whitespace();
        let Some(cmd) = words.next() else { continue };
        match cmd.to_ascii_uppercase().as_str() {
            "ARG" if !seen_from => {
                for decl in words {
                    let (k, v) = decl.split_once('=').unwrap_or((decl, ""));
                    let given = build_args.iter().find(|(n, _)| n == k).map(|(_, v)| v);
                    args.insert(k.to_string(), given.cloned().unwrap_or_else(|| unquote(v)));
                }
            }
            "FROM" => {
                seen_from = true;
                let rest: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
                let Some(raw) = rest.first() else { continue };
                let image = expand(raw, &args);
                if let [_, as_kw, name] = rest[..]
                    && as_kw.eq_ignore_ascii_case("as")
                {
                    stages.push(name.to_ascii_lowercase());
                }
                let Some(image) = image else { continue };
                let known_stage = stages
                    [..stages.len().saturating_sub(usize::from(rest.len() == 3))]
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&image));
                if image.eq_ignore_ascii_case("scratch") || known_stage || out.contains(&image) {
                    continue;
                }
                out.push(image);
            }
            _ => {}
        }
    }
    out
}

/// Lines with `\` continuations joined, comments and blanks dropped.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let t = line.trim();
        if cur.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        match t.strip_suffix('\\') {
            Some(head) => {
                cur.push_str(head);
                cur.push(' ');
            }
            None => {
                cur.push_str(t);
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(v: &str) -> String {
    v.trim_matches('"').trim_matches('\'').to_string()
}

/// `$X` and `${X}` from `args`; None when one is unknown.
fn expand(word: &str, args: &HashMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => {
                let end = inner.find('}')?;
                (&inner[..end], end + 2)
            }
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        out.push_str(args.get(name)?);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// The frontend's key for an image: docker's familiar name without
/// `:latest` (what the Dockerfile frontend looks a named context up by).
fn context_key(r: &ImageRef) -> String {
    let f = r.familiar();
    f.strip_suffix(":latest").map(str::to_string).unwrap_or(f)
}

/// The named contexts for the Dockerfile at `path` (`context:KEY` →
/// `docker-image://MIRROR/REPOSITORY@DIGEST`).
pub async fn mirrored(
    path: &Path,
    build_args: &[(String, String)],
    insecure: &[String],
) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for image in images(&text, build_args) {
        let Ok(r) = ImageRef::parse(&image) else {
            continue;
        };
        match Registry::mirror_having(&r, insecure, &r).await {
            Ok(Some((host, digest))) => out.push((
                format!("context:{}", context_key(&r)),
                format!("docker-image://{host}/{}@{digest}", r.repository()),
            )),
            Ok(None) => {}
            Err(e) => tracing::debug!("mirrors of {image}: {}", e.message()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lines_name_images_not_stages() {
        let df = "# syntax comment\nARG BASE=redis\nARG TAG\nFROM ${BASE}:7 AS build\n\
                  RUN make\nFROM --platform=$BUILDPLATFORM golang:1.22 \\\n  AS tools\n\
                  FROM build\nFROM scratch\nFROM quay.io/x/y@sha256:abc\nFROM $UNKNOWN\n\
                  FROM busybox:$TAG\nFROM redis:7\n";
        assert_eq!(
            images(df, &[("TAG".into(), "1.36".into())]),
            [
                "redis:7",
                "golang:1.22",
                "quay.io/x/y@sha256:abc",
                "busybox:1.36"
            ]
        );
        // A stage name only counts once it is defined.
        assert_eq!(images("FROM build AS build\n", &[]), ["build"]);
    }

    #[test]
    fn keys_are_the_frontends() {
        let key = |s: &str| context_key(&ImageRef::parse(s).unwrap());
        assert_eq!(key("redis"), "redis");
        assert_eq!(key("docker.io/library/redis:7"), "redis:7");
        assert_eq!(
            key("registry.test/berth-test/busybox:latest"),
            "registry.test/berth-test/busybox"
        );
    }
}

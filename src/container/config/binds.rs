//! `-v /host/path:/ctr/path[:opts]`: docker's bind mounts (volumes are
//! told apart in mounts.rs, which turns a [`Bind`] into its mount entry).
//!
//! The string is kept as given (docker's `HostConfig.Binds`): its source
//! is absolute (docker's CLI makes a relative one absolute, its daemon
//! takes anything else for a volume name).

use std::path::{Component, Path};

use crate::error::{Error, Result};

/// docker's bind propagation modes.
const PROPAGATIONS: &[&str] = &[
    "private", "rprivate", "shared", "rshared", "slave", "rslave",
];
/// Accepted for compatibility with docker Desktop's file sharing; no effect.
const CONSISTENCY: &[&str] = &["consistent", "cached", "delegated"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bind {
    pub source: String,
    pub destination: String,
    pub read_only: bool,
    /// The options as given (docker's `.Mounts[].Mode`): `rw,z`, `ro`, "".
    pub mode: String,
    pub propagation: String,
}

/// Parses one `Binds` entry with an absolute source.
pub fn parse(raw: &str) -> Result<Bind> {
    let invalid =
        |why: String| Error::invalid(format!("invalid volume specification: '{raw}'{why}"));
    let parts: Vec<&str> = raw.split(':').collect();
    let (source, destination, mode) = match parts.as_slice() {
        // `/foo:rw` is a destination and a mode: a volume cannot have one.
        [_, dest] if parse_mode(dest).is_ok() => return Err(invalid(String::new())),
        [src, dest] => (*src, *dest, ""),
        [src, dest, mode] => (*src, *dest, *mode),
        _ => return Err(invalid(String::new())),
    };
    if source.is_empty() || destination.is_empty() {
        return Err(invalid(String::new()));
    }
    let (read_only, propagation) = parse_mode(mode)?;
    // Volumes (`name:/x`, `/x`) are told apart before (mounts.rs).
    if !source.starts_with('/') {
        return Err(invalid(String::new()));
    }
    if !destination.starts_with('/') {
        return Err(invalid(format!(
            ": invalid mount config for type \"bind\": invalid mount path: '{destination}' mount path must be absolute"
        )));
    }
    let destination = clean(Path::new(destination));
    if destination == "/" {
        return Err(invalid(
            ": invalid mount config for type \"bind\": invalid specification: destination can't be '/'"
                .into(),
        ));
    }
    Ok(Bind {
        source: clean(Path::new(source)),
        destination,
        read_only,
        mode: mode.to_string(),
        propagation,
    })
}

/// `ro`/`rw`, `z`/`Z`, one propagation: at most one of each kind.
fn parse_mode(mode: &str) -> Result<(bool, String)> {
    let invalid = || Error::invalid(format!("invalid mode: {mode}"));
    let (mut rw, mut label, mut propagation) = (None, None, None);
    for opt in mode.split(',').filter(|o| !o.is_empty()) {
        let slot = match opt {
            "ro" | "rw" => &mut rw,
            "z" | "Z" => &mut label,
            p if PROPAGATIONS.contains(&p) => &mut propagation,
            c if CONSISTENCY.contains(&c) => continue,
            "rro" | "ro-non-recursive" | "ro-force-recursive" => {
                return Err(Error::unsupported(format!(
                    "bind mode {opt} is not supported yet (use ro)"
                )));
            }
            _ => return Err(invalid()),
        };
        if slot.replace(opt).is_some() {
            return Err(invalid());
        }
    }
    Ok((
        rw == Some("ro"),
        propagation.unwrap_or("rprivate").to_string(),
    ))
}

/// Lexically cleaned absolute path, as Go's `filepath.Clean`.
pub fn clean(p: &Path) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s.to_str().unwrap_or_default()),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    format!("/{}", out.join("/"))
}

/// docker creates a missing host directory for `-v`.
pub fn ensure_source(source: &str) -> Result<()> {
    let p = Path::new(source);
    if !p.exists() {
        std::fs::create_dir_all(p)
            .map_err(|e| Error::io(format!("create mount source {source}"), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(raw: &str) -> Result<Bind> {
        parse(raw)
    }

    #[test]
    fn jenkins_workspace_bind() {
        let b = p("/srv/jenkins/ws:/ws:rw,z").unwrap();
        assert_eq!(
            (
                b.source.as_str(),
                b.destination.as_str(),
                b.read_only,
                b.mode.as_str()
            ),
            ("/srv/jenkins/ws", "/ws", false, "rw,z")
        );
        assert_eq!(b.propagation, "rprivate");
    }

    #[test]
    fn modes() {
        let ro = p("/a:/b:ro,rshared").unwrap();
        assert!(ro.read_only);
        assert_eq!(ro.propagation, "rshared");
        assert_eq!(p("/a/./x/../y/:/b/c/").unwrap().source, "/a/y");
        assert_eq!(p("/a:/b/c/").unwrap().destination, "/b/c");
        assert!(p("./src:/s:ro").is_err(), "relative: the CLI's to resolve");
        assert_eq!(p("/a:/b:cached").unwrap().mode, "cached");
        assert_eq!(
            p("/a:/b:bogus").unwrap_err().to_string(),
            "invalid mode: bogus"
        );
        assert_eq!(
            p("/foo:rw").unwrap_err().to_string(),
            "invalid volume specification: '/foo:rw'"
        );
        for bad in ["/a:/b:ro,rw", "/a:/b:z,Z", "/a:/b:c:d", ":/b", "/a:"] {
            let e = p(bad).unwrap_err().to_string();
            assert!(e.contains("invalid"), "{bad}: {e}");
        }
    }

    #[test]
    fn errors_like_docker() {
        assert_eq!(
            p("/a:rel").unwrap_err().to_string(),
            "invalid volume specification: '/a:rel': invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute"
        );
        assert!(p("/a:/").unwrap_err().to_string().contains("can't be '/'"));
    }
}

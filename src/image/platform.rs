//! Platforms (`linux/amd64`, `linux/arm64/v8`): the host's, `--platform`
//! parsing, and choosing a manifest from an index.

use super::manifest::{Descriptor, Platform};
use crate::error::{Error, Result};

/// The platform this binary runs on, in Go's GOOS/GOARCH words.
pub fn host() -> Platform {
    let (architecture, variant) = match std::env::consts::ARCH {
        "x86_64" => ("amd64", None),
        "aarch64" => ("arm64", Some("v8")),
        "arm" => ("arm", Some("v7")),
        "x86" => ("386", None),
        "powerpc64" => ("ppc64le", None),
        "s390x" => ("s390x", None),
        "riscv64" => ("riscv64", None),
        other => (other, None),
    };
    Platform {
        os: "linux".into(),
        architecture: architecture.into(),
        variant: variant.map(String::from),
        os_version: None,
    }
}

/// Parses `os/arch[/variant]` (or just `arch`), normalising aliases.
pub fn parse(s: &str) -> Result<Platform> {
    let parts: Vec<&str> = s.split('/').collect();
    let bad = || {
        Error::invalid(format!("invalid platform {s:?}"))
            .hinted("use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8")
    };
    if parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let (os, arch, variant) = match parts.as_slice() {
        [arch] => ("linux", *arch, None),
        [os, arch] => (*os, *arch, None),
        [os, arch, variant] => (*os, *arch, Some(*variant)),
        _ => return Err(bad()),
    };
    let (arch, default_variant) = match arch.to_ascii_lowercase().as_str() {
        "x86_64" | "x86-64" | "amd64" => ("amd64".to_string(), None),
        "aarch64" | "arm64" => ("arm64".to_string(), Some("v8")),
        "armhf" => ("arm".to_string(), Some("v7")),
        "armel" => ("arm".to_string(), Some("v6")),
        "i386" | "386" => ("386".to_string(), None),
        other => (other.to_string(), None),
    };
    Ok(Platform {
        os: os.to_ascii_lowercase(),
        architecture: arch,
        variant: variant.or(default_variant).map(String::from),
        os_version: None,
    })
}

pub fn format(p: &Platform) -> String {
    match &p.variant {
        Some(v) if !v.is_empty() => format!("{}/{}/{}", p.os, p.architecture, v),
        _ => format!("{}/{}", p.os, p.architecture),
    }
}

/// Whether an image for `have` can serve a request for `want`.
pub fn matches(want: &Platform, have: &Platform) -> bool {
    if want.os != have.os || want.architecture != have.architecture {
        return false;
    }
    // arm64 images usually omit the "v8" variant.
    let norm = |p: &Platform| match (p.architecture.as_str(), p.variant.as_deref()) {
        ("arm64", None | Some("")) => Some("v8".to_string()),
        (_, Some("")) => None,
        (_, v) => v.map(String::from),
    };
    match (norm(want), norm(have)) {
        (Some(w), Some(h)) => w == h,
        _ => true,
    }
}

/// The first manifest of an index that matches the platform. Attestation
/// manifests (platform unknown/unknown) never match.
pub fn choose<'a>(manifests: &'a [Descriptor], want: &Platform) -> Option<&'a Descriptor> {
    manifests
        .iter()
        .find(|d| d.platform.as_ref().is_some_and(|p| matches(want, p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(os: &str, arch: &str, variant: Option<&str>) -> Descriptor {
        Descriptor {
            digest: format!("{os}-{arch}-{variant:?}"),
            platform: Some(Platform {
                os: os.into(),
                architecture: arch.into(),
                variant: variant.map(String::from),
                os_version: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn parses_platforms() {
        assert_eq!(format(&parse("linux/amd64").unwrap()), "linux/amd64");
        assert_eq!(format(&parse("amd64").unwrap()), "linux/amd64");
        assert_eq!(format(&parse("linux/aarch64").unwrap()), "linux/arm64/v8");
        assert_eq!(format(&parse("linux/arm/v6").unwrap()), "linux/arm/v6");
        assert!(parse("linux//x").is_err());
        assert!(parse("a/b/c/d").is_err());
    }

    #[test]
    fn chooses_matching_manifest() {
        let list = vec![
            desc("unknown", "unknown", None),
            desc("linux", "arm", Some("v7")),
            desc("linux", "arm64", None),
            desc("linux", "amd64", None),
        ];
        let amd = choose(&list, &parse("linux/amd64").unwrap()).unwrap();
        assert_eq!(amd.digest, list[3].digest);
        let arm64 = choose(&list, &parse("linux/arm64").unwrap()).unwrap();
        assert_eq!(arm64.digest, list[2].digest);
        assert!(choose(&list, &parse("linux/arm/v6").unwrap()).is_none());
        assert!(choose(&list, &parse("linux/s390x").unwrap()).is_none());
    }
}

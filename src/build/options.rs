//! What `berth build` is asked to do, parsed from docker's flag syntax:
//! outputs, secrets, ssh, cache entries, build args.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// Where the build's result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// No --output: the image goes into containerd (directly when the
    /// worker shares our containerd, else through a tarball).
    Containerd,
    /// type=local,dest=DIR (also `-o DIR`).
    Local(PathBuf),
    /// type=tar (a filesystem tar), to a file or stdout (`-`).
    Tar(Dest),
    /// type=docker / type=oci: to a file or stdout, or loaded into
    /// containerd when there is no dest.
    Archive { oci: bool, dest: Option<Dest> },
    /// type=image (or registry): attributes passed to buildkitd as given.
    Image(HashMap<String, String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    File(PathBuf),
    Stdout,
}

fn dest_of(v: &str) -> Dest {
    if v == "-" {
        Dest::Stdout
    } else {
        Dest::File(PathBuf::from(v))
    }
}

/// Splits docker's CSV `k=v,k=v` (a value may be quoted to hold commas).
pub fn csv_pairs(s: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut fields = Vec::new();
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    for f in fields {
        if f.is_empty() {
            continue;
        }
        match f.split_once('=') {
            Some((k, v)) => out.push((k.trim().to_lowercase(), v.to_string())),
            None => out.push((f.trim().to_lowercase(), String::new())),
        }
    }
    Ok(out)
}

/// `--output`: `type=...,dest=...`, or a bare path / `-`.
pub fn parse_output(s: &str) -> Result<Output> {
    if !s.contains('=') {
        return Ok(if s == "-" {
            Output::Tar(Dest::Stdout)
        } else {
            Output::Local(PathBuf::from(s))
        });
    }
    let mut attrs: HashMap<String, String> = csv_pairs(s)?.into_iter().collect();
    let kind = attrs
        .remove("type")
        .ok_or_else(|| Error::invalid(format!("invalid output {s:?}: type is required")))?;
    let dest = attrs.remove("dest");
    match kind.as_str() {
        "local" => {
            let d = dest.ok_or_else(|| Error::invalid("output type=local needs dest=DIR"))?;
            Ok(Output::Local(PathBuf::from(d)))
        }
        "tar" => Ok(Output::Tar(dest_of(&dest.ok_or_else(|| {
            Error::invalid("output type=tar needs dest=FILE (or - for stdout)")
        })?))),
        "docker" | "oci" => Ok(Output::Archive {
            oci: kind == "oci",
            dest: dest.as_deref().map(dest_of),
        }),
        "image" | "registry" => {
            if kind == "registry" {
                attrs.insert("push".into(), "true".into());
            }
            Ok(Output::Image(attrs))
        }
        other => Err(Error::unsupported(format!(
            "output type {other:?} is not supported (local, tar, docker, oci, image, registry)"
        ))),
    }
}

/// `--secret id=ID,src=PATH` | `id=ID,env=VAR` (type=file|env optional);
/// returns (id, contents).
pub fn parse_secret(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<(String, Vec<u8>)> {
    let mut id = None;
    let mut src = None;
    let mut from_env = None;
    let mut kind = None;
    for (k, v) in csv_pairs(s)? {
        match k.as_str() {
            "id" => id = Some(v),
            "src" | "source" => src = Some(v),
            "env" => from_env = Some(v),
            "type" => kind = Some(v),
            _ => {
                return Err(Error::invalid(format!(
                    "invalid secret {s:?}: unknown key {k:?}"
                )));
            }
        }
    }
    if kind.as_deref() == Some("env") && from_env.is_none() {
        from_env = src.take().or_else(|| id.clone());
    }
    let id = id
        .or_else(|| {
            src.as_ref()
                .and_then(|p| p.rsplit('/').next().map(str::to_string))
        })
        .or_else(|| from_env.clone())
        .ok_or_else(|| Error::invalid(format!("invalid secret {s:?}: id is required")))?;
    let data = match (src, from_env) {
        (Some(path), _) => std::fs::read(&path)
            .map_err(|e| Error::invalid(format!("secret {id}: reading {path}: {e}")))?,
        (None, Some(var)) => env(&var)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "secret {id}: environment variable {var} is not set"
                ))
            })?
            .into_bytes(),
        (None, None) => env(&id)
            .ok_or_else(|| Error::invalid(format!("secret {id}: give src=FILE or env=VAR")))?
            .into_bytes(),
    };
    Ok((id, data))
}

/// `--ssh default` | `id=path` | `id` (the agent at SSH_AUTH_SOCK).
pub fn parse_ssh(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<(String, PathBuf)> {
    let (id, path) = match s.split_once('=') {
        Some((id, p)) => (id.to_string(), Some(p.to_string())),
        None => (s.to_string(), None),
    };
    let path = match path {
        Some(p) if !p.contains(',') => p,
        Some(_) => {
            return Err(Error::unsupported(
                "--ssh with several keys or key files is not supported yet; give one agent socket",
            ));
        }
        None => env("SSH_AUTH_SOCK").ok_or_else(|| {
            Error::invalid(format!(
                "--ssh {s}: SSH_AUTH_SOCK is not set (no ssh agent to forward)"
            ))
        })?,
    };
    Ok((id, PathBuf::from(path)))
}

/// `--cache-from`/`--cache-to`: `type=registry,ref=...`, or a bare ref.
pub fn parse_cache(s: &str) -> Result<(String, HashMap<String, String>)> {
    if !s.contains('=') {
        return Ok((
            "registry".into(),
            HashMap::from([("ref".to_string(), s.to_string())]),
        ));
    }
    let mut attrs: HashMap<String, String> = csv_pairs(s)?.into_iter().collect();
    let kind = attrs.remove("type").unwrap_or_else(|| "registry".into());
    match kind.as_str() {
        "registry" | "inline" | "gha" | "s3" | "azblob" => Ok((kind, attrs)),
        "local" => Err(Error::unsupported(
            "cache type=local is not supported yet (it needs a session content store); use type=registry",
        )),
        other => Err(Error::invalid(format!("unknown cache type {other:?}"))),
    }
}

/// `--build-arg K=V`, or `K` alone taking K from the environment (skipped
/// when unset, as docker does).
pub fn parse_build_arg(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Option<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) => Some((k.to_string(), v.to_string())),
        None => env(s).map(|v| (s.to_string(), v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        match k {
            "TOKEN" => Some("t0k".into()),
            "SSH_AUTH_SOCK" => Some("/tmp/agent.sock".into()),
            _ => None,
        }
    }

    #[test]
    fn outputs() {
        assert_eq!(parse_output("out").unwrap(), Output::Local("out".into()));
        assert_eq!(parse_output("-").unwrap(), Output::Tar(Dest::Stdout));
        assert_eq!(
            parse_output("type=local,dest=/x").unwrap(),
            Output::Local("/x".into())
        );
        assert_eq!(
            parse_output("type=tar,dest=a.tar").unwrap(),
            Output::Tar(Dest::File("a.tar".into()))
        );
        assert_eq!(
            parse_output("type=docker").unwrap(),
            Output::Archive {
                oci: false,
                dest: None
            }
        );
        assert_eq!(
            parse_output("type=oci,dest=-").unwrap(),
            Output::Archive {
                oci: true,
                dest: Some(Dest::Stdout)
            }
        );
        let Output::Image(a) = parse_output("type=image,\"name=r/a:1,r/b:2\",push=true").unwrap()
        else {
            panic!()
        };
        assert_eq!(a["name"], "r/a:1,r/b:2");
        assert_eq!(a["push"], "true");
        assert!(parse_output("type=local").is_err());
        assert!(parse_output("type=cacheonly").is_err());
        assert!(parse_output("dest=x").is_err());
    }

    #[test]
    fn secrets() {
        assert_eq!(
            parse_secret("id=tok,env=TOKEN", &env).unwrap(),
            ("tok".into(), b"t0k".to_vec())
        );
        assert_eq!(
            parse_secret("id=TOKEN", &env).unwrap(),
            ("TOKEN".into(), b"t0k".to_vec())
        );
        assert_eq!(
            parse_secret("type=env,id=TOKEN", &env).unwrap(),
            ("TOKEN".into(), b"t0k".to_vec())
        );
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("pw.txt");
        std::fs::write(&f, "s3cret").unwrap();
        let (id, data) = parse_secret(&format!("src={}", f.display()), &env).unwrap();
        assert_eq!(
            (id.as_str(), data.as_slice()),
            ("pw.txt", b"s3cret".as_slice())
        );
        assert!(parse_secret("id=x,env=NOPE", &env).is_err());
        assert!(parse_secret("id=x,bogus=1", &env).is_err());
    }

    #[test]
    fn ssh_cache_and_args() {
        assert_eq!(
            parse_ssh("default", &env).unwrap(),
            ("default".into(), "/tmp/agent.sock".into())
        );
        assert_eq!(
            parse_ssh("k=/a.sock", &env).unwrap(),
            ("k".into(), "/a.sock".into())
        );
        assert_eq!(
            parse_cache("reg/app:cache").unwrap(),
            (
                "registry".into(),
                HashMap::from([("ref".into(), "reg/app:cache".into())])
            )
        );
        assert_eq!(
            parse_cache("type=registry,ref=r/c,mode=max").unwrap().1["mode"],
            "max"
        );
        assert!(parse_cache("type=local,src=d").is_err());
        assert_eq!(
            parse_build_arg("A=1=2", &env),
            Some(("A".into(), "1=2".into()))
        );
        assert_eq!(
            parse_build_arg("TOKEN", &env),
            Some(("TOKEN".into(), "t0k".into()))
        );
        assert_eq!(parse_build_arg("UNSET", &env), None);
    }
}

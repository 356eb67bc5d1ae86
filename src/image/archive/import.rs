//! `import`: a filesystem tarball (plain or gzip) becomes a one-layer
//! image. The tar is spooled to a temporary file while its digest is
//! computed (containerd wants the digest before the first byte), then
//! written to the content store under a lease with config and manifest;
//! `--change` applies Dockerfile instructions to the config.

use std::collections::HashMap;
use std::io::{Read, Write};

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::image::content::Ingest;
use crate::image::manifest::{ContainerConfig, Descriptor, Platform};
use crate::image::unpack;
use crate::lease::Lease;

const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";

pub struct ImportOptions {
    /// Full image name, or None for an untagged image.
    pub name: Option<String>,
    /// Dockerfile instructions (`CMD ...`, `ENV K=V`, ...).
    pub changes: Vec<String>,
    pub message: Option<String>,
    pub platform: Platform,
}

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("reading the tarball: {e}"))
}

/// Imports from a blocking source; returns the image id.
pub async fn import<R: Read + Send + 'static>(
    client: &Client,
    input: R,
    opts: &ImportOptions,
) -> Result<String> {
    let mut config = ContainerConfig::default();
    for c in &opts.changes {
        apply_change(&mut config, c)?;
    }
    let (spool, digest, size) = tokio::task::spawn_blocking(move || spool(input))
        .await
        .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))??;
    let lease = Lease::create(client, "import").await?;
    let leased = lease.client().clone();
    let result = async {
        write_layer(&leased, spool, &digest, size).await?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let comment = opts
            .message
            .clone()
            .unwrap_or_else(|| "Imported from -".to_string());
        let cfg = json!({
            "created": now,
            "architecture": opts.platform.architecture,
            "os": opts.platform.os,
            "config": config,
            "rootfs": {"type": "layers", "diff_ids": [digest]},
            "history": [{"created": now, "created_by": "", "comment": comment}],
        });
        let layers = [Descriptor {
            media_type: LAYER_TAR.to_string(),
            digest: digest.clone(),
            size: size as i64,
            ..Default::default()
        }];
        let name = opts.name.as_deref();
        let cfg_digest =
            crate::image::commit::write_image(client, &leased, &cfg, &layers, name, &opts.platform)
                .await?;
        Ok::<String, Error>(cfg_digest)
    }
    .await;
    let released = lease.release().await;
    let id = result?;
    released?;
    Ok(id)
}

/// Copies the (gunzipped) tarball to a temporary file: (file, digest, size).
fn spool<R: Read>(input: R) -> Result<(std::fs::File, String, u64)> {
    let mut input = std::io::BufReader::with_capacity(1 << 20, input);
    let gzipped = std::io::BufRead::fill_buf(&mut input)
        .map_err(io)?
        .starts_with(&[0x1f, 0x8b]);
    let mut source: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::GzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let dir = std::env::temp_dir();
    let path = dir.join(format!("berth-import-{}", crate::util::random_token()));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io)?;
    // Unlinked at once: the open handle keeps it until the import ends.
    let _ = std::fs::remove_file(&path);
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    let mut head = Vec::new();
    loop {
        let n = source.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        if head.len() < 512 {
            head.extend_from_slice(&buf[..n.min(512 - head.len())]);
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(io)?;
        size += n as u64;
    }
    if !super::tar::is_header(&head) {
        return Err(Error::invalid(
            "the input is not a tar archive (plain or gzip)",
        ));
    }
    std::io::Seek::rewind(&mut file).map_err(io)?;
    Ok((
        file,
        format!("sha256:{}", hex::encode(hasher.finalize())),
        size,
    ))
}

async fn write_layer(client: &Client, spool: std::fs::File, digest: &str, size: u64) -> Result<()> {
    let Some(mut ingest) = Ingest::open(client, &format!("layer-{digest}"), digest, size).await?
    else {
        return Ok(());
    };
    ingest.restart();
    let mut file = tokio::fs::File::from_std(spool);
    loop {
        let mut buf = vec![0u8; 1 << 20];
        let mut filled = 0;
        while filled < buf.len() {
            let n = tokio::io::AsyncReadExt::read(&mut file, &mut buf[filled..])
                .await
                .map_err(io)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        if filled == 0 {
            break;
        }
        buf.truncate(filled);
        ingest.write(buf).await?;
    }
    let labels = HashMap::from([(unpack::UNCOMPRESSED_LABEL.to_string(), digest.to_string())]);
    ingest.commit(labels).await
}

/// One `--change` instruction applied to the config.
pub fn apply_change(c: &mut ContainerConfig, change: &str) -> Result<()> {
    let (word, rest) = change
        .trim()
        .split_once(char::is_whitespace)
        .unwrap_or((change.trim(), ""));
    let rest = rest.trim();
    let list = |s: &str| -> Vec<String> {
        match serde_json::from_str::<Vec<String>>(s) {
            Ok(v) => v,
            Err(_) => vec!["/bin/sh".into(), "-c".into(), s.to_string()],
        }
    };
    match word.to_ascii_uppercase().as_str() {
        "CMD" => c.cmd = list(rest),
        "ENTRYPOINT" => c.entrypoint = list(rest),
        "ENV" => {
            let bad = || Error::invalid(format!("ENV needs KEY=VALUE: {change:?}"));
            for (k, v) in key_values(rest).ok_or_else(bad)? {
                c.env.retain(|e| e.split('=').next() != Some(k.as_str()));
                c.env.push(format!("{k}={v}"));
            }
        }
        "WORKDIR" => c.working_dir = Some(rest.to_string()),
        "USER" => c.user = Some(rest.to_string()),
        "LABEL" => {
            let bad = || Error::invalid(format!("LABEL needs KEY=VALUE: {change:?}"));
            c.labels.extend(key_values(rest).ok_or_else(bad)?);
        }
        "EXPOSE" => {
            for p in rest.split_whitespace() {
                let p = if p.contains('/') {
                    p.to_string()
                } else {
                    format!("{p}/tcp")
                };
                c.exposed_ports.insert(p, json!({}));
            }
        }
        "VOLUME" => {
            let vols = serde_json::from_str::<Vec<String>>(rest)
                .unwrap_or_else(|_| rest.split_whitespace().map(str::to_string).collect());
            for v in vols {
                c.volumes.insert(v, json!({}));
            }
        }
        "STOPSIGNAL" => c.stop_signal = Some(rest.to_string()),
        "HEALTHCHECK" => c.healthcheck = Some(healthcheck(rest)?),
        other => {
            return Err(Error::invalid(format!(
                "{other} is not a valid change command (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)"
            )));
        }
    }
    Ok(())
}

/// A Dockerfile `HEALTHCHECK` (`NONE`, or `[--interval=D] [--timeout=D]
/// [--start-period=D] [--start-interval=D] [--retries=N] CMD ...`) as
/// docker's `Healthcheck` config.
fn healthcheck(rest: &str) -> Result<serde_json::Value> {
    if rest.eq_ignore_ascii_case("NONE") {
        return Ok(json!({"Test": ["NONE"]}));
    }
    let mut h = serde_json::Map::new();
    let mut rest = rest;
    while let Some(opt) = rest.strip_prefix("--") {
        let (word, after) = opt.split_once(char::is_whitespace).unwrap_or((opt, ""));
        rest = after.trim_start();
        let (k, v) = word
            .split_once('=')
            .ok_or_else(|| Error::invalid(format!("HEALTHCHECK option --{word} needs a value")))?;
        let key = match k {
            "interval" => "Interval",
            "timeout" => "Timeout",
            "start-period" => "StartPeriod",
            "start-interval" => "StartInterval",
            "retries" => {
                let n: i64 = v
                    .parse()
                    .map_err(|_| Error::invalid(format!("invalid retries value {v:?}")))?;
                h.insert("Retries".into(), json!(n));
                continue;
            }
            _ => return Err(Error::invalid(format!("Unknown flag: {k}"))),
        };
        let d = crate::util::parse_go_duration(v)
            .ok_or_else(|| Error::invalid(format!("time: invalid duration \"{v}\"")))?;
        h.insert(key.into(), json!(d.as_nanos() as i64));
    }
    let (kind, cmd) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !kind.eq_ignore_ascii_case("CMD") {
        return Err(Error::invalid(format!(
            "Unknown type \"{kind}\" in HEALTHCHECK (try CMD)"
        )));
    }
    let cmd = cmd.trim();
    if cmd.is_empty() {
        return Err(Error::invalid("Missing command after HEALTHCHECK CMD"));
    }
    let test = match serde_json::from_str::<Vec<String>>(cmd) {
        Ok(args) => std::iter::once("CMD".to_string()).chain(args).collect(),
        Err(_) => vec!["CMD-SHELL".to_string(), cmd.to_string()],
    };
    let mut out = serde_json::Map::new();
    out.insert("Test".into(), json!(test));
    out.extend(h);
    Ok(serde_json::Value::Object(out))
}

/// A Dockerfile instruction's `K=V K2="V 2"` pairs, or its older `K V`
/// form (the rest of the line is the value). None when there is no key.
fn key_values(rest: &str) -> Option<Vec<(String, String)>> {
    let rest = rest.trim();
    let first = rest.split_whitespace().next()?;
    if !first.contains('=') {
        let (k, v) = rest.split_once(char::is_whitespace)?;
        return Some(vec![(k.to_string(), v.trim().to_string())]);
    }
    let mut out = Vec::new();
    for word in words(rest) {
        let (k, v) = word.split_once('=')?;
        if k.is_empty() {
            return None;
        }
        out.push((k.to_string(), v.to_string()));
    }
    Some(out)
}

/// Whitespace-separated words, quotes and backslashes as a shell reads them.
fn words(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut quote, mut chars) = (Vec::new(), String::new(), None, s.chars());
    let mut started = false;
    while let Some(ch) = chars.next() {
        match (quote, ch) {
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(ch);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (q, '\\') if q != Some('\'') => {
                cur.extend(chars.next());
                started = true;
            }
            (_, c) => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes() {
        let mut c = ContainerConfig::default();
        for ch in [
            "CMD [\"/bin/app\", \"-v\"]",
            "ENTRYPOINT run me",
            "ENV A=1",
            "ENV B 2",
            "ENV A=3",
            "WORKDIR /srv",
            "USER nobody",
            "LABEL team=\"x\"",
            "EXPOSE 80 53/udp",
            "VOLUME [\"/data\"]",
        ] {
            apply_change(&mut c, ch).unwrap();
        }
        assert_eq!(c.cmd, ["/bin/app", "-v"]);
        assert_eq!(c.entrypoint, ["/bin/sh", "-c", "run me"]);
        assert_eq!(c.env, ["B=2", "A=3"]);
        assert_eq!(c.working_dir.as_deref(), Some("/srv"));
        assert_eq!(c.user.as_deref(), Some("nobody"));
        assert_eq!(c.labels["team"], "x");
        assert!(c.exposed_ports.contains_key("80/tcp") && c.exposed_ports.contains_key("53/udp"));
        assert!(c.volumes.contains_key("/data"));
        assert!(apply_change(&mut c, "RUN make").is_err());
        // The multi-pair form, as docker reads it.
        apply_change(&mut c, "ENV FOO=image BAR=\"two words\" C=a\\ b").unwrap();
        assert_eq!(c.env, ["B=2", "A=3", "FOO=image", "BAR=two words", "C=a b"]);
        apply_change(&mut c, "LABEL a=1 b='x y'").unwrap();
        assert_eq!(
            (c.labels["a"].as_str(), c.labels["b"].as_str()),
            ("1", "x y")
        );
        assert!(apply_change(&mut c, "ENV =x").is_err());
    }

    #[test]
    fn healthcheck_and_stopsignal_changes() {
        let mut c = ContainerConfig::default();
        apply_change(
            &mut c,
            "HEALTHCHECK --interval=1s --retries=4 CMD [\"true\"]",
        )
        .unwrap();
        assert_eq!(
            c.healthcheck.clone().unwrap(),
            json!({"Test": ["CMD", "true"], "Interval": 1_000_000_000i64, "Retries": 4})
        );
        apply_change(&mut c, "HEALTHCHECK CMD curl -f http://x/ || exit 1").unwrap();
        assert_eq!(
            c.healthcheck.clone().unwrap(),
            json!({"Test": ["CMD-SHELL", "curl -f http://x/ || exit 1"]})
        );
        apply_change(&mut c, "HEALTHCHECK NONE").unwrap();
        assert_eq!(c.healthcheck.clone().unwrap(), json!({"Test": ["NONE"]}));
        assert_eq!(
            apply_change(&mut c, "HEALTHCHECK RUN x")
                .unwrap_err()
                .message(),
            "Unknown type \"RUN\" in HEALTHCHECK (try CMD)"
        );
        assert!(apply_change(&mut c, "HEALTHCHECK --interval=1s CMD").is_err());
        apply_change(&mut c, "STOPSIGNAL SIGUSR1").unwrap();
        assert_eq!(c.stop_signal.as_deref(), Some("SIGUSR1"));
    }
}

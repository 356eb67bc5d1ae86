//! `login`/`logout`: checking credentials against a registry, and keeping
//! them the way docker does: in config.json (`$DOCKER_CONFIG` or
//! `~/.docker`), written atomically with mode 0600 in a 0700 directory,
//! every other key kept; or in a credential helper (`credsStore`,
//! `credHelpers`) through the `docker-credential-*` protocol. The secret
//! never appears in a message.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::Engine;
use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use serde_json::{Map, Value, json};

use super::auth::{self, Credentials};
use super::{api_host, config_key, describe, is_plain_http, tls};
use crate::error::{Error, ErrorKind, Result};

/// The registry host a `login SERVER` argument names (scheme and path
/// dropped, docker.io for none).
pub fn server_host(server: Option<&str>) -> String {
    let s = server.unwrap_or("docker.io");
    let s = s
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = s.split('/').next().unwrap_or(s);
    match host {
        "" | "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
        h => h.to_string(),
    }
}

/// Checks `username`/`password` against the registry's /v2/ endpoint,
/// answering its challenge (Basic, or a Bearer token from its realm).
pub async fn verify(host: &str, insecure: &[String], username: &str, password: &str) -> Result<()> {
    let plain = is_plain_http(host, insecure);
    let http = tls::client(plain)?;
    let url = format!(
        "{}://{}/v2/",
        if plain { "http" } else { "https" },
        api_host(host)
    );
    let unreachable = |e: reqwest::Error| {
        Error::new(
            ErrorKind::Registry,
            format!("cannot reach {host}: {}", describe(&e)),
        )
    };
    let resp = http.get(&url).send().await.map_err(unreachable)?;
    if resp.status().is_success() {
        return Ok(());
    }
    let challenge = resp
        .headers()
        .get(WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::parse_challenge)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Registry,
                format!("{host} answered {} to /v2/", resp.status()),
            )
        })?;
    let creds = Credentials::Basic {
        username: username.to_string(),
        password: password.to_string(),
    };
    let refused = || {
        Error::new(
            ErrorKind::Unauthorized,
            "unauthorized: incorrect username or password",
        )
    };
    let header = auth::authorize(&http, &challenge, &creds, None)
        .await?
        .ok_or_else(refused)?;
    let resp = http
        .get(&url)
        .header(AUTHORIZATION, header)
        .send()
        .await
        .map_err(unreachable)?;
    if resp.status().is_success() {
        Ok(())
    } else {
        Err(refused())
    }
}

static CONFIG_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// docker's `--config DIR`: wins over `DOCKER_CONFIG` and `~/.docker`.
pub fn set_config_dir(dir: PathBuf) {
    let _ = CONFIG_DIR.set(dir);
}

/// docker's config directory (`--config`, `DOCKER_CONFIG`, else `~/.docker`); the
/// caller's, when berth runs its helper on the host.
pub fn config_dir() -> PathBuf {
    if let Some(dir) = CONFIG_DIR.get() {
        return crate::host::caller_path(dir);
    }
    let dir = match std::env::var_os("DOCKER_CONFIG") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
            .join(".docker"),
    };
    crate::host::caller_path(dir)
}

fn io_err(what: &str, e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("{what}: {e}"))
}

fn read_config() -> Result<Map<String, Value>> {
    let path = config_dir().join("config.json");
    match std::fs::read(&path) {
        Ok(data) if data.iter().all(u8::is_ascii_whitespace) => Ok(Map::new()),
        Ok(data) => match serde_json::from_slice(&data) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(Error::invalid(format!(
                "{} is not a JSON object",
                path.display()
            ))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Map::new()),
        Err(e) => Err(io_err(&path.display().to_string(), e)),
    }
}

/// Writes config.json atomically: 0600, in a 0700 directory.
fn write_config(config: &Map<String, Value>) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = config_dir();
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| io_err(&dir.display().to_string(), e))?;
    }
    let path = dir.join("config.json");
    let tmp = dir.join(format!(
        ".config.json.berth-{}",
        crate::util::random_token()
    ));
    let data = serde_json::to_vec_pretty(&Value::Object(config.clone())).expect("JSON");
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&data)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(|e| io_err(&path.display().to_string(), e))
}

/// The credential helper for `key`, if config.json names one.
fn helper_for(config: &Map<String, Value>, key: &str) -> Option<String> {
    config
        .get("credHelpers")
        .and_then(|h| h.get(key))
        .or_else(|| config.get("credsStore"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn run_helper(helper: &str, action: &str, input: &[u8]) -> Result<()> {
    let program = format!("docker-credential-{helper}");
    let mut child = Command::new(&program)
        .arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::new(
                ErrorKind::Unauthorized,
                format!("credential helper {program}: {e}"),
            )
        })?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input)
        .map_err(|e| io_err(&program, e))?;
    let out = child.wait_with_output().map_err(|e| io_err(&program, e))?;
    if out.status.success() {
        return Ok(());
    }
    // The helper's own words (never the input, which may hold the secret).
    let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Err(Error::new(
        ErrorKind::Unauthorized,
        format!("credential helper {program} {action} failed: {said}"),
    ))
}

/// Stores credentials for `host`; returns where they went.
pub fn store(host: &str, username: &str, password: &str) -> Result<String> {
    let key = config_key(host);
    let mut config = read_config()?;
    let helper = helper_for(&config, &key);
    let entry = match &helper {
        Some(h) => {
            let payload = json!({"ServerURL": key, "Username": username, "Secret": password});
            run_helper(h, "store", payload.to_string().as_bytes())?;
            json!({})
        }
        None => {
            let auth =
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
            json!({"auth": auth})
        }
    };
    config
        .entry("auths")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| Error::invalid("config.json: \"auths\" is not an object"))?
        .insert(key, entry);
    write_config(&config)?;
    Ok(match helper {
        Some(h) => format!("credential helper docker-credential-{h}"),
        None => config_dir().join("config.json").display().to_string(),
    })
}

/// Forgets the credentials for `host`; false when there were none.
pub fn erase(host: &str) -> Result<bool> {
    let key = config_key(host);
    let mut config = read_config()?;
    let had = config
        .get_mut("auths")
        .and_then(Value::as_object_mut)
        .and_then(|a| a.remove(&key))
        .is_some();
    if let Some(helper) = helper_for(&config, &key) {
        run_helper(&helper, "erase", key.as_bytes())?;
    }
    if had {
        write_config(&config)?;
    }
    Ok(had)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names() {
        assert_eq!(server_host(None), "docker.io");
        assert_eq!(
            server_host(Some("https://index.docker.io/v1/")),
            "docker.io"
        );
        assert_eq!(server_host(Some("127.0.0.1:5001")), "127.0.0.1:5001");
        assert_eq!(
            server_host(Some("http://reg.example.com/v2/")),
            "reg.example.com"
        );
    }
}

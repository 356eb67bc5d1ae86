//! The container's process: `-e`, `--env-file`, `-w`, `-u`,
//! `--entrypoint`, `-i`, `-t`, `-h`, `--domainname`, `-l`, `--label-file`,
//! `--stop-signal`, `--stop-timeout`. Into `Config` as docker's CLI fills
//! it; docker's merge with the image's config; the spec's `process`.

use std::collections::BTreeMap;

use clap::Args;
use oci_spec::runtime::{
    BoxBuilder, PosixRlimitBuilder, PosixRlimitType, Process, ProcessBuilder, UserBuilder,
};

use super::spec_error;
use super::user::ResolvedUser;
use crate::container::model::{Config, CreateRequest, HostConfig};
use crate::container::signal;
use crate::error::{Error, Result};
use crate::image::manifest::ContainerConfig;

pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

#[derive(Args, Debug, Clone, Default)]
pub struct ProcessFlags {
    /// Set environment variables (KEY=VALUE, or KEY to copy it from berth's environment)
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub env: Vec<String>,
    /// Read in a file of environment variables
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_file: Vec<String>,
    /// Working directory inside the container
    #[arg(short = 'w', long = "workdir")]
    pub workdir: Option<String>,
    /// Username or UID (format: <name|uid>[:<group|gid>])
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Overwrite the default ENTRYPOINT of the image
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Keep STDIN open even if not attached
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Attach to STDIN, STDOUT or STDERR
    #[arg(short = 'a', long = "attach", value_name = "list", value_parser = parse_stream)]
    pub attach: Vec<String>,
    /// Container host name
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Container NIS domain name
    #[arg(long)]
    pub domainname: Option<String>,
    /// Set meta data on a container (KEY=VALUE)
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
    pub label: Vec<(String, String)>,
    /// Read in a line delimited file of labels
    #[arg(long = "label-file", value_name = "FILE")]
    pub label_file: Vec<String>,
    /// Signal to stop the container
    #[arg(long = "stop-signal", value_name = "SIGNAL")]
    pub stop_signal: Option<String>,
    /// Timeout (in seconds) to stop a container
    #[arg(
        long = "stop-timeout",
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    pub stop_timeout: Option<i64>,
}

impl ProcessFlags {
    /// Fills `Config` as docker's CLI does (files read here, as docker's
    /// CLI reads them).
    pub fn apply(&self, req: &mut CreateRequest, command: &[String]) -> Result<()> {
        let c = &mut req.config;
        c.env = Some(env_list(&self.env_file, &self.env)?);
        c.cmd = (!command.is_empty()).then(|| command.to_vec());
        c.entrypoint = self.entrypoint.as_ref().map(|e| vec![e.clone()]);
        c.working_dir = self.workdir.clone().unwrap_or_default();
        c.user = self.user.clone().unwrap_or_default();
        c.tty = self.tty;
        c.open_stdin = self.interactive;
        c.hostname = self.hostname.clone().unwrap_or_default();
        c.domainname = self.domainname.clone().unwrap_or_default();
        let mut labels = BTreeMap::new();
        for f in &self.label_file {
            labels.extend(read_label_file(f)?);
        }
        labels.extend(self.label.iter().cloned());
        c.labels = labels;
        c.stop_signal = self.stop_signal.clone().unwrap_or_default();
        c.stop_timeout = self.stop_timeout;
        Ok(())
    }
}

/// `-a`: docker's stream names, any case.
fn parse_stream(s: &str) -> std::result::Result<String, String> {
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "stdin" | "stdout" | "stderr" => Ok(lower),
        _ => Err("valid streams are STDIN, STDOUT and STDERR".to_string()),
    }
}

/// docker's daemon checks of the process settings.
pub fn check(c: &Config) -> Result<()> {
    if !c.stop_signal.is_empty() {
        signal::parse(&c.stop_signal)?;
    }
    match c.working_dir.as_str() {
        w if !w.is_empty() && !w.starts_with('/') => Err(Error::invalid(format!(
            "the working directory '{w}' is invalid, it needs to be an absolute path"
        ))),
        _ => Ok(()),
    }
}

fn env_key(entry: &str) -> &str {
    entry.split_once('=').map(|(k, _)| k).unwrap_or(entry)
}

/// Replaces entries with the same key, appends new ones (docker's order);
/// a bare `KEY` removes it.
pub fn replace_or_append(base: &mut Vec<String>, overrides: &[String]) {
    for o in overrides {
        let key = env_key(o);
        let at = base.iter().position(|b| env_key(b) == key);
        match (o.contains('='), at) {
            (true, Some(i)) => base[i] = o.clone(),
            (true, None) => base.push(o.clone()),
            (false, Some(i)) => {
                base.remove(i);
            }
            (false, None) => {}
        }
    }
}

/// docker's daemon merge of the container's `Config` with the image's:
/// what the user left unset comes from the image.
pub fn merge(c: &mut Config, image: &ContainerConfig) {
    if c.user.is_empty() {
        c.user = image.user.clone().unwrap_or_default();
    }
    for p in image.exposed_ports.keys() {
        c.exposed_ports.entry(p.clone()).or_default();
    }
    // The user's first, then the image's they do not set.
    let user_env: Vec<String> = c.env.take().unwrap_or_default();
    let mut env = user_env.clone();
    for e in &image.env {
        if !user_env.iter().any(|u| env_key(u) == env_key(e)) {
            env.push(e.clone());
        }
    }
    c.env = (!env.is_empty()).then_some(env);
    for (k, v) in &image.labels {
        c.labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    match &c.entrypoint {
        // `--entrypoint ''`: no entrypoint, and not the image's CMD either.
        Some(e) if e.len() == 1 && e[0].is_empty() => c.entrypoint = None,
        Some(e) if !e.is_empty() => {}
        _ => {
            if c.cmd.as_ref().is_none_or(|c| c.is_empty()) {
                c.cmd = (!image.cmd.is_empty()).then(|| image.cmd.clone());
            }
            c.entrypoint = (!image.entrypoint.is_empty()).then(|| image.entrypoint.clone());
        }
    }
    if c.working_dir.is_empty() {
        c.working_dir = image.working_dir.clone().unwrap_or_default();
    }
    if !image.volumes.is_empty() {
        let v = c.volumes.get_or_insert_with(BTreeMap::new);
        for k in image.volumes.keys() {
            v.entry(k.clone()).or_default();
        }
    }
    if c.stop_signal.is_empty() {
        c.stop_signal = image.stop_signal.clone().unwrap_or_default();
    }
}

/// The command to run: entrypoint then cmd. Errors when nothing is left.
pub fn args(c: &Config) -> Result<Vec<String>> {
    let args: Vec<String> = c
        .entrypoint
        .iter()
        .flatten()
        .chain(c.cmd.iter().flatten())
        .cloned()
        .collect();
    if args.is_empty() {
        return Err(Error::invalid("No command specified"));
    }
    Ok(args)
}

/// The process environment: docker's daemon defaults, `--link`'s
/// variables, then the container's (its own first, the image's after,
/// merged at creation), each replacing what came before.
pub fn environment(c: &Config, linked: &[String]) -> Vec<String> {
    let mut env = vec![
        format!("PATH={DEFAULT_PATH}"),
        format!("HOSTNAME={}", c.hostname),
    ];
    if c.tty {
        env.push("TERM=xterm".to_string());
    }
    env.extend_from_slice(linked);
    replace_or_append(&mut env, c.env.as_deref().unwrap_or_default());
    env
}

/// The spec's `process`, from the merged config.
pub fn spec(
    c: &Config,
    host: &HostConfig,
    user: &ResolvedUser,
    linked: &[String],
) -> Result<Process> {
    let u = UserBuilder::default()
        .uid(user.uid)
        .gid(user.gid)
        .additional_gids(user.additional_gids.clone())
        .build()
        .map_err(spec_error)?;
    let cwd = match c.working_dir.as_str() {
        "" => "/".to_string(),
        w => w.to_string(),
    };
    let mut p = ProcessBuilder::default()
        .terminal(c.tty)
        .user(u)
        .args(args(c)?)
        .env(environment(c, linked))
        .cwd(cwd)
        .rlimits(vec![
            PosixRlimitBuilder::default()
                .typ(PosixRlimitType::RlimitNofile)
                .hard(1024u64)
                .soft(1024u64)
                .build()
                .map_err(spec_error)?,
        ])
        .no_new_privileges(false);
    if let (true, [h, w]) = (c.tty, host.console_size)
        && (h, w) != (0, 0)
    {
        p = p.console_size(
            BoxBuilder::default()
                .width(w)
                .height(h)
                .build()
                .map_err(spec_error)?,
        );
    }
    p.build().map_err(spec_error)
}

/// docker's `-e`: `K=V` as given; a bare `K` takes berth's own value of `K`
/// (and stays bare, i.e. unset, when berth has none).
pub fn parse_env(entry: &str) -> Result<String> {
    expand_env(entry, |k| std::env::var(k).ok())
}

fn expand_env(entry: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String> {
    match entry.split_once('=') {
        Some(("", _)) => Err(Error::invalid(format!(
            "invalid environment variable: {entry}"
        ))),
        Some(_) => Ok(entry.to_string()),
        None if entry.is_empty() => Err(Error::invalid("invalid environment variable: empty")),
        None => Ok(match lookup(entry) {
            Some(v) => format!("{entry}={v}"),
            None => entry.to_string(),
        }),
    }
}

/// docker env-files: one `K=V` or `K` per line, `#` comments.
/// `--env-file` entries, then `-e` ones (docker's order; later wins).
pub fn env_list(files: &[String], env: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for f in files {
        out.extend(read_env_file(f)?);
    }
    out.extend(env.iter().cloned());
    Ok(out)
}

pub fn read_env_file(path: &str) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(crate::host::caller_path(path))
        .map_err(|e| Error::io(format!("open {path}"), e))?;
    text.lines()
        .map(|l| l.trim_start().trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(parse_env)
        .collect()
}

/// docker's label files: one `K=V` (or `K`) per line, `#` comments.
fn read_label_file(path: &str) -> Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(crate::host::caller_path(path))
        .map_err(|e| Error::io(format!("open {path}"), e))?;
    text.lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(parse_label)
        .collect()
}

/// `-l key=value` (or `key`, empty value).
pub fn parse_label(s: &str) -> Result<(String, String)> {
    let (k, v) = s.split_once('=').unwrap_or((s, ""));
    if k.is_empty() {
        return Err(Error::invalid(format!("invalid label {s:?}: empty key")));
    }
    Ok((k.to_string(), v.to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An image with an entrypoint, a command, a directory and a PATH of
    /// its own (the spec's tests use it too).
    pub(crate) fn image() -> ContainerConfig {
        ContainerConfig {
            env: vec![
                "PATH=/custom/bin:/bin".into(),
                "IMG=1".into(),
                "SHARED=image".into(),
            ],
            entrypoint: vec!["/entry.sh".into()],
            cmd: vec!["default".into(), "args".into()],
            working_dir: Some("/data".into()),
            ..Default::default()
        }
    }

    fn merged(entrypoint: Option<&str>, cmd: &[&str]) -> Config {
        let mut c = Config {
            entrypoint: entrypoint.map(|e| vec![e.to_string()]),
            cmd: (!cmd.is_empty()).then(|| cmd.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        merge(&mut c, &image());
        c
    }

    #[test]
    fn entrypoint_and_cmd_merge_like_dockers_daemon() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            args(&merged(None, &[])).unwrap(),
            s(&["/entry.sh", "default", "args"])
        );
        assert_eq!(args(&merged(None, &["x"])).unwrap(), s(&["/entry.sh", "x"]));
        // A new entrypoint drops the image's CMD (docker: Cmd null).
        let sh = merged(Some("/bin/sh"), &[]);
        assert_eq!(
            (sh.entrypoint.clone(), sh.cmd.clone()),
            (Some(s(&["/bin/sh"])), None)
        );
        assert_eq!(
            args(&merged(Some("/bin/sh"), &["-c", "id"])).unwrap(),
            s(&["/bin/sh", "-c", "id"])
        );
        // `--entrypoint ''` clears the entrypoint and takes no CMD from the
        // image: docker says "No command specified" without a command.
        let cleared = merged(Some(""), &[]);
        assert_eq!(
            (cleared.entrypoint.clone(), cleared.cmd.clone()),
            (None, None)
        );
        assert_eq!(
            args(&cleared).unwrap_err().message(),
            "No command specified"
        );
        assert_eq!(
            args(&merged(Some(""), &["echo", "hi"])).unwrap(),
            s(&["echo", "hi"])
        );
        assert_eq!(merged(None, &[]).working_dir, "/data");
    }

    #[test]
    fn environment_like_docker() {
        let mut c = Config {
            env: Some(vec!["SHARED=user".into(), "NEW=2".into()]),
            hostname: "host1".into(),
            tty: true,
            ..Default::default()
        };
        merge(&mut c, &image());
        // Config.Env: the user's first, then the image's they do not set.
        assert_eq!(
            c.env.as_deref().unwrap(),
            ["SHARED=user", "NEW=2", "PATH=/custom/bin:/bin", "IMG=1"]
        );
        assert_eq!(
            environment(&c, &[]),
            [
                "PATH=/custom/bin:/bin",
                "HOSTNAME=host1",
                "TERM=xterm",
                "SHARED=user",
                "NEW=2",
                "IMG=1"
            ]
        );
        let bare = Config {
            hostname: "h".into(),
            ..Default::default()
        };
        assert_eq!(
            environment(&bare, &[]),
            [format!("PATH={DEFAULT_PATH}"), "HOSTNAME=h".to_string()]
        );
        // A bare KEY (unset where berth ran) unsets the image's too.
        let mut unset = Config {
            env: Some(vec!["IMG".into()]),
            ..bare.clone()
        };
        merge(&mut unset, &image());
        assert_eq!(
            environment(&unset, &[]),
            ["PATH=/custom/bin:/bin", "HOSTNAME=h", "SHARED=image"]
        );
    }

    #[test]
    fn env_expansion_and_files() {
        let lookup = |k: &str| (k == "HOME").then(|| "/root".to_string());
        let got: Vec<String> = ["A=1", "HOME", "MISSING", "B="]
            .iter()
            .map(|e| expand_env(e, lookup).unwrap())
            .collect();
        assert_eq!(got, ["A=1", "HOME=/root", "MISSING", "B="]);
        assert!(expand_env("=x", lookup).is_err());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env");
        std::fs::write(&p, "# comment\nA=1\n\n  B=two words\r\nC_UNSET_HERE\n").unwrap();
        assert_eq!(
            read_env_file(p.to_str().unwrap()).unwrap(),
            vec!["A=1", "B=two words", "C_UNSET_HERE"]
        );
        assert!(read_env_file("/nonexistent/env").is_err());
        assert_eq!(parse_label("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(parse_label("flag").unwrap(), ("flag".into(), "".into()));
        assert!(parse_label("=x").is_err());
    }
}

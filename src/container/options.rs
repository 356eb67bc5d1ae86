//! The one options type of a container, from the command line to the
//! runtime spec. `run` (and later `create`) flatten it into their flags;
//! creation, the spec and the record read it as it is. A new flag is three
//! edits: its field here, its meaning where it is used (spec.rs, ...), and
//! its test.

use clap::{Args, ValueEnum};

use super::config::RestartPolicy;
use super::limits::LimitFlags;
use super::mounts::MountFlags;
use super::namespaces::NamespaceFlags;
use super::resources::ResourceFlags;
use super::security::SecurityFlags;
use super::throttle::ThrottleFlags;
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone, Default)]
pub struct ContainerOptions {
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Automatically remove the container when it exits
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub rm: bool,
    /// Set environment variables (KEY=VALUE, or KEY to copy it from berth's environment)
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub env: Vec<String>,
    /// Read in a file of environment variables
    #[arg(long = "env-file", value_name = "FILE", value_parser = read_env_file)]
    pub env_file: Vec<EnvFile>,
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
    /// Set meta data on a container (KEY=VALUE)
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
    pub label: Vec<(String, String)>,
    /// Read in a line delimited file of labels
    #[arg(long = "label-file", value_name = "FILE", value_parser = read_label_file)]
    pub label_file: Vec<LabelFile>,
    /// Container host name
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Container NIS domain name
    #[arg(long)]
    pub domainname: Option<String>,
    /// Connect a container to a network: bridge (the default), host, none,
    /// container:NAME|ID, or a network made by `network create`
    #[arg(long = "network", visible_alias = "net", default_value = "bridge", value_parser = NetworkMode::parse)]
    pub network: NetworkMode,
    /// More names the container answers to on a user network
    #[arg(long = "network-alias", value_name = "NAME")]
    pub network_alias: Vec<String>,
    /// Publish a container's port(s) to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])
    #[arg(short = 'p', long = "publish", value_name = "PORTS")]
    pub publish: Vec<String>,
    /// Publish all exposed ports to random host ports
    #[arg(short = 'P', long = "publish-all")]
    pub publish_all: bool,
    /// Expose a port or a range of ports (published by -P)
    #[arg(long, value_name = "PORT[/PROTO]")]
    pub expose: Vec<String>,
    /// Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway)
    #[arg(long = "add-host", value_name = "HOST:IP")]
    pub add_host: Vec<String>,
    /// Set custom DNS servers
    #[arg(long = "dns", value_name = "IP")]
    pub dns: Vec<String>,
    /// Set custom DNS search domains
    #[arg(long = "dns-search", value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Set DNS options
    #[arg(long = "dns-option", value_name = "OPTION")]
    pub dns_option: Vec<String>,
    /// Pull image before running ("always", "missing", "never")
    #[arg(long, value_enum, default_value_t = PullPolicy::Missing)]
    pub pull: PullPolicy,
    /// Set platform if server is multi-platform capable
    #[arg(long)]
    pub platform: Option<String>,
    /// Logging driver for the container (json-file or none)
    #[arg(long = "log-driver", value_name = "DRIVER")]
    pub log_driver: Option<String>,
    /// Log driver options (max-size=SIZE, max-file=N)
    #[arg(long = "log-opt", value_name = "KEY=VALUE")]
    pub log_opt: Vec<String>,
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
    #[command(flatten)]
    pub mounts: MountFlags,
    /// Mount the container's root filesystem as read only
    #[arg(long = "read-only", num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub read_only: bool,
    /// Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])
    #[arg(long, value_name = "POLICY", value_parser = RestartPolicy::parse)]
    pub restart: Option<RestartPolicy>,
    /// Write the container ID to the file
    #[arg(long, value_name = "FILE")]
    pub cidfile: Option<String>,
    #[command(flatten)]
    pub resources: ResourceFlags,
    #[command(flatten)]
    pub security: SecurityFlags,
    #[command(flatten)]
    pub namespaces: NamespaceFlags,
    #[command(flatten)]
    pub limits: LimitFlags,
    #[command(flatten)]
    pub throttle: ThrottleFlags,
    /// Set by `run -d`: nothing is attached to the container.
    #[arg(skip)]
    pub detached: bool,
    /// The terminal's size (columns, rows) with -t, set by the caller.
    #[arg(skip)]
    pub console_size: Option<(u16, u16)>,
    /// IMAGE [COMMAND] [ARG...]: docker stops parsing flags at the image.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 1..,
        value_names = ["IMAGE", "COMMAND"]
    )]
    pub image_and_command: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkMode {
    /// A private network namespace with only loopback.
    None,
    /// The host's network namespace.
    Host,
    /// A CNI network by name: `bridge` (docker's default) or a user network.
    Network(String),
    /// Another container's network namespace (by name or id).
    Container(String),
}

impl Default for NetworkMode {
    fn default() -> Self {
        NetworkMode::Network(crate::network::DEFAULT_NETWORK.to_string())
    }
}

impl NetworkMode {
    pub fn parse(s: &str) -> Result<NetworkMode> {
        match s {
            "none" => Ok(NetworkMode::None),
            "host" => Ok(NetworkMode::Host),
            "" => Err(Error::invalid("--network needs a value")),
            "default" => Ok(NetworkMode::default()),
            s => match s.strip_prefix("container:") {
                Some("") => Err(Error::invalid(
                    "--network container: needs a container name or id",
                )),
                Some(c) => Ok(NetworkMode::Container(c.to_string())),
                None => Ok(NetworkMode::Network(s.to_string())),
            },
        }
    }

    /// docker's HostConfig.NetworkMode.
    pub fn display(&self) -> String {
        match self {
            NetworkMode::None => "none".into(),
            NetworkMode::Host => "host".into(),
            NetworkMode::Network(n) => n.clone(),
            NetworkMode::Container(c) => format!("container:{c}"),
        }
    }

    /// A network berth connects with CNI.
    pub fn cni_network(&self) -> Option<&str> {
        match self {
            NetworkMode::Network(n) => Some(n),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum PullPolicy {
    Always,
    #[default]
    Missing,
    Never,
}

/// The entries of one `--env-file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFile(pub Vec<String>);

impl ContainerOptions {
    /// The image as the user typed it.
    pub fn image(&self) -> Result<&str> {
        match self.image_and_command.first() {
            // Taken as the image only because the image takes any value.
            Some(first) if first.starts_with('-') => {
                Err(Error::invalid(format!("unknown flag: {first}")))
            }
            Some(first) => Ok(first),
            None => Err(Error::invalid("an image is required")),
        }
    }

    /// The command and its arguments after the image (replacing CMD).
    pub fn command(&self) -> Result<&[String]> {
        self.image()?;
        Ok(&self.image_and_command[1..])
    }

    /// `--env-file` entries, then `-e` ones (docker's order; later wins).
    /// A bare `KEY` (unset where berth runs) sets nothing.
    pub fn env_entries(&self) -> impl Iterator<Item = &String> {
        self.env_file
            .iter()
            .flat_map(|f| f.0.iter())
            .chain(&self.env)
            .filter(|e| e.contains('='))
    }
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
pub fn read_env_file(path: &str) -> Result<EnvFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(format!("open {path}"), e))?;
    text.lines()
        .map(|l| l.trim_start().trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(parse_env)
        .collect::<Result<Vec<_>>>()
        .map(EnvFile)
}

/// The labels of one `--label-file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFile(pub Vec<(String, String)>);

/// docker's label files: one `K=V` (or `K`) per line, `#` comments.
pub fn read_label_file(path: &str) -> Result<LabelFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(format!("open {path}"), e))?;
    text.lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(parse_label)
        .collect::<Result<Vec<_>>>()
        .map(LabelFile)
}

impl ContainerOptions {
    /// `--label-file` labels, then `-l` ones (docker's order; later wins).
    pub fn labels(&self) -> impl Iterator<Item = &(String, String)> {
        self.label_file
            .iter()
            .flat_map(|f| f.0.iter())
            .chain(&self.label)
    }
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
mod tests {
    use super::*;

    #[test]
    fn env_expansion() {
        let lookup = |k: &str| (k == "HOME").then(|| "/root".to_string());
        let got: Vec<String> = ["A=1", "HOME", "MISSING", "B="]
            .iter()
            .map(|e| expand_env(e, lookup).unwrap())
            .collect();
        assert_eq!(got, ["A=1", "HOME=/root", "MISSING", "B="]);
        assert!(expand_env("=x", lookup).is_err());
        let opts = ContainerOptions {
            env_file: vec![EnvFile(vec!["F=1".into(), "UNSET".into()])],
            env: got,
            ..Default::default()
        };
        let entries: Vec<&String> = opts.env_entries().collect();
        assert_eq!(entries, ["F=1", "A=1", "HOME=/root", "B="]);
    }

    #[test]
    fn labels_parse() {
        assert_eq!(parse_label("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(parse_label("flag").unwrap(), ("flag".into(), "".into()));
        assert!(parse_label("=x").is_err());
    }

    #[test]
    fn env_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env");
        std::fs::write(&p, "# comment\nA=1\n\n  B=two words\r\nC_UNSET_HERE\n").unwrap();
        assert_eq!(
            read_env_file(p.to_str().unwrap()).unwrap().0,
            vec!["A=1", "B=two words", "C_UNSET_HERE"]
        );
        assert!(read_env_file("/nonexistent/env").is_err());
    }

    #[test]
    fn networks() {
        assert_eq!(NetworkMode::parse("host").unwrap(), NetworkMode::Host);
        assert_eq!(
            NetworkMode::parse("bridge").unwrap(),
            NetworkMode::default()
        );
        assert_eq!(
            NetworkMode::parse("app").unwrap(),
            NetworkMode::Network("app".into())
        );
        assert_eq!(
            NetworkMode::parse("container:web").unwrap(),
            NetworkMode::Container("web".into())
        );
        assert!(NetworkMode::parse("container:").is_err());
        assert_eq!(
            NetworkMode::parse("container:web").unwrap().display(),
            "container:web"
        );
    }
}

//! Shell completion that knows the containerd it talks to (issue 20):
//! clap_complete's environment-activated completion (`BERTH_COMPLETE=bash berth
//! -- berth exec we<TAB>`), the registration scripts `berth completion
//! SHELL` prints, and the completers hung on berth's command tree here, in
//! one place, by what each argument names (`CONTAINER`, `IMAGE`, ...).
//!
//! A completer reads the words typed so far for `-n`/`-a`/`-H` (then the
//! environment and the config file, as a command would), asks containerd
//! with a short timeout, and offers nothing (and prints nothing) when
//! containerd does not answer in time.

use std::ffi::OsStr;
use std::time::Duration;

use berth::complete::{self, Which};
use clap::{Command, CommandFactory};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};

use berth::complete::VAR;

/// How long a completion may wait for containerd.
const TIMEOUT: Duration = Duration::from_millis(400);

/// Answers a completion request when the shell made one (`BERTH_COMPLETE` set),
/// else returns and berth runs normally.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(|| decorate(crate::Cli::command(), ""))
        .var(VAR)
        .complete();
}

/// What an argument's values are.
#[derive(Clone, Copy)]
enum Kind {
    Containers(Which),
    Images,
    Networks,
    Volumes,
    VolumeMount,
    Namespaces,
}

/// Verbs whose CONTAINER arguments are running containers, stopped ones.
const RUNNING: &[&str] = &[
    "exec", "stop", "kill", "attach", "top", "pause", "unpause", "port",
];
const STOPPED: &[&str] = &["start"];
/// Verbs whose first positional names an image.
const IMAGE_VERBS: &[&str] = &["run", "create", "rmi", "tag", "push", "save", "history"];

/// Fixed choices of flags, by flag name.
fn choices(long: &str) -> Option<&'static [&'static str]> {
    Some(match long {
        "restart" => &["no", "always", "on-failure", "unless-stopped"],
        "pull" => &["always", "missing", "never"],
        "log-driver" => &[
            "json-file",
            "local",
            "none",
            "journald",
            "syslog",
            "fluentd",
        ],
        "progress" => &["auto", "plain", "tty", "quiet", "rawjson"],
        "format" => &["json", "table"],
        "signal" | "stop-signal" => &[
            "SIGTERM", "SIGKILL", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGSTOP",
            "SIGCONT",
        ],
        "cgroupns" => &["host", "private"],
        "ipc" => &["none", "private", "shareable", "host", "container:"],
        "cgroup-manager" => &["cgroupfs", "systemd"],
        _ => return None,
    })
}

/// The argument's kind in verb `path` (`"network connect"`), if any.
fn kind_of(path: &str, arg: &clap::Arg) -> Option<Kind> {
    let verb = path.rsplit(' ').next().unwrap_or("");
    let value = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map(|s| s.as_str())
        .unwrap_or("");
    let long = arg.get_long().unwrap_or("");
    match (arg.is_positional(), value, long) {
        (false, _, "namespace") if path.is_empty() => Some(Kind::Namespaces),
        (false, _, "network") => Some(Kind::Networks),
        (false, _, "volume") if !path.starts_with("volume") => Some(Kind::VolumeMount),
        (true, "CONTAINER", _) if RUNNING.contains(&verb) => Some(Kind::Containers(Which::Running)),
        (true, "CONTAINER", _) if STOPPED.contains(&verb) => Some(Kind::Containers(Which::Stopped)),
        (true, "CONTAINER", _) => Some(Kind::Containers(Which::All)),
        (true, "NETWORK" | "NETWORKS", _) => Some(Kind::Networks),
        (true, "VOLUME", _) => Some(Kind::Volumes),
        (true, "NAME|ID", _) if verb == "inspect" => Some(Kind::Containers(Which::All)),
        (true, "IMAGE" | "SOURCE_IMAGE[:TAG]" | "NAME" | "IMAGE_NAME", _)
            if IMAGE_VERBS.contains(&verb) || path.starts_with("image") =>
        {
            Some(Kind::Images)
        }
        _ => None,
    }
}

/// Hangs completers on every argument of `cmd` and its subcommands.
fn decorate(mut cmd: Command, path: &str) -> Command {
    // `mut_arg` moves an argument to the end: positionals keep their order
    // only with explicit indices.
    let positionals: Vec<clap::Id> = cmd.get_positionals().map(|a| a.get_id().clone()).collect();
    for (i, id) in positionals.into_iter().enumerate() {
        cmd = cmd.mut_arg(id, |a| a.index(i + 1));
    }
    let args: Vec<clap::Arg> = cmd.get_arguments().cloned().collect();
    for arg in args {
        let id = arg.get_id().clone();
        if let Some(kind) = kind_of(path, &arg) {
            cmd = cmd.mut_arg(id, |a| {
                a.add(ArgValueCompleter::new(move |cur: &OsStr| {
                    candidates(kind, cur)
                }))
            });
        } else if let Some(list) = arg.get_long().and_then(choices) {
            cmd = cmd.mut_arg(id, |a| {
                a.add(ArgValueCandidates::new(move || {
                    list.iter().map(|v| CompletionCandidate::new(*v)).collect()
                }))
            });
        }
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        let p = if path.is_empty() {
            sub.clone()
        } else {
            format!("{path} {sub}")
        };
        cmd = cmd.mut_subcommand(&sub, |c| decorate(c, &p));
    }
    cmd
}

/// Where the command line so far points: containerd's socket, namespace,
/// data root (flags before the verb, else the environment, else the
/// config file, else the defaults).
struct Target {
    address: std::path::PathBuf,
    namespace: String,
    data_root: std::path::PathBuf,
}

fn target() -> Target {
    let cfg = berth::config::load().unwrap_or_default();
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut t = Target {
        address: env("CONTAINERD_ADDRESS")
            .map(Into::into)
            .or(cfg.address)
            .unwrap_or_else(|| berth::client::DEFAULT_ADDRESS.into()),
        namespace: env("CONTAINERD_NAMESPACE")
            .or(cfg.namespace)
            .unwrap_or_else(|| berth::client::DEFAULT_NAMESPACE.into()),
        data_root: env("BERTH_DATA_ROOT")
            .map(Into::into)
            .or(cfg.data_root)
            .unwrap_or_else(|| berth::state::DEFAULT_DATA_ROOT.into()),
    };
    // The words before the one being completed: `berth -- berth [globals]
    // verb ...`, the shell's index counting from the second `berth`.
    let index: usize = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse().ok())
        .unwrap_or(usize::MAX);
    let words: Vec<String> = std::env::args()
        .skip_while(|a| a != "--")
        .skip(2)
        .take(index.saturating_sub(1))
        .collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (w, None),
        };
        let takes = matches!(
            flag,
            "-n" | "--namespace" | "-a" | "--address" | "-H" | "--host" | "--data-root"
        );
        if !flag.starts_with('-') {
            break; // the verb: globals come before it
        }
        let value = match (&inline, takes) {
            (Some(v), _) => Some(v.clone()),
            (None, true) => {
                i += 1;
                words.get(i).cloned()
            }
            (None, false) => None,
        };
        match (flag, value) {
            ("-n" | "--namespace", Some(v)) => t.namespace = v,
            ("-a" | "--address", Some(v)) => t.address = v.into(),
            ("-H" | "--host", Some(v)) => {
                if let Some(p) = v.strip_prefix("unix://") {
                    t.address = p.into();
                }
            }
            ("--data-root", Some(v)) => t.data_root = v.into(),
            _ => {}
        }
        i += 1;
    }
    t
}

/// The candidates of `kind` that start with `current`.
fn candidates(kind: Kind, current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let t = target();
    let names: Vec<String> = match kind {
        Kind::Networks => complete::networks(&t.namespace),
        Kind::Volumes => {
            complete::volumes(&berth::state::DataRoot::new(&t.data_root), &t.namespace)
        }
        Kind::VolumeMount => {
            complete::volumes(&berth::state::DataRoot::new(&t.data_root), &t.namespace)
                .into_iter()
                .map(|v| format!("{v}:"))
                .collect()
        }
        _ => ask_containerd(kind, &t).unwrap_or_default(),
    };
    names
        .into_iter()
        .filter(|n| n.starts_with(current.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// containerd's answer within the timeout, None otherwise (no error
/// text: the terminal is the user's prompt).
fn ask_containerd(kind: Kind, t: &Target) -> Option<Vec<String>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    rt.block_on(async {
        tokio::time::timeout(TIMEOUT, async {
            let client = berth::Client::connect(&t.address, &t.namespace, "overlayfs")
                .await
                .ok()?;
            match kind {
                Kind::Containers(which) => complete::containers(&client, which).await.ok(),
                Kind::Images => complete::images(&client).await.ok(),
                Kind::Namespaces => complete::namespaces(&client).await.ok(),
                _ => None,
            }
        })
        .await
        .ok()
        .flatten()
    })
}

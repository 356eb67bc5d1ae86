//! The caller's side: one command line run again as a helper task on the
//! host, its stdio, signals and exit code passed through.
//!
//! The task: `berth __host ARGS…`, berth's binary run from the caller's
//! container (`/proc/<pid>/root/<exe>`) on a small tmpfs root with the
//! host's /proc, in the host's pid and network namespaces with root's capabilities (it
//! joins the host's mount namespace itself, see `enter`). Its container
//! lives in namespace `berth-host` for the length of the command.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use containerd_client::services::v1::container::Runtime;
use containerd_client::services::v1::{
    Container, CreateContainerRequest, DeleteContainerRequest, ListContainersRequest,
};
use containerd_client::types::Mount;
use serde_json::json;
use tokio::sync::mpsc;

use super::enter::{CALLER_BINDS_ENV, CALLER_CWD_ENV, CALLER_ENV, CALLER_ROOT_ENV, HOST_VERB};
use super::locate::Caller;
use crate::client::{Client, DEFAULT_RUNTIME};
use crate::container::runtime::attach::{self, AttachIo, Attached, Control, Launch};
use crate::container::runtime::task::{self, FifoPlace};
use crate::error::{Error, Result};

/// The namespace helper containers live in while they run.
pub const HELPER_NAMESPACE: &str = "berth-host";
/// The label that marks a helper container.
const HELPER_LABEL: &str = "io.berth.host-helper";
/// What the helper needs (to join the host's mount namespace, reach the
/// caller's root, make network namespaces, run CNI plugins and iptables,
/// write berth's files), and what every container host grants: "all" could
/// name one the host's runtime lacks, which runc refuses.
const CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_ADMIN",
    "CAP_MKNOD",
    "CAP_AUDIT_WRITE",
    "CAP_SETFCAP",
];
/// The host's programs (CNI plugins call `iptables`, berth calls `ip`).
const HOST_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub struct HelperIo {
    pub attach: AttachIo,
    /// A terminal on both ends: the helper gets one too, of this size
    /// (columns, rows) from its start.
    pub tty: Option<(u16, u16)>,
    pub control: mpsc::Receiver<Control>,
}

/// Runs `args` (berth's command line without argv[0]) as berth on the
/// host; the helper's exit code, which is the command's.
pub async fn run_on_host(
    client: &Client,
    caller: &Caller,
    args: &[String],
    io: HelperIo,
) -> Result<u32> {
    let client = client.in_namespace(HELPER_NAMESPACE)?;
    sweep(&client, caller).await;
    let id = format!("berth-host-{}", crate::util::random_token());
    let exe = std::env::current_exe().map_err(|e| Error::io("finding berth's own binary", e))?;
    let spec = spec(caller, &id, &exe, args, io.tty)?;
    let container = Container {
        id: id.clone(),
        labels: HashMap::from([(HELPER_LABEL.to_string(), caller.id.clone())]),
        runtime: Some(Runtime {
            name: DEFAULT_RUNTIME.to_string(),
            options: None,
        }),
        spec: Some(prost_types::Any {
            type_url: crate::container::ops::SPEC_TYPE_URL.to_string(),
            value: serde_json::to_vec(&spec)?,
        }),
        ..Default::default()
    };
    client
        .containers()
        .create(CreateContainerRequest {
            container: Some(container),
        })
        .await?;
    let ran = run_task(&client, &id, caller, io).await;
    let _ = client
        .containers()
        .delete(DeleteContainerRequest { id: id.clone() })
        .await;
    ran
}

/// How old a helper of this caller must be before a later command takes
/// it for one a killed berth left (a live one is deleted within
/// milliseconds of its exit).
const LEFT_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes this caller's helpers that a killed berth left behind: older
/// than LEFT_AFTER and with no running task. Best effort.
async fn sweep(client: &Client, caller: &Caller) {
    let filter = format!("labels.\"{HELPER_LABEL}\"=={}", caller.id);
    let Ok(list) = client
        .containers()
        .list(ListContainersRequest {
            filters: vec![filter],
        })
        .await
    else {
        return;
    };
    let now = std::time::SystemTime::now();
    for c in list.into_inner().containers {
        let created = c
            .created_at
            .and_then(|t| std::time::SystemTime::try_from(t).ok())
            .unwrap_or(now);
        let old = now.duration_since(created).unwrap_or_default() > LEFT_AFTER;
        if !old || matches!(task::pid(client, &c.id).await, Ok(Some(_))) {
            continue;
        }
        let _ = task::delete(client, &c.id).await;
        let _ = client
            .containers()
            .delete(DeleteContainerRequest { id: c.id })
            .await;
    }
}

async fn run_task(client: &Client, id: &str, caller: &Caller, io: HelperIo) -> Result<u32> {
    // A tmpfs the shim mounts as the root: nothing on the host to clean.
    let rootfs = vec![Mount {
        r#type: "tmpfs".into(),
        source: "tmpfs".into(),
        options: vec!["mode=0755".into(), "size=64k".into()],
        ..Default::default()
    }];
    let place = FifoPlace::Caller {
        dir: std::env::temp_dir(),
        shim_root: caller.root(),
    };
    let attached = Attached {
        proc: id.into(),
        launch: Launch::Task {
            rootfs,
            after_exit: None,
        },
        tty: io.tty.is_some(),
        fifos: &place,
    };
    let outcome = attach::run(client, attached, io.attach, io.control, None).await?;
    Ok(outcome.exit_code)
}

/// Variables berth itself reads, passed to the helper as they are.
const OWN_PREFIXES: &[&str] = &[
    "BERTH_",
    "CONTAINERD_",
    "DOCKER_",
    "BUILDKIT_",
    "CNI_",
    "LC_",
];
const OWN_NAMES: &[&str] = &[
    "HOME",
    "USER",
    "TERM",
    "TZ",
    "LANG",
    "NO_COLOR",
    "NETCONFPATH",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
];

/// The caller's environment as far as the helper needs it: berth's own
/// variables and those the command line passes on by name (`-e NAME`).
/// The rest (a CI job's secrets) stays out of the helper's spec, which
/// containerd stores.
fn passed_env(vars: impl Iterator<Item = (String, String)>, args: &[String]) -> Vec<String> {
    let mut named = std::collections::HashSet::new();
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        let value = match a.as_str() {
            "-e" | "--env" => it.next().map(String::as_str),
            _ => a.strip_prefix("--env=").or_else(|| {
                a.strip_prefix("-e")
                    .filter(|v| !v.is_empty() && !a.starts_with("--"))
            }),
        };
        if let Some(v) = value.filter(|v| !v.contains('=')) {
            named.insert(v.to_string());
        }
    }
    vars.filter(|(k, _)| {
        k != "PATH"
            && !k.starts_with("BERTH_CALLER")
            && (named.contains(k)
                || OWN_NAMES.contains(&k.as_str())
                || OWN_PREFIXES.iter().any(|p| k.starts_with(p)))
    })
    .map(|(k, v)| format!("{k}={v}"))
    .collect()
}

/// The helper's runtime spec.
fn spec(
    caller: &Caller,
    id: &str,
    exe: &Path,
    args: &[String],
    tty: Option<(u16, u16)>,
) -> Result<serde_json::Value> {
    // runc execs it through the host's /proc: a bind mount from another
    // mount namespace is refused, an exec is not.
    let bin = caller.root().join(exe.strip_prefix("/").unwrap_or(exe));
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let mut argv = vec![bin.display().to_string(), HOST_VERB.to_string()];
    argv.extend(args.iter().cloned());
    let mut env = passed_env(std::env::vars(), args);
    env.push(format!("PATH={HOST_PATH}"));
    env.push(format!("{CALLER_ROOT_ENV}={}", caller.root().display()));
    env.push(format!("{CALLER_CWD_ENV}={}", cwd.display()));
    env.push(format!("{CALLER_ENV}={}/{}", caller.namespace, caller.id));
    env.push(format!(
        "{CALLER_BINDS_ENV}={}",
        serde_json::to_string(&caller.binds)?
    ));
    let (width, height) = tty.unwrap_or_default();
    Ok(json!({
        "ociVersion": "1.0.2",
        "process": {
            "terminal": tty.is_some(),
            "consoleSize": {"height": height, "width": width},
            "user": {"uid": 0, "gid": 0},
            "args": argv,
            "env": env,
            "cwd": "/",
            "capabilities": {
                "bounding": CAPS, "effective": CAPS, "permitted": CAPS,
            },
            "noNewPrivileges": false,
        },
        "root": {"path": "rootfs", "readonly": false},
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            // A terminal needs /dev/ptmx, which runc links to the devpts.
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=64k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
        ],
        "linux": {
            // The host's pid, network, ipc and uts namespaces: only a mount
            // namespace of its own, which the helper leaves for the host's.
            "namespaces": [{"type": "mount"}],
            "cgroupsPath": format!("/{HELPER_NAMESPACE}/{id}"),
            "maskedPaths": [],
            "readonlyPaths": [],
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_berths_variables_and_those_passed_by_name_reach_the_helper() {
        let vars = [
            ("PATH", "/ci/bin"),
            ("HOME", "/var/jenkins_home"),
            ("CONTAINERD_NAMESPACE", "ci"),
            ("DOCKER_CONFIG", "/cfg"),
            ("SECRET_TOKEN", "hunter2"),
            ("BUILD_ID", "7"),
            ("GIT_COMMIT", "abc"),
            ("BERTH_CALLER_ROOT", "/proc/1/root"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let args: Vec<String> = ["run", "-e", "BUILD_ID", "--env=GIT_COMMIT", "-eX=1", "img"]
            .map(String::from)
            .to_vec();
        let got = passed_env(vars.into_iter(), &args);
        assert_eq!(
            got,
            [
                "HOME=/var/jenkins_home",
                "CONTAINERD_NAMESPACE=ci",
                "DOCKER_CONFIG=/cfg",
                "BUILD_ID=7",
                "GIT_COMMIT=abc",
            ]
        );
    }
}

//! `exec`: a new process in a running container, with the container's
//! process settings (environment, user, directory, capabilities) unless
//! overridden; its exit code is the command's own.

use containerd_client::types::v1::Status;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::client::Client;
use crate::container::config::ExecOptions;
use crate::container::config::process::replace_or_append;
use crate::container::config::{security, user};
use crate::container::runtime::attach::{self, AttachIo, Control, Launch, Outcome};
use crate::container::runtime::task::{self, FifoPlace, Proc, Stdio};
use crate::container::store::{self, record::ContainerRecord};
use crate::error::{Error, ErrorKind, Result};
use crate::snapshots;
use crate::util;

/// `--privileged`: every capability berth's own process may hold (its
/// bounding set), as `run --privileged` gets.
fn privileged_caps() -> Vec<String> {
    security::all_caps()
}

/// The exec'd process: the container's, with the options applied. Pure.
/// `env`: `--env-file` and `-e` entries; `privileged`: the capabilities
/// `--privileged` grants.
fn process(
    base: &Value,
    opts: &ExecOptions,
    env_entries: &[String],
    user: Option<&user::ResolvedUser>,
    privileged: &[String],
) -> Value {
    let mut p = base.clone();
    p["args"] = json!(opts.command());
    p["terminal"] = json!(opts.tty);
    let mut env: Vec<String> = p["env"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if opts.tty {
        replace_or_append(&mut env, &["TERM=xterm".to_string()]);
    }
    // A bare KEY (unset where berth runs) unsets it in the process.
    replace_or_append(&mut env, env_entries);
    p["env"] = json!(env);
    if let Some(w) = opts.workdir.as_deref().filter(|w| !w.is_empty()) {
        p["cwd"] = json!(w);
    }
    if let Some(u) = user {
        p["user"] = json!({"uid": u.uid, "gid": u.gid, "additionalGids": u.additional_gids});
    }
    if opts.privileged {
        for set in ["bounding", "effective", "permitted"] {
            p["capabilities"][set] = json!(privileged);
        }
    }
    match (opts.tty, opts.console_size) {
        (true, Some((w, h))) => p["consoleSize"] = json!({"height": h, "width": w}),
        _ => {
            if let Some(obj) = p.as_object_mut() {
                obj.remove("consoleSize");
            }
        }
    }
    p
}

/// The container's process settings, from its spec.
async fn base_process(client: &Client, rec: &ContainerRecord) -> Result<Value> {
    let spec: Value = store::spec(client, &rec.id).await?;
    Ok(spec.get("process").cloned().unwrap_or_else(|| json!({})))
}

/// `-u`, resolved from the container's own files.
async fn resolve_user(
    client: &Client,
    rec: &ContainerRecord,
    spec: &str,
) -> Result<user::ResolvedUser> {
    let mounts = snapshots::mounts(client, &rec.snapshotter, &rec.snapshot_key).await?;
    let dirs = user::layer_dirs(&mounts);
    let read = |f| {
        dirs.as_ref()
            .and_then(|d| user::read_through_layers(d, f).ok().flatten())
    };
    user::resolve(
        spec,
        read("etc/passwd").as_deref(),
        read("etc/group").as_deref(),
    )
}

/// Runs the command in `rec` (`input`: as the user named it); its
/// outcome (None with `-d`).
pub async fn exec(
    client: &Client,
    rec: &ContainerRecord,
    input: &str,
    opts: &ExecOptions,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Option<Outcome>> {
    let env = opts.env()?;
    match task::status(client, &rec.id).await? {
        Some(Status::Running) => {}
        Some(Status::Paused | Status::Pausing) => {
            return Err(Error::conflict(format!(
                "Container {input} is paused, unpause the container before exec"
            )));
        }
        _ => {
            return Err(Error::conflict(format!(
                "container {} is not running",
                rec.id
            )));
        }
    }
    let user =
        match &opts.user {
            // docker's runtime fails the exec itself here: exit 126.
            Some(u) => Some(resolve_user(client, rec, u).await.map_err(|e| {
                Error::new(ErrorKind::CommandNotExecutable, e.message().to_string())
            })?),
            None => None,
        };
    let caps = if opts.privileged {
        privileged_caps()
    } else {
        Vec::new()
    };
    let p = process(
        &base_process(client, rec).await?,
        opts,
        &env,
        user.as_ref(),
        &caps,
    );
    let spec = prost_types::Any {
        type_url: task::PROCESS_TYPE_URL.to_string(),
        value: serde_json::to_vec(&p)?,
    };
    let exec_id = format!("exec-{}", util::random_token());
    let proc = Proc {
        id: &rec.id,
        exec: &exec_id,
    };
    // docker's actions name the command: `exec_create: sh -c date`.
    let shown: Vec<&str> = p["args"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let shown = shown.join(" ");
    let extra = [("execID", exec_id.as_str())];
    super::events::publish_container(client, rec, &format!("exec_create: {shown}"), &extra).await;
    if opts.detach {
        task::exec_with(client, proc, spec, &Stdio::default(), opts.tty)
            .await
            .map_err(task::start_error)?;
        task::start(client, proc).await?;
        super::events::publish_container(client, rec, &format!("exec_start: {shown}"), &extra)
            .await;
        return Ok(None);
    }
    super::events::publish_container(client, rec, &format!("exec_start: {shown}"), &extra).await;
    let attached = attach::Attached {
        proc,
        launch: Launch::Exec { spec },
        tty: opts.tty,
        fifos: &FifoPlace::Host,
    };
    let outcome = attach::run(client, attached, io, control, None).await?;
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_containers_process_with_overrides() {
        let base = json!({
            "terminal": false,
            "user": {"uid": 0, "gid": 0},
            "args": ["sleep", "300"],
            "env": ["PATH=/bin", "A=container", "GONE=x"],
            "cwd": "/app",
            "capabilities": {"bounding": ["CAP_CHOWN"]},
        });
        let opts = ExecOptions {
            tty: true,
            env: vec!["A=exec".into(), "B=new".into(), "GONE".into()],
            workdir: Some("/tmp".into()),
            container_and_command: vec!["c".into(), "sh".into(), "-c".into(), "id".into()],
            ..Default::default()
        };
        let u = user::ResolvedUser {
            uid: 1000,
            gid: 1000,
            additional_gids: vec![1000],
        };
        let p = process(&base, &opts, &opts.env, Some(&u), &[]);
        assert_eq!(p["args"], json!(["sh", "-c", "id"]));
        assert_eq!(p["terminal"], json!(true));
        assert_eq!(
            p["env"],
            json!(["PATH=/bin", "A=exec", "TERM=xterm", "B=new"])
        );
        assert_eq!(p["cwd"], json!("/tmp"));
        assert_eq!(p["user"]["uid"], json!(1000));
        assert_eq!(p["capabilities"]["bounding"], json!(["CAP_CHOWN"]));
        let privileged = process(
            &base,
            &ExecOptions {
                privileged: true,
                ..opts.clone()
            },
            &opts.env,
            None,
            &["CAP_SYS_ADMIN".to_string(), "CAP_KILL".to_string()],
        );
        assert_eq!(
            privileged["capabilities"]["effective"],
            json!(["CAP_SYS_ADMIN", "CAP_KILL"])
        );
        assert_eq!(privileged["user"]["uid"], json!(0));
    }
}

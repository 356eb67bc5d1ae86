//! Tasks (the running side of a container): stdio FIFOs, create, start,
//! wait, kill, resize, delete.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use containerd_client::services::v1::{
    CloseIoRequest, CreateTaskRequest, DeleteProcessRequest, DeleteTaskRequest, ExecProcessRequest,
    GetRequest, KillRequest, ListPidsRequest, PauseTaskRequest, ResizePtyRequest,
    ResumeTaskRequest, StartRequest, WaitRequest,
};
use containerd_client::types::Mount;
use containerd_client::types::v1::Status;
use nix::sys::stat::Mode;
use tokio::net::unix::pipe;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result, is_not_found};
use crate::util;

/// Where FIFOs live; the shim must be able to open them, so this is a host path.
pub const FIFO_ROOT: &str = "/run/containerd/fifo";

/// Where berth makes a process's FIFOs.
#[derive(Debug, Clone, Default)]
pub enum FifoPlace {
    /// Under FIFO_ROOT, the host's: berth and the shim share the path.
    #[default]
    Host,
    /// In berth's own directory `dir`, which the shim reaches through
    /// `shim_root` (`/proc/<pid>/root` of berth's container).
    Caller { dir: PathBuf, shim_root: PathBuf },
}

/// The FIFOs of one process, removed on drop.
pub struct Fifos {
    pub dir: PathBuf,
    /// What the shim puts before `dir` to open them.
    shim_root: Option<PathBuf>,
    pub stdin: Option<PathBuf>,
    pub stdout: PathBuf,
    pub stderr: Option<PathBuf>,
}

impl Fifos {
    pub fn create(place: &FifoPlace, id: &str, stdin: bool, tty: bool) -> Result<Fifos> {
        let (base, shim_root) = match place {
            FifoPlace::Host => (Path::new(FIFO_ROOT), None),
            FifoPlace::Caller { dir, shim_root } => (dir.as_path(), Some(shim_root.clone())),
        };
        let host = shim_root.is_none();
        std::fs::create_dir_all(base).map_err(|e| fifo_error(base, e, host))?;
        let dir = base.join(format!("berth-fifo-{}", util::random_token()));
        std::fs::create_dir(&dir).map_err(|e| fifo_error(&dir, e, host))?;
        let make = |suffix: &str| -> Result<PathBuf> {
            let p = dir.join(format!("{id}-{suffix}"));
            nix::unistd::mkfifo(&p, Mode::from_bits_truncate(0o700))
                .map_err(|e| fifo_error(&p, std::io::Error::from(e), host))?;
            Ok(p)
        };
        let fifos = Fifos {
            stdin: if stdin { Some(make("stdin")?) } else { None },
            stdout: make("stdout")?,
            // With a terminal everything arrives on stdout.
            stderr: if tty { None } else { Some(make("stderr")?) },
            dir,
            shim_root,
        };
        Ok(fifos)
    }
}

impl Drop for Fifos {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `host`: under FIFO_ROOT; else in berth's temporary directory in a
/// container, for its helper.
fn fifo_error(path: &Path, e: std::io::Error, host: bool) -> Error {
    let hint = match host {
        true => format!(
            "berth needs {FIFO_ROOT} to be the host's directory (shared with containerd's shims)"
        ),
        false => "berth in a container makes its helper's FIFOs in its temporary directory: \
                  set TMPDIR to a writable directory"
            .to_string(),
    };
    Error::io(format!("creating stdio FIFOs in {}", path.display()), e).hinted(hint)
}

/// The open ends berth keeps of a task's FIFOs.
pub struct TaskIo {
    pub fifos: Fifos,
    pub stdin: Option<pipe::Sender>,
    pub stdout: pipe::Receiver,
    pub stderr: Option<pipe::Receiver>,
}

impl TaskIo {
    /// Opens berth's ends before the task exists: the readers open without
    /// blocking (no writer yet), stdin read-write so the open never waits.
    pub fn open(fifos: Fifos) -> Result<TaskIo> {
        let rd = |p: &Path| {
            pipe::OpenOptions::new()
                .open_receiver(p)
                .map_err(|e| Error::io(format!("opening {}", p.display()), e))
        };
        let stdout = rd(&fifos.stdout)?;
        let stderr = fifos.stderr.as_deref().map(rd).transpose()?;
        let stdin = fifos
            .stdin
            .as_deref()
            .map(|p| {
                pipe::OpenOptions::new()
                    .read_write(true)
                    .open_sender(p)
                    .map_err(|e| Error::io(format!("opening {}", p.display()), e))
            })
            .transpose()?;
        Ok(TaskIo {
            fifos,
            stdin,
            stdout,
            stderr,
        })
    }
}

/// A process of a container: its task's init process (`exec` empty) or an
/// exec'd one.
#[derive(Debug, Clone, Copy)]
pub struct Proc<'a> {
    pub id: &'a str,
    pub exec: &'a str,
}

impl<'a> From<&'a str> for Proc<'a> {
    fn from(id: &'a str) -> Self {
        Proc { id, exec: "" }
    }
}

impl<'a> From<&'a String> for Proc<'a> {
    fn from(id: &'a String) -> Self {
        Proc { id, exec: "" }
    }
}

/// Where a task's stdio goes: FIFO paths, log URIs (`binary://…`,
/// `file://…`), or "" for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stdio {
    pub stdin: String,
    pub stdout: String,
    pub stderr: String,
}

impl Fifos {
    pub fn stdio(&self) -> Stdio {
        let shim = |p: &Path| match &self.shim_root {
            Some(root) => root
                .join(p.strip_prefix("/").unwrap_or(p))
                .display()
                .to_string(),
            None => p.display().to_string(),
        };
        let path = |p: &Option<PathBuf>| p.as_deref().map(shim).unwrap_or_default();
        Stdio {
            stdin: path(&self.stdin),
            stdout: shim(&self.stdout),
            stderr: path(&self.stderr),
        }
    }
}

/// Creates the task (the process is set up but not started).
pub async fn create(
    client: &Client,
    id: &str,
    rootfs: Vec<Mount>,
    stdio: &Stdio,
    tty: bool,
) -> std::result::Result<u32, tonic::Status> {
    let req = CreateTaskRequest {
        container_id: id.to_string(),
        rootfs,
        stdin: stdio.stdin.clone(),
        stdout: stdio.stdout.clone(),
        stderr: stdio.stderr.clone(),
        terminal: tty,
        ..Default::default()
    };
    client.tasks().create(req).await.map(|r| r.into_inner().pid)
}

/// Creates the task with berth's FIFOs, explaining FIFOs the shim cannot see.
pub async fn create_with_fifos(
    client: &Client,
    id: &str,
    rootfs: Vec<Mount>,
    fifos: &Fifos,
    tty: bool,
) -> Result<u32> {
    create(client, id, rootfs, &fifos.stdio(), tty)
        .await
        .map_err(|s| fifo_error_in(&s, fifos).unwrap_or_else(|| start_error(s)))
}

/// The Any type of an exec'd process's spec (JSON, like the container's).
pub const PROCESS_TYPE_URL: &str = "types.containerd.io/opencontainers/runtime-spec/1/Process";

/// Adds a process to the running task (started by `start` with the exec id).
pub async fn exec_with(
    client: &Client,
    p: Proc<'_>,
    spec: prost_types::Any,
    stdio: &Stdio,
    tty: bool,
) -> std::result::Result<(), tonic::Status> {
    client
        .tasks()
        .exec(ExecProcessRequest {
            container_id: p.id.to_string(),
            stdin: stdio.stdin.clone(),
            stdout: stdio.stdout.clone(),
            stderr: stdio.stderr.clone(),
            terminal: tty,
            spec: Some(spec),
            exec_id: p.exec.to_string(),
        })
        .await
        .map(drop)
}

/// `exec_with` berth's FIFOs, explaining FIFOs the shim cannot see.
pub async fn exec(
    client: &Client,
    p: Proc<'_>,
    spec: prost_types::Any,
    fifos: &Fifos,
    tty: bool,
) -> Result<()> {
    exec_with(client, p, spec, &fifos.stdio(), tty)
        .await
        .map_err(|s| fifo_error_in(&s, fifos).unwrap_or_else(|| start_error(s)))
}

/// Deletes an exited process: the task itself, or one exec'd process.
pub async fn delete_proc(client: &Client, p: Proc<'_>) -> Result<()> {
    if p.exec.is_empty() {
        return delete(client, p.id).await.map(drop);
    }
    match client
        .tasks()
        .delete_process(DeleteProcessRequest {
            container_id: p.id.to_string(),
            exec_id: p.exec.to_string(),
        })
        .await
    {
        Ok(_) => Ok(()),
        Err(s) if is_not_found(&s) => Ok(()),
        Err(s) => Err(s.into()),
    }
}

/// The shim could not open berth's FIFOs: it does not see the directory
/// they are in, which happens when berth runs in a container whose
/// `/run/containerd/fifo` is not the host's.
fn fifo_error_in(status: &tonic::Status, fifos: &Fifos) -> Option<Error> {
    let dir = fifos.dir.display().to_string();
    if !status.message().contains(&dir) {
        return None;
    }
    Some(
        Error::new(
            ErrorKind::Unavailable,
            format!(
                "containerd's shim cannot open berth's stdio FIFOs in {dir}: \
                 berth's {FIFO_ROOT} is not the host's"
            ),
        )
        .hinted(format!(
            "when berth runs in a container, mount the host's FIFO directory: -v {FIFO_ROOT}:{FIFO_ROOT}"
        )),
    )
}

/// docker's classification of a failed start, narrowed to what the OCI
/// runtime says about the command itself (runc: `exec: "cmd": …`): 127
/// when it does not exist, 126 when it cannot be executed. Any other
/// failure to create the task is berth's or the daemon's (125).
pub fn start_error(status: tonic::Status) -> Error {
    let msg = status.message();
    let about_command = msg.find("exec: \"").map(|at| &msg[at..]);
    let kind = match about_command {
        Some(m)
            if m.contains("executable file not found")
                || m.contains("no such file or directory") =>
        {
            ErrorKind::CommandNotFound
        }
        Some(m) if m.contains("permission denied") || m.contains("is a directory") => {
            ErrorKind::CommandNotExecutable
        }
        _ if msg.contains("cpu.rt_runtime_us") => {
            // docker's daemon gives its own parent cgroup a budget (its
            // --cpu-rt-runtime); berth has no daemon to own one.
            return Error::from(status).hinted(
                "the container's parent cgroup has no real-time budget: write one to its cpu.rt_runtime_us, or use --cgroup-parent with one",
            );
        }
        _ => return Error::from(status),
    };
    Error::new(kind, msg.to_string())
}

pub async fn start<'a>(client: &Client, p: impl Into<Proc<'a>>) -> Result<u32> {
    let p = p.into();
    let r = client
        .tasks()
        .start(StartRequest {
            container_id: p.id.to_string(),
            exec_id: p.exec.to_string(),
        })
        .await
        .map_err(start_error)?;
    Ok(r.into_inner().pid)
}

/// Waits for the task's process to exit: its status (128+N for signal N).
pub async fn wait<'a>(
    client: &Client,
    p: impl Into<Proc<'a>>,
) -> Result<(u32, Option<SystemTime>)> {
    let p = p.into();
    let r = client
        .tasks()
        .wait(WaitRequest {
            container_id: p.id.to_string(),
            exec_id: p.exec.to_string(),
        })
        .await?
        .into_inner();
    Ok((
        r.exit_status,
        r.exited_at.as_ref().map(util::timestamp_to_system),
    ))
}

pub async fn kill<'a>(
    client: &Client,
    p: impl Into<Proc<'a>>,
    signal: i32,
    all: bool,
) -> Result<()> {
    let p = p.into();
    client
        .tasks()
        .kill(KillRequest {
            container_id: p.id.to_string(),
            exec_id: p.exec.to_string(),
            signal: signal as u32,
            all,
        })
        .await?;
    Ok(())
}

pub async fn resize<'a>(
    client: &Client,
    p: impl Into<Proc<'a>>,
    width: u32,
    height: u32,
) -> Result<()> {
    let p = p.into();
    client
        .tasks()
        .resize_pty(ResizePtyRequest {
            container_id: p.id.to_string(),
            exec_id: p.exec.to_string(),
            width,
            height,
        })
        .await?;
    Ok(())
}

pub async fn pause(client: &Client, id: &str) -> Result<()> {
    client
        .tasks()
        .pause(PauseTaskRequest {
            container_id: id.to_string(),
        })
        .await?;
    Ok(())
}

pub async fn resume(client: &Client, id: &str) -> Result<()> {
    client
        .tasks()
        .resume(ResumeTaskRequest {
            container_id: id.to_string(),
        })
        .await?;
    Ok(())
}

/// The pids of the task's processes.
pub async fn pids(client: &Client, id: &str) -> Result<Vec<u32>> {
    Ok(client
        .tasks()
        .list_pids(ListPidsRequest {
            container_id: id.to_string(),
        })
        .await?
        .into_inner()
        .processes
        .iter()
        .map(|p| p.pid)
        .collect())
}

pub async fn close_stdin<'a>(client: &Client, p: impl Into<Proc<'a>>) -> Result<()> {
    let p = p.into();
    client
        .tasks()
        .close_io(CloseIoRequest {
            container_id: p.id.to_string(),
            exec_id: p.exec.to_string(),
            stdin: true,
        })
        .await?;
    Ok(())
}

/// Deletes a stopped task; Ok(None) when there was none.
pub async fn delete(client: &Client, id: &str) -> Result<Option<(u32, Option<SystemTime>)>> {
    match client
        .tasks()
        .delete(DeleteTaskRequest {
            container_id: id.to_string(),
        })
        .await
    {
        Ok(r) => {
            let r = r.into_inner();
            Ok(Some((
                r.exit_status,
                r.exited_at.as_ref().map(util::timestamp_to_system),
            )))
        }
        Err(s) if is_not_found(&s) => Ok(None),
        // Another client deleting at the same moment makes the shim exit
        // under our request ("ttrpc: closed"): gone is what we wanted.
        Err(s) if !exists(client, id).await.unwrap_or(true) => {
            tracing::debug!("task {id} went away while deleting it: {}", s.message());
            Ok(None)
        }
        Err(s) => Err(s.into()),
    }
}

/// Whether the container has a task.
pub async fn exists(client: &Client, id: &str) -> Result<bool> {
    Ok(status(client, id).await?.is_some())
}

/// The container's task process as containerd reports it, None when it
/// has no task.
async fn process(
    client: &Client,
    id: &str,
) -> Result<Option<containerd_client::types::v1::Process>> {
    match client
        .tasks()
        .get(GetRequest {
            container_id: id.to_string(),
            exec_id: String::new(),
        })
        .await
    {
        Ok(r) => Ok(r.into_inner().process),
        Err(s) if is_not_found(&s) => Ok(None),
        Err(s) => Err(s.into()),
    }
}

/// The container's task status, None when it has no task.
pub async fn status(client: &Client, id: &str) -> Result<Option<Status>> {
    Ok(process(client, id)
        .await?
        .map(|p| Status::try_from(p.status).unwrap_or(Status::Unknown)))
}

/// The container's task status and pid, None when it has no task.
pub async fn status_and_pid(client: &Client, id: &str) -> Result<Option<(Status, u32)>> {
    Ok(process(client, id)
        .await?
        .map(|p| (Status::try_from(p.status).unwrap_or(Status::Unknown), p.pid)))
}

/// The pid of the container's running task, if it runs.
pub async fn pid(client: &Client, id: &str) -> Result<Option<u32>> {
    Ok(process(client, id)
        .await?
        .filter(|p| p.status == Status::Running as i32 && p.pid > 0)
        .map(|p| p.pid))
}

/// The pid of the container's task while its process exists (created,
/// running or paused): `/proc/<pid>/root` is the container's tree.
pub async fn live_pid(client: &Client, id: &str) -> Result<Option<u32>> {
    let live = [
        Status::Created,
        Status::Running,
        Status::Paused,
        Status::Pausing,
    ];
    Ok(process(client, id)
        .await?
        .filter(|p| p.pid > 0 && live.iter().any(|s| *s as i32 == p.status))
        .map(|p| p.pid))
}

#[cfg(test)]
#[path = "task_tests.rs"]
mod tests;

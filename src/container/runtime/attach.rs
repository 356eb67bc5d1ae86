//! Running a container's task in the foreground: stdio copied both ways,
//! signals and terminal resizes forwarded, the exit status passed back,
//! and the task deleted afterwards so no shim lingers for a stopped container.

use std::time::{Duration, SystemTime};

use containerd_client::types::Mount;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use std::sync::{Arc, Mutex};

use super::input::{self, InputEnd};
use super::task::{self, FifoPlace, Fifos, Proc, TaskIo};
use crate::client::Client;
use crate::container::detach::DetachKeys;
use crate::error::{Error, ErrorKind, Result};
use crate::logs::logger::Splitter;
use crate::logs::{Entry, Stream, jsonfile};

pub struct AttachIo {
    /// Present with `-i`: copied into the container, EOF closes its stdin.
    pub stdin: Option<Box<dyn AsyncRead + Unpin + Send>>,
    pub stdout: Box<dyn AsyncWrite + Unpin + Send>,
    pub stderr: Box<dyn AsyncWrite + Unpin + Send>,
    /// With stdin: the keys that detach (leaving the process running).
    pub detach_keys: Option<DetachKeys>,
}

/// What the caller can send the running task.
#[derive(Debug, Clone, Copy)]
pub enum Control {
    Signal(i32),
    /// Terminal size: columns, rows.
    Resize(u16, u16),
}

#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub exit_code: u32,
    pub exited_at: Option<SystemTime>,
    /// The user typed the detach keys: the process still runs (no exit).
    pub detached: bool,
}

/// How long output may trail the exit before berth stops waiting for it.
const OUTPUT_GRACE: Duration = Duration::from_secs(5);

/// How the attached process comes to be.
/// Work to do beside the task's deletion once its process has exited.
pub type AfterExit = futures::future::BoxFuture<'static, Result<()>>;

pub enum Launch {
    /// The container's task, on its rootfs; `after_exit` runs beside the
    /// task's deletion once the process has exited (`run --rm` takes the
    /// network down there: the record still exists, so a crash loses
    /// nothing, and the two waits overlap).
    Task {
        rootfs: Vec<Mount>,
        after_exit: Option<AfterExit>,
    },
    /// A process exec'd in the running task, with its spec.
    Exec { spec: prost_types::Any },
}

/// The container's json log, fed with what the process prints too (docker
/// keeps the output of attached containers for `logs` as well).
pub(crate) type LogTee = Option<Arc<Mutex<jsonfile::Writer>>>;

/// Where the process runs and how berth talks to it.
pub(crate) struct Attached<'a> {
    pub proc: Proc<'a>,
    pub launch: Launch,
    pub tty: bool,
    pub fifos: &'a FifoPlace,
}

pub(crate) async fn run(
    client: &Client,
    a: Attached<'_>,
    io: AttachIo,
    mut control: mpsc::Receiver<Control>,
    log: LogTee,
) -> Result<Outcome> {
    let Attached {
        proc,
        launch,
        tty,
        fifos: place,
    } = a;
    let fifo_id = if proc.exec.is_empty() {
        proc.id
    } else {
        proc.exec
    };
    let fifos = Fifos::create(place, fifo_id, io.stdin.is_some(), tty)?;
    let TaskIo {
        fifos,
        stdin,
        stdout,
        stderr,
    } = TaskIo::open(fifos)?;
    let after_exit = match launch {
        Launch::Task { rootfs, after_exit } => {
            task::create_with_fifos(client, proc.id, rootfs, &fifos, tty).await?;
            after_exit
        }
        Launch::Exec { spec } => {
            task::exec(client, proc, spec, &fifos, tty).await?;
            None
        }
    };
    let out_copy = tokio::spawn(copy_out(stdout, io.stdout, Stream::Stdout, log.clone()));
    let err_copy = stderr.map(|e| tokio::spawn(copy_out(e, io.stderr, Stream::Stderr, log)));

    // Wait goes out before Start, so an exit (or a removal by someone else)
    // right after the start cannot slip past it.
    let waiter = spawn_waiter(client, proc);
    if let Err(e) = task::start(client, proc).await {
        waiter.abort();
        let _ = task::delete_proc(client, proc).await;
        return Err(e);
    }
    let (detach_tx, detached) = tokio::sync::oneshot::channel();
    let stdin_copy = match (stdin, io.stdin) {
        (Some(sender), Some(source)) => {
            let keys = io.detach_keys;
            Some(spawn_stdin(client, proc, (source, keys), sender, detach_tx))
        }
        _ => None,
    };
    let Some((exit_code, exited_at)) =
        wait_forwarding(client, proc, waiter, &mut control, detached).await?
    else {
        // Detached: the process runs on (the shim keeps its FIFOs open).
        return Ok(Outcome {
            exit_code: 0,
            exited_at: None,
            detached: true,
        });
    };
    // Output normally ends right after the exit; don't hang on a stray writer.
    let _ = tokio::time::timeout(OUTPUT_GRACE, async {
        let _ = out_copy.await;
        if let Some(e) = err_copy {
            let _ = e.await;
        }
    })
    .await;
    if let Some(s) = stdin_copy {
        s.abort();
    }
    delete_after_exit(client, proc, after_exit).await?;
    drop(fifos);
    Ok(Outcome {
        exit_code,
        exited_at,
        detached: false,
    })
}

/// The process's wait, as a task of its own.
fn spawn_waiter(
    client: &Client,
    proc: Proc<'_>,
) -> tokio::task::JoinHandle<Result<(u32, Option<SystemTime>)>> {
    let (c, id, exec) = (client.clone(), proc.id.to_string(), proc.exec.to_string());
    tokio::spawn(async move {
        let proc = Proc {
            id: &id,
            exec: &exec,
        };
        task::wait(&c, proc).await
    })
}

/// Copies `source` to the process's stdin, closing it at the end; the
/// detach keys leave it open and say so on `detached`.
fn spawn_stdin(
    client: &Client,
    proc: Proc<'_>,
    (source, keys): (Box<dyn AsyncRead + Unpin + Send>, Option<DetachKeys>),
    sender: tokio::net::unix::pipe::Sender,
    detached: tokio::sync::oneshot::Sender<()>,
) -> tokio::task::JoinHandle<()> {
    let (c, id, exec) = (client.clone(), proc.id.to_string(), proc.exec.to_string());
    // A second descriptor of the FIFO, to see it drained after the pump
    // has let go of its own.
    let watch = nix::unistd::dup(std::os::fd::AsFd::as_fd(&sender)).ok();
    tokio::spawn(async move {
        if input::pump(source, sender, keys).await == InputEnd::Detached {
            let _ = detached.send(());
            return;
        }
        if let Some(fd) = watch {
            drained(&fd).await;
        }
        let proc = Proc {
            id: &id,
            exec: &exec,
        };
        let _ = task::close_stdin(&c, proc).await;
    })
}

/// Waits (a few seconds at most) until the shim has read everything from
/// the stdin FIFO, and a moment for it to pass it on: containerd's
/// CloseIO closes the process's stdin at once, and what the shim had not
/// copied yet would be lost (seen under load: `exec -i sort` printing
/// nothing).
async fn drained(fd: &std::os::fd::OwnedFd) {
    use std::os::fd::AsRawFd;
    for _ in 0..300 {
        let mut queued: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through the pointer given.
        let r = unsafe { libc::ioctl(fd.as_raw_fd(), libc::FIONREAD, &mut queued) };
        if r != 0 || queued == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
}

/// The exited process deleted, beside what was to follow its exit.
async fn delete_after_exit(
    client: &Client,
    proc: Proc<'_>,
    after_exit: Option<AfterExit>,
) -> Result<()> {
    let Some(after) = after_exit else {
        return task::delete_proc(client, proc).await;
    };
    let (deleted, after) = tokio::join!(task::delete_proc(client, proc), after);
    // Whoever removes the container next does it again and reports.
    if let Err(e) = after {
        tracing::warn!("after {}'s exit: {}", proc.id, e.message());
    }
    deleted
}

/// Waits for the process's exit, forwarding signals and resizes to it
/// meanwhile; its exit code and time, None when the user detached.
async fn wait_forwarding(
    client: &Client,
    proc: Proc<'_>,
    waiter: tokio::task::JoinHandle<Result<(u32, Option<SystemTime>)>>,
    control: &mut mpsc::Receiver<Control>,
    mut detached: tokio::sync::oneshot::Receiver<()>,
) -> Result<Option<(u32, Option<SystemTime>)>> {
    tokio::pin!(waiter);
    loop {
        tokio::select! {
            r = &mut waiter => {
                return r.map_err(|e| {
                    Error::new(ErrorKind::Interrupted, format!("waiting for the container: {e}"))
                })?.map(Some);
            }
            Ok(()) = &mut detached => return Ok(None),
            Some(msg) = control.recv() => forward(client, proc, msg).await,
        }
    }
}

/// A signal or resize for the process.
pub(crate) async fn forward(client: &Client, proc: Proc<'_>, msg: Control) {
    match msg {
        Control::Signal(sig) => {
            if let Err(e) = task::kill(client, proc, sig, false).await {
                tracing::debug!("forwarding signal {sig}: {e}");
            }
        }
        Control::Resize(w, h) => {
            let _ = task::resize(client, proc, w as u32, h as u32).await;
        }
    }
}

async fn copy_out(
    mut from: tokio::net::unix::pipe::Receiver,
    mut to: Box<dyn AsyncWrite + Unpin + Send>,
    stream: Stream,
    log: LogTee,
) {
    let mut buf = vec![0u8; 32 * 1024];
    let mut split = Splitter::new(stream);
    let mut to_log = |e: Entry| {
        if let Some(w) = &log
            && let Ok(mut w) = w.lock()
        {
            let _ = w.write(&e);
        }
    };
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                split.push(&buf[..n], &mut to_log);
                if to.write_all(&buf[..n]).await.is_err() || to.flush().await.is_err() {
                    break;
                }
            }
        }
    }
    split.finish(&mut to_log);
}

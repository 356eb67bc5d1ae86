//! `attach` (and `start -a` on a running container): joining a running
//! container's stdio. An interactive container (`-i`/`-t`) has a stdio
//! keeper to join: its output as it comes, input to its stdin, the detach
//! keys to leave it running. Any other container's output is followed in
//! its log from the moment of attaching (it has no stdin to give).

use std::time::{Duration, SystemTime};

use containerd_client::types::Mount;
use containerd_client::types::v1::Status;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::{AttachIo, Control, Outcome};
use crate::client::Client;
use crate::container::runtime::attach::forward;
use crate::container::runtime::input::{self, InputEnd};
use crate::container::runtime::{keeper, task};
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, ErrorKind, Result};
use crate::logs::{Entry, Stream};
use crate::state::DataRoot;

/// How long the exit may trail the end of the output.
const EXIT_GRACE: Duration = Duration::from_secs(10);

type Waited = Result<(u32, Option<SystemTime>)>;

/// docker's refusal to attach to a paused container.
pub(super) const PAUSED: &str = "You cannot attach to a paused container, unpause it first";

/// Whether `rec` can be attached to: running (docker's words if not).
pub async fn attachable(client: &Client, rec: &ContainerRecord) -> Result<()> {
    match task::status(client, &rec.id).await? {
        Some(Status::Running | Status::Pausing) => Ok(()),
        Some(Status::Paused) => Err(Error::conflict(PAUSED)),
        _ => Err(Error::conflict(
            "You cannot attach to a stopped container, start it first",
        )),
    }
}

/// Attaches to `rec`'s running task until it exits (its outcome) or the
/// user detaches (`Outcome::detached`).
pub async fn attach(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Outcome> {
    attachable(client, rec).await?;
    join(client, data, rec, io, control, false).await
}

/// An attached run of an interactive container: started through its
/// keeper (output held until joined), joined, and once it exits its task
/// deleted and the exit recorded (the caller removes it for `--rm`).
pub(super) async fn run_kept(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    rootfs: Option<Vec<Mount>>,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
) -> Result<Outcome> {
    super::start::start_held(client, data, rec, rootfs).await?;
    let outcome = join(client, data, rec, io, control, true).await?;
    if !outcome.detached {
        super::reap::reap(client, &rec.id).await?;
    }
    Ok(outcome)
}

/// Joins the running (or just exited) task; `kept`: it must have a keeper.
pub(super) async fn join(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    io: AttachIo,
    control: mpsc::Receiver<Control>,
    kept: bool,
) -> Result<Outcome> {
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    let waiter = {
        let (c, id) = (client.clone(), rec.id.clone());
        tokio::spawn(async move { task::wait(&c, &id).await })
    };
    let joined = keeper::connect(&dir).map_err(|e| Error::io("joining the container", e))?;
    super::events::publish_container(client, rec, "attach", &[]).await;
    let ended = match joined {
        Some(sock) => join_keeper(client, rec, sock, io, control).await?,
        None if kept => {
            return Err(Error::new(
                ErrorKind::Io,
                format!("the stdio keeper of {} is gone", rec.id),
            ));
        }
        None => follow_log(client, data, rec, io, control).await?,
    };
    if ended == InputEnd::Detached {
        waiter.abort();
        return Ok(Outcome {
            exit_code: 0,
            exited_at: None,
            detached: true,
        });
    }
    let waited = match tokio::time::timeout(EXIT_GRACE, waiter).await {
        Ok(Ok(w)) => w,
        _ => Err(Error::new(ErrorKind::Interrupted, "waiting for the exit")),
    };
    exit_of(client, rec, waited).await
}

/// The exit code from the wait, else (someone deleted the task first, as
/// `--rm`'s remover does) from the record.
async fn exit_of(client: &Client, rec: &ContainerRecord, waited: Waited) -> Result<Outcome> {
    let (exit_code, exited_at) = match waited {
        Ok(w) => w,
        Err(_) => {
            let records = super::records(client).await?;
            let code = records
                .iter()
                .find(|r| r.id == rec.id)
                .and_then(|r| r.exit_code)
                .unwrap_or(0);
            (code.clamp(0, u32::MAX as i64) as u32, None)
        }
    };
    Ok(Outcome {
        exit_code,
        exited_at,
        detached: false,
    })
}

/// Through the keeper: until its output ends (InputEnd::Eof) or the user
/// detaches.
async fn join_keeper(
    client: &Client,
    rec: &ContainerRecord,
    sock: std::os::unix::net::UnixStream,
    io: AttachIo,
    mut control: mpsc::Receiver<Control>,
) -> Result<InputEnd> {
    let fail = |e: std::io::Error| Error::io("joining the container", e);
    sock.set_nonblocking(true).map_err(fail)?;
    let sock = tokio::net::UnixStream::from_std(sock).map_err(fail)?;
    let (rd, mut wr) = sock.into_split();
    let hello = if io.stdin.is_some() {
        keeper::HELLO_STDIN
    } else {
        0
    };
    wr.write_all(&[hello]).await.map_err(fail)?;
    let mut output = tokio::spawn(read_frames(rd, io.stdout, io.stderr));
    let mut input = io.stdin.map(|s| {
        let keys = io.detach_keys.clone();
        let (c, id, once) = (client.clone(), rec.id.clone(), rec.stdin_once());
        tokio::spawn(async move {
            let mut framed = input::Framed::new(&mut wr);
            let end = input::pump(s, &mut framed, keys).await;
            if end == InputEnd::Eof {
                // The empty frame: this input ended (not a detach). The
                // shim keeps a writer of the stdin FIFO too, until told.
                let _ = framed.shutdown().await;
                if once {
                    let _ = task::close_stdin(&c, id.as_str()).await;
                }
            }
            end
        })
    });
    loop {
        tokio::select! {
            _ = &mut output => return Ok(InputEnd::Eof),
            end = async { input.as_mut().expect("guarded").await }, if input.is_some() => {
                if matches!(end, Ok(InputEnd::Detached)) {
                    output.abort();
                    return Ok(InputEnd::Detached);
                }
                input = None;
            }
            Some(msg) = control.recv() => forward(client, (&rec.id).into(), msg).await,
        }
    }
}

/// The keeper's frames to the caller's stdout and stderr, until it closes.
async fn read_frames(
    mut from: impl AsyncRead + Unpin,
    mut stdout: Box<dyn AsyncWrite + Unpin + Send>,
    mut stderr: Box<dyn AsyncWrite + Unpin + Send>,
) {
    let mut head = [0u8; 8];
    let mut buf = Vec::new();
    while from.read_exact(&mut head).await.is_ok() {
        let len = u32::from_be_bytes([head[4], head[5], head[6], head[7]]) as usize;
        buf.resize(len, 0);
        if from.read_exact(&mut buf).await.is_err() {
            break;
        }
        let to = if head[0] == 2 {
            &mut stderr
        } else {
            &mut stdout
        };
        if to.write_all(&buf).await.is_err() || to.flush().await.is_err() {
            break;
        }
    }
}

/// A container without a keeper: its log, followed from now until it
/// stops (output only: nobody holds its stdin for a caller to write to).
async fn follow_log(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    io: AttachIo,
    mut control: mpsc::Receiver<Control>,
) -> Result<InputEnd> {
    let (tx, mut rx) = mpsc::channel::<Entry>(64);
    let window = crate::logs::read::Window {
        tail: Some(0),
        since: None,
        until: None,
    };
    let reading = {
        let (c, d, r) = (client.clone(), data.clone(), rec.clone());
        tokio::spawn(async move {
            super::read_logs(&c, &d, &r, window, true, move |e| {
                tx.blocking_send(e.clone())
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            })
            .await
        })
    };
    let (mut stdout, mut stderr) = (io.stdout, io.stderr);
    loop {
        tokio::select! {
            entry = rx.recv() => {
                let Some(e) = entry else { break };
                let to = if e.stream == Stream::Stderr { &mut stderr } else { &mut stdout };
                if to.write_all(&e.line).await.is_err() || to.flush().await.is_err() {
                    break;
                }
            }
            Some(msg) = control.recv() => forward(client, (&rec.id).into(), msg).await,
        }
    }
    match reading.await {
        Ok(Err(e)) if e.kind() != ErrorKind::InvalidArgument => Err(e),
        _ => Ok(InputEnd::Eof),
    }
}

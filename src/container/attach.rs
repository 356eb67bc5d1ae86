//! Running a container's task in the foreground: stdio copied both ways,
//! signals and terminal resizes forwarded, the exit status passed back,
//! and the task deleted afterwards so no shim lingers for a stopped container.

use std::time::{Duration, SystemTime};

use containerd_client::types::Mount;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::task::{self, Fifos, TaskIo};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};

pub struct AttachIo {
    /// Present with `-i`: copied into the container, EOF closes its stdin.
    pub stdin: Option<Box<dyn AsyncRead + Unpin + Send>>,
    pub stdout: Box<dyn AsyncWrite + Unpin + Send>,
    pub stderr: Box<dyn AsyncWrite + Unpin + Send>,
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
}

/// How long output may trail the exit before berth stops waiting for it.
const OUTPUT_GRACE: Duration = Duration::from_secs(5);

pub(super) async fn run(
    client: &Client,
    id: &str,
    rootfs: Vec<Mount>,
    tty: bool,
    io: AttachIo,
    mut control: mpsc::Receiver<Control>,
) -> Result<Outcome> {
    let fifos = Fifos::create(id, io.stdin.is_some(), tty)?;
    let TaskIo {
        fifos,
        stdin,
        stdout,
        stderr,
    } = TaskIo::open(fifos)?;
    task::create(client, id, rootfs, &fifos, tty).await?;

    let out_copy = tokio::spawn(copy_out(stdout, io.stdout));
    let err_copy = stderr.map(|e| tokio::spawn(copy_out(e, io.stderr)));

    // Wait goes out before Start, so an exit (or a removal by someone else)
    // right after the start cannot slip past it.
    let waiter = {
        let (c2, id2) = (client.clone(), id.to_string());
        tokio::spawn(async move { task::wait(&c2, &id2).await })
    };
    if let Err(e) = task::start(client, id).await {
        waiter.abort();
        let _ = task::delete(client, id).await;
        return Err(e);
    }
    let stdin_copy = match (stdin, io.stdin) {
        (Some(sender), Some(source)) => {
            let (c2, id2) = (client.clone(), id.to_string());
            Some(tokio::spawn(async move {
                copy_in(source, sender).await;
                let _ = task::close_stdin(&c2, &id2).await;
            }))
        }
        _ => None,
    };

    tokio::pin!(waiter);
    let (exit_code, exited_at) = loop {
        tokio::select! {
            r = &mut waiter => break r.map_err(|e| Error::new(ErrorKind::Interrupted, format!("waiting for the container: {e}")))??,
            Some(msg) = control.recv() => match msg {
                Control::Signal(sig) => {
                    if let Err(e) = task::kill(client, id, sig, false).await {
                        tracing::debug!("forwarding signal {sig}: {e}");
                    }
                }
                Control::Resize(w, h) => {
                    let _ = task::resize(client, id, w as u32, h as u32).await;
                }
            },
        }
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
    task::delete(client, id).await?;
    drop(fifos);
    Ok(Outcome {
        exit_code,
        exited_at,
    })
}

async fn copy_out(
    mut from: tokio::net::unix::pipe::Receiver,
    mut to: Box<dyn AsyncWrite + Unpin + Send>,
) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).await.is_err() || to.flush().await.is_err() {
                    break;
                }
            }
        }
    }
}

async fn copy_in(
    mut from: Box<dyn AsyncRead + Unpin + Send>,
    mut to: tokio::net::unix::pipe::Sender,
) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        }
    }
}

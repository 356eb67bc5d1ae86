//! The user's input on its way to a process: copied as it comes, watched
//! for the detach keys.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::container::detach::{DetachKeys, Escape, Filtered};

/// How the input stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEnd {
    /// It ended (or the process stopped taking it).
    Eof,
    /// The user typed the detach keys.
    Detached,
}

/// Copies `from` to `to` until the input ends or, with `keys`, the user
/// types them (the keys themselves are not passed on).
pub async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    keys: Option<DetachKeys>,
) -> InputEnd {
    let mut escape = keys.map(Escape::new);
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return InputEnd::Eof,
            Ok(n) => n,
        };
        let (pass, detach) = match escape.as_mut().map(|e| e.feed(&buf[..n])) {
            None => (buf[..n].to_vec(), false),
            Some(Filtered::Pass(p)) => (p, false),
            Some(Filtered::Detach(p)) => (p, true),
        };
        if !pass.is_empty() && (to.write_all(&pass).await.is_err() || to.flush().await.is_err()) {
            return InputEnd::Eof;
        }
        if detach {
            return InputEnd::Detached;
        }
    }
}

/// Writes each buffer as one of docker's frames (stream 0: input); its
/// shutdown sends the empty frame that ends the input.
pub struct Framed<W> {
    inner: W,
    /// The frame being written and how much of it is out.
    pending: Vec<u8>,
    sent: usize,
}

impl<W: AsyncWrite + Unpin> Framed<W> {
    pub fn new(inner: W) -> Framed<W> {
        Framed {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }

    /// Writes what is pending; Ready once it is all out.
    fn poll_flush_pending(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }

    fn frame(&mut self, data: &[u8]) {
        let n = (data.len() as u32).to_be_bytes();
        self.pending
            .extend_from_slice(&[0, 0, 0, 0, n[0], n[1], n[2], n[3]]);
        self.pending.extend_from_slice(data);
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Framed<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        // A frame still going out is this same buffer, written again by
        // the caller after a Pending.
        if this.pending.is_empty() {
            this.frame(buf);
        }
        ready!(this.poll_flush_pending(cx))?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_flush_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if this.pending.is_empty() {
            this.frame(&[]);
        }
        ready!(this.poll_flush_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::detach::DetachKeys;

    #[tokio::test]
    async fn input_goes_out_in_frames_and_its_end_is_an_empty_one() {
        let mut out = Vec::new();
        let mut framed = Framed::new(&mut out);
        let end = pump(&b"ab"[..], &mut framed, None).await;
        assert_eq!(end, InputEnd::Eof);
        framed.shutdown().await.unwrap();
        assert_eq!(out, b"\0\0\0\0\0\0\0\x02ab\0\0\0\0\0\0\0\0");
    }

    #[tokio::test]
    async fn the_detach_keys_stop_the_input_and_are_not_passed_on() {
        let mut out = Vec::new();
        let keys = DetachKeys::parse("ctrl-p,ctrl-q").ok();
        let end = pump(&b"ls\x10\x11more"[..], &mut out, keys).await;
        assert_eq!(end, InputEnd::Detached);
        assert_eq!(out, b"ls");
    }
}

//! The user's terminal: raw mode for `-it`, and its size.

use std::os::fd::{AsFd, BorrowedFd};

use std::io::IsTerminal;

use berth::container::detach::DetachKeys;
use nix::sys::termios::{self, SetArg, Termios};

/// Restores the terminal's settings when dropped.
pub struct RawGuard {
    saved: Termios,
}

impl RawGuard {
    /// Puts stdin in raw mode (keys go to the container unprocessed).
    pub fn stdin() -> Option<RawGuard> {
        let fd = std::io::stdin();
        let saved = termios::tcgetattr(fd.as_fd()).ok()?;
        let mut raw = saved.clone();
        termios::cfmakeraw(&mut raw);
        termios::tcsetattr(fd.as_fd(), SetArg::TCSANOW, &raw).ok()?;
        Some(RawGuard { saved })
    }
}

impl Drop for RawGuard {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(std::io::stdin().as_fd(), SetArg::TCSANOW, &self.saved);
    }
}

fn size_of(fd: BorrowedFd<'_>) -> Option<(u16, u16)> {
    use std::os::fd::AsRawFd;
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills the winsize we own.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0).then_some((ws.ws_col, ws.ws_row))
}

/// The terminal's columns and rows, from stdout or else stdin.
pub fn size() -> Option<(u16, u16)> {
    size_of(std::io::stdout().as_fd()).or_else(|| size_of(std::io::stdin().as_fd()))
}

/// The detach keys for input typed at a terminal (`--detach-keys`, else
/// docker's config.json `detachKeys`, else ctrl-p,ctrl-q), checked even
/// when unused; none when stdin is not a terminal, so piped data passes
/// untouched.
pub fn detach_keys(flag: Option<&str>) -> berth::Result<Option<DetachKeys>> {
    let keys = DetachKeys::choose(flag, berth::container::detach::configured().as_deref())?;
    Ok(std::io::stdin().is_terminal().then_some(keys))
}

/// berth's own stdio for an attached process (stdin only when it takes it).
pub fn user_io(stdin: bool, detach_keys: Option<DetachKeys>) -> berth::container::ops::AttachIo {
    berth::container::ops::AttachIo {
        stdin: stdin
            .then(|| Box::new(tokio::io::stdin()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        stdout: Box::new(tokio::io::stdout()),
        stderr: Box::new(tokio::io::stderr()),
        detach_keys,
    }
}

/// berth's own stdio for an attached run: the streams `-a` chose (all
/// by default); stdin with `-i` when it is attached.
pub fn run_io(
    c: &berth::container::model::Config,
    detach_keys: Option<DetachKeys>,
) -> berth::container::ops::AttachIo {
    fn out(
        attached: bool,
        w: impl tokio::io::AsyncWrite + Unpin + Send + 'static,
    ) -> Box<dyn tokio::io::AsyncWrite + Unpin + Send> {
        match attached {
            true => Box::new(w),
            false => Box::new(tokio::io::sink()),
        }
    }
    let mut io = user_io(c.open_stdin && c.attach_stdin, detach_keys);
    io.stdout = out(c.attach_stdout, tokio::io::stdout());
    io.stderr = out(c.attach_stderr, tokio::io::stderr());
    io
}

/// The exit code for an attachment that ended: the process's, or after
/// the detach keys docker's line and 1 (`attach`, `exec`, `start -a`).
pub fn joined_exit(outcome: &berth::container::ops::Outcome) -> u8 {
    if outcome.detached {
        eprintln!("read escape sequence");
        return 1;
    }
    outcome.exit_code.min(255) as u8
}

//! The user's terminal: raw mode for `-it`, and its size.

use std::os::fd::{AsFd, BorrowedFd};

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

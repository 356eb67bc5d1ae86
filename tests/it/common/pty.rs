//! A real terminal for a berth process: a pseudo-terminal whose slave is
//! its stdin, stdout and stderr (and controlling terminal), driven by
//! writing keys to the master and reading what appears there.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Pty {
    master: std::fs::File,
    child: Child,
    /// Everything the terminal showed so far (`\r` removed).
    pub seen: String,
}

impl Pty {
    /// Starts `cmd` on a new 80x24 terminal.
    pub fn spawn(mut cmd: Command) -> Pty {
        let size = nix::pty::Winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(Some(&size), None).expect("openpty");
        let slave: OwnedFd = pty.slave;
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup"));
        cmd.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave));
        // SAFETY: setsid and the ioctl are async-signal-safe; stdin is the
        // slave by now, which becomes the controlling terminal.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                if libc::ioctl(0, libc::TIOCSCTTY, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawning on a terminal");
        drop(slave);
        let master = std::fs::File::from(pty.master);
        nix::fcntl::fcntl(
            &master,
            nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
        )
        .expect("nonblocking master");
        Pty {
            master,
            child,
            seen: String::new(),
        }
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &[u8]) {
        self.master
            .write_all(keys)
            .expect("writing to the terminal");
    }

    /// Reads what is there; false once the terminal has closed.
    fn pump(&mut self) -> bool {
        let mut buf = [0u8; 4096];
        loop {
            match self.master.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => self
                    .seen
                    .push_str(&String::from_utf8_lossy(&buf[..n]).replace('\r', "")),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
                // EIO: every slave descriptor is closed.
                Err(_) => return false,
            }
        }
    }

    /// Waits until `text` has appeared (after `from` bytes of `seen`).
    pub fn expect_after(&mut self, from: usize, text: &str, within: Duration) {
        let end = Instant::now() + within;
        loop {
            let open = self.pump();
            if self.seen.get(from..).is_some_and(|s| s.contains(text)) {
                return;
            }
            assert!(
                open && Instant::now() < end,
                "{text:?} did not appear on the terminal; it showed:\n{}",
                self.seen
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn expect(&mut self, text: &str, within: Duration) {
        self.expect_after(0, text, within);
    }

    /// Waits for the process to exit: its code and all it showed.
    pub fn finish(mut self, within: Duration) -> (i32, String) {
        let end = Instant::now() + within;
        loop {
            let open = self.pump();
            if let Some(status) = self.child.try_wait().expect("waiting") {
                while self.pump() {}
                return (status.code().unwrap_or(-1), std::mem::take(&mut self.seen));
            }
            if Instant::now() >= end {
                let _ = self.child.kill();
                panic!(
                    "the process did not exit; the terminal showed:\n{}",
                    self.seen
                );
            }
            if !open {
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

//! Forwarding the signals berth receives to the container (docker's
//! --sig-proxy), and terminal resizes (SIGWINCH) with -t.

use berth::container::ops::Control;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Signals docker proxies; SIGCHLD, SIGPIPE, SIGURG and SIGWINCH are not.
const PROXIED: &[i32] = &[
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGTERM,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGCONT,
    libc::SIGTSTP,
    libc::SIGTTIN,
    libc::SIGTTOU,
];

pub fn forward(tx: mpsc::Sender<Control>, proxy: bool, tty: bool) {
    if proxy {
        for &sig in PROXIED {
            let Ok(mut stream) = signal(SignalKind::from_raw(sig)) else {
                continue;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                while stream.recv().await.is_some() {
                    if tx.send(Control::Signal(sig)).await.is_err() {
                        break;
                    }
                }
            });
        }
    }
    if tty && let Ok(mut winch) = signal(SignalKind::window_change()) {
        tokio::spawn(async move {
            while winch.recv().await.is_some() {
                if let Some((w, h)) = crate::terminal::size()
                    && tx.send(Control::Resize(w, h)).await.is_err()
                {
                    break;
                }
            }
        });
    }
}

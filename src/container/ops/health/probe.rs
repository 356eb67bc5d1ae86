//! One health check: the command exec'd in the container with its
//! process settings, both output streams into one buffer of at most
//! 4096 bytes, killed at the timeout (docker's result then: exit code -1,
//! `Health check exceeded timeout (D)` and what it printed).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use tokio::io::AsyncWrite;
use tokio::sync::mpsc;

use super::MAX_OUTPUT;
use crate::client::Client;
use crate::container::config::ExecOptions;
use crate::container::model::HealthcheckResult;
use crate::container::ops::exec;
use crate::container::runtime::attach::{AttachIo, Control};
use crate::container::store::record::ContainerRecord;

/// What the check printed, both streams, cut at `MAX_OUTPUT` bytes.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<(Vec<u8>, bool)>>);

impl Output {
    /// docker's text: lossy UTF-8, `...` after a cut.
    fn text(&self) -> String {
        let guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut s = String::from_utf8_lossy(&guard.0).into_owned();
        if guard.1 {
            s.push_str("...");
        }
        s
    }
}

impl AsyncWrite for Output {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let room = MAX_OUTPUT.saturating_sub(guard.0.len());
        if buf.len() > room {
            guard.1 = true;
        }
        let take = buf.len().min(room);
        guard.0.extend_from_slice(&buf[..take]);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Go's `time.Duration` text (`1s`, `1.5s`, `2m0s`, `300ms`).
pub fn go_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".into();
    }
    let trim = |whole: u128, frac: u128, digits: usize, unit: &str| {
        let f = format!("{frac:0digits$}");
        let f = f.trim_end_matches('0');
        if f.is_empty() {
            format!("{whole}{unit}")
        } else {
            format!("{whole}.{f}{unit}")
        }
    };
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return trim(nanos / 1_000, nanos % 1_000, 3, "µs");
    }
    if nanos < 1_000_000_000 {
        return trim(nanos / 1_000_000, nanos % 1_000_000, 6, "ms");
    }
    let secs = nanos / 1_000_000_000;
    let sub = nanos % 1_000_000_000;
    let s = trim(secs % 60, sub, 9, "s");
    match (secs / 3600, (secs / 60) % 60) {
        (0, 0) => s,
        (0, m) => format!("{m}m{s}"),
        (h, m) => format!("{h}h{m}m{s}"),
    }
}

/// Runs `command` in `rec` once.
pub async fn run(
    client: &Client,
    rec: &ContainerRecord,
    command: Vec<String>,
    timeout: Duration,
) -> HealthcheckResult {
    let started = SystemTime::now();
    let out = Output::default();
    let opts = ExecOptions {
        container_and_command: std::iter::once(rec.id.clone()).chain(command).collect(),
        ..Default::default()
    };
    let io = AttachIo {
        stdin: None,
        stdout: Box::new(out.clone()),
        stderr: Box::new(out.clone()),
        detach_keys: None,
    };
    let (control, controls) = mpsc::channel(1);
    let checking = exec::exec(client, rec, &rec.id, &opts, io, controls);
    tokio::pin!(checking);
    let (code, text) = tokio::select! {
        done = &mut checking => match done {
            Ok(Some(o)) => (o.exit_code as i32 as i64, out.text()),
            Ok(None) => (-1, out.text()),
            Err(e) => (-1, e.message().to_string()),
        },
        _ = tokio::time::sleep(timeout) => {
            let _ = control.send(Control::Signal(libc::SIGKILL)).await;
            // The process's end, so that checks never pile up.
            let _ = tokio::time::timeout(Duration::from_secs(10), &mut checking).await;
            let printed = out.text();
            let shown = go_duration(timeout);
            let text = if printed.is_empty() {
                format!("Health check exceeded timeout ({shown})")
            } else {
                format!("Health check exceeded timeout ({shown}): {printed}")
            };
            (-1, text)
        }
    };
    HealthcheckResult {
        start: crate::logs::jsonfile::format_time(started),
        end: crate::logs::jsonfile::format_time(SystemTime::now()),
        exit_code: code,
        output: text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_prints_them() {
        let ms = Duration::from_millis;
        assert_eq!(go_duration(Duration::ZERO), "0s");
        assert_eq!(go_duration(ms(1)), "1ms");
        assert_eq!(go_duration(ms(1500)), "1.5s");
        assert_eq!(go_duration(ms(30_000)), "30s");
        assert_eq!(go_duration(ms(120_000)), "2m0s");
        assert_eq!(go_duration(ms(3_723_000)), "1h2m3s");
        assert_eq!(go_duration(Duration::from_micros(1500)), "1.5ms");
        assert_eq!(go_duration(Duration::from_nanos(5)), "5ns");
    }

    #[tokio::test]
    async fn output_is_cut_at_4096_bytes() {
        use tokio::io::AsyncWriteExt;
        let mut o = Output::default();
        o.write_all(&[b'a'; 4000]).await.unwrap();
        o.write_all(&[b'b'; 200]).await.unwrap();
        let t = o.text();
        assert_eq!(t.len(), 4096 + 3);
        assert!(t.ends_with("bbb..."));
    }
}

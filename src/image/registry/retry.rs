//! Trying a registry request again. Transient failures (a dropped or
//! refused connection, a 5xx or 429 answer, a body cut short) are retried
//! with exponential backoff, as docker does for pulls and pushes; anything
//! else (a wrong password, an unknown manifest, a bad certificate) fails at
//! once.

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, Result};

/// Tries in all, the first included.
pub const ATTEMPTS: u32 = 5;
/// The wait before the second try; it doubles for each one after.
const FIRST_DELAY: Duration = Duration::from_millis(500);

/// A failed try that will be tried again after `delay`.
pub struct Retry<'a> {
    /// Which try failed (1-based).
    pub attempt: u32,
    pub delay: Duration,
    pub error: &'a Error,
}

/// The count of tries so far and the next wait, for loops that cannot be
/// a closure (they hold on to mutable state between tries).
pub struct Backoff {
    failed: u32,
    delay: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            failed: 0,
            delay: FIRST_DELAY,
        }
    }
}

impl Backoff {
    /// After a failed try: Ok(the wait before the next one, once `notice`
    /// has heard of it), or Err(the error to give up with).
    pub fn after(&mut self, e: Error, notice: &mut impl FnMut(Retry<'_>)) -> Result<Duration> {
        if !e.is_transient() {
            return Err(e);
        }
        self.failed += 1;
        if self.failed >= ATTEMPTS {
            return Err(gave_up(e));
        }
        let delay = self.delay;
        notice(Retry {
            attempt: self.failed,
            delay,
            error: &e,
        });
        self.delay *= 2;
        Ok(delay)
    }

    /// `after`, then the wait.
    pub async fn wait_after(&mut self, e: Error, mut notice: impl FnMut(Retry<'_>)) -> Result<()> {
        let delay = self.after(e, &mut notice)?;
        tokio::time::sleep(delay).await;
        Ok(())
    }
}

/// Runs `attempt` until it succeeds, fails for good, or has failed
/// transiently `ATTEMPTS` times; `notice` hears of each try given another go.
pub async fn retrying<T, F, Fut>(mut notice: impl FnMut(Retry<'_>), mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut backoff = Backoff::default();
    loop {
        match attempt().await {
            Ok(v) => return Ok(v),
            Err(e) => backoff.wait_after(e, &mut notice).await?,
        }
    }
}

/// `retrying` that logs each retry as a warning.
pub async fn logged<T, F, Fut>(what: &str, attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let notice = |r: Retry<'_>| {
        tracing::warn!(
            "{what}: {} (retrying in {})",
            r.error.message(),
            seconds(r.delay)
        )
    };
    retrying(notice, attempt).await
}

/// `1.5s`, `2s`: a delay as people read it.
pub fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

fn gave_up(e: Error) -> Error {
    let msg = format!("{} (gave up after {ATTEMPTS} tries)", e.message());
    let out = Error::new(e.kind(), msg);
    match e.hint() {
        Some(h) => out.hinted(h),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn flaky(kind: ErrorKind) -> Error {
        Error::new(kind, "connection reset").transient()
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_retried_with_doubling_delays() {
        let mut tries = 0;
        let mut delays = Vec::new();
        let out = retrying(
            |r| delays.push((r.attempt, r.delay)),
            || {
                tries += 1;
                let fail = tries < 3;
                async move {
                    if fail {
                        Err(flaky(ErrorKind::Registry))
                    } else {
                        Ok(tries)
                    }
                }
            },
        )
        .await;
        assert_eq!(out.unwrap(), 3);
        assert_eq!(
            delays,
            vec![
                (1, Duration::from_millis(500)),
                (2, Duration::from_millis(1000))
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_the_last_try_and_says_so() {
        let mut tries = 0;
        let out: Result<()> = retrying(
            |_| {},
            || {
                tries += 1;
                async { Err(flaky(ErrorKind::Registry).hinted("check it")) }
            },
        )
        .await;
        let e = out.unwrap_err();
        assert_eq!(tries, ATTEMPTS);
        assert_eq!(e.message(), "connection reset (gave up after 5 tries)");
        assert_eq!(e.hint(), Some("check it"));
        assert_eq!(e.kind(), ErrorKind::Registry);
    }

    #[tokio::test(start_paused = true)]
    async fn lasting_failures_are_not_retried() {
        let mut tries = 0;
        let out: Result<()> = retrying(
            |_| panic!("no retry for a refusal"),
            || {
                tries += 1;
                async { Err(Error::new(ErrorKind::Unauthorized, "denied")) }
            },
        )
        .await;
        assert_eq!(out.unwrap_err().message(), "denied");
        assert_eq!(tries, 1);
    }

    #[test]
    fn delays_read_as_seconds() {
        assert_eq!(seconds(Duration::from_millis(500)), "0.5s");
        assert_eq!(seconds(Duration::from_secs(2)), "2s");
    }
}

use super::*;

fn result(code: i64) -> HealthcheckResult {
    HealthcheckResult {
        exit_code: code,
        ..Default::default()
    }
}

fn timing(retries: i64, start_period_s: i64) -> Timing {
    Timing::of(&HealthConfig {
        test: vec!["CMD".into(), "true".into()],
        retries,
        start_period: start_period_s * 1_000_000_000,
        ..Default::default()
    })
}

fn starting() -> Health {
    Health {
        status: STARTING.into(),
        ..Default::default()
    }
}

#[test]
fn defaults_are_dockers() {
    let t = Timing::of(&HealthConfig::default());
    assert_eq!(t.interval, Duration::from_secs(30));
    assert_eq!(t.timeout, Duration::from_secs(30));
    assert_eq!(t.start_period, Duration::ZERO);
    assert_eq!(t.start_interval, Duration::from_secs(5));
    assert_eq!(t.retries, 3);
}

#[test]
fn commands_by_kind() {
    let c = |t: &[&str]| HealthConfig {
        test: t.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(command(&c(&["CMD", "ls", "/"])).unwrap(), ["ls", "/"]);
    assert_eq!(
        command(&c(&["CMD-SHELL", "test -f /x"])).unwrap(),
        ["/bin/sh", "-c", "test -f /x"]
    );
    assert!(command(&c(&["NONE"])).is_none());
    assert!(command(&c(&[])).is_none());
    assert!(command(&c(&["CMD"])).is_none());
}

#[test]
fn failures_count_to_retries_then_unhealthy_and_one_success_heals() {
    let t = timing(2, 0);
    let mut h = starting();
    assert_eq!(record(&mut h, result(1), &t, Duration::from_secs(9)), None);
    assert_eq!((h.status.as_str(), h.failing_streak), (STARTING, 1));
    assert_eq!(
        record(&mut h, result(1), &t, Duration::from_secs(9)).as_deref(),
        Some(UNHEALTHY)
    );
    assert_eq!(h.failing_streak, 2);
    assert_eq!(
        record(&mut h, result(0), &t, Duration::from_secs(9)).as_deref(),
        Some(HEALTHY)
    );
    assert_eq!(h.failing_streak, 0);
    // Any other exit code is a failure too (a timeout's -1).
    record(&mut h, result(-1), &t, Duration::from_secs(9));
    assert_eq!((h.status.as_str(), h.failing_streak), (HEALTHY, 1));
}

#[test]
fn failures_in_the_start_period_do_not_count_while_starting() {
    let t = timing(1, 30);
    let mut h = starting();
    assert_eq!(record(&mut h, result(1), &t, Duration::from_secs(5)), None);
    assert_eq!(h.failing_streak, 0);
    // Once healthy, the start period no longer shields failures.
    record(&mut h, result(0), &t, Duration::from_secs(6));
    assert_eq!(
        record(&mut h, result(1), &t, Duration::from_secs(7)).as_deref(),
        Some(UNHEALTHY)
    );
    // After the period a starting container's failure counts.
    let mut h = starting();
    assert_eq!(
        record(&mut h, result(1), &t, Duration::from_secs(31)).as_deref(),
        Some(UNHEALTHY)
    );
}

#[test]
fn the_log_keeps_the_last_five() {
    let t = timing(3, 0);
    let mut h = starting();
    for code in 0..7 {
        record(&mut h, result(code), &t, Duration::ZERO);
    }
    let codes: Vec<i64> = h.log.iter().map(|r| r.exit_code).collect();
    assert_eq!(codes, [2, 3, 4, 5, 6]);
}

#[test]
fn waits_use_the_start_interval_while_starting_in_the_period() {
    let t = Timing::of(&HealthConfig {
        interval: 10_000_000_000,
        start_period: 60_000_000_000,
        start_interval: 1_000_000_000,
        ..Default::default()
    });
    let s = Duration::from_secs;
    assert_eq!(t.next_wait(s(5), STARTING), s(1));
    assert_eq!(t.next_wait(s(5), HEALTHY), s(10));
    assert_eq!(t.next_wait(s(61), STARTING), s(10));
}

#[test]
fn ps_shows_dockers_words() {
    assert_eq!(ps_suffix(STARTING), " (health: starting)");
    assert_eq!(ps_suffix(HEALTHY), " (healthy)");
    assert_eq!(ps_suffix(UNHEALTHY), " (unhealthy)");
}

#[test]
fn the_state_file_round_trips_and_a_start_resets_it() {
    let dir = tempfile::tempdir().unwrap();
    assert!(load(dir.path()).is_none());
    let mut h = starting();
    record(&mut h, result(1), &timing(1, 0), Duration::ZERO);
    save(dir.path(), &h).unwrap();
    assert_eq!(load(dir.path()).unwrap(), h);
    reset(dir.path()).unwrap();
    let back = load(dir.path()).unwrap();
    assert_eq!(
        (back.status.as_str(), back.failing_streak, back.log.len()),
        (STARTING, 0, 1)
    );
}

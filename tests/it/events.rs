//! `events`: a run/stop/rm cycle, a tag, a network and a volume seen in
//! order as docker's messages (docker's recorded sequence for the same
//! steps), filters, `--until`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{Ns, Spawned, wait_for};

/// `events ARGS` writing to a file, ready once a marker volume it was
/// shown has appeared in the file (containerd keeps no history: it must
/// be subscribed before the steps begin).
pub(crate) fn watch(ns: &Ns, args: &[&str], file: &std::path::Path) -> Spawned {
    let out = std::fs::File::create(file).unwrap();
    let child = ns
        .cmd()
        .arg("events")
        .args(args)
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let spawned = Spawned(Some(child));
    let mut n = 0;
    wait_for("the watcher to subscribe", 20, || {
        n += 1;
        ns.berth(&["volume", "create", &format!("ready{n}")]).ok();
        ns.berth(&["volume", "rm", &format!("ready{n}")]).ok();
        std::thread::sleep(Duration::from_millis(100));
        std::fs::read_to_string(file)
            .unwrap()
            .contains("ready")
            .then_some(())
    });
    spawned
}

fn lines_after_ready(file: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| !e["Actor"]["ID"].as_str().unwrap_or("").starts_with("ready"))
        .collect()
}

#[test]
fn a_run_stop_rm_cycle_is_seen_in_order() {
    let ns = Ns::new("events");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.json");
    let _w = watch(&ns, &["--format", "{{json .}}"], &file);
    let id = ns
        .berth(&[
            "run",
            "-d",
            "--name",
            "c4",
            "--network",
            "none",
            &img,
            "sleep",
            "60",
        ])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["stop", "-t", "1", "c4"]).ok();
    ns.berth(&["rm", "c4"]).ok();
    ns.berth(&["tag", &img, "rec-tag:1"]).ok();
    ns.berth(&["rmi", "rec-tag:1"]).ok();
    ns.berth(&["network", "create", "n1"]).ok();
    ns.berth(&["network", "rm", "n1"]).ok();
    ns.berth(&["volume", "create", "v1"]).ok();
    ns.berth(&["volume", "rm", "v1"]).ok();
    wait_for("the last event", 20, || {
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("\"Action\":\"destroy\",\"Actor\":{\"ID\":\"v1\"")
            .then_some(())
    });
    let events = lines_after_ready(&file);
    let seen: Vec<String> = events
        .iter()
        .map(|e| {
            let signal = e["Actor"]["Attributes"]["signal"]
                .as_str()
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            format!(
                "{} {}{signal}",
                e["Type"].as_str().unwrap(),
                e["Action"].as_str().unwrap()
            )
        })
        .collect();
    // docker 28 + dockerd 20.10 for the same steps, without its network
    // connect/disconnect of `--network none`.
    assert_eq!(
        seen,
        [
            "container create",
            "container start",
            "container kill 15",
            "container kill 9",
            "container die",
            "container stop",
            "container destroy",
            "image tag",
            "image untag",
            "network create",
            "network destroy",
            "volume create",
            "volume destroy",
        ]
    );
    let create = &events[0];
    assert_eq!(create["status"], "create");
    assert_eq!(create["id"], id.as_str());
    assert_eq!(create["from"], img.as_str());
    assert_eq!(create["Actor"]["Attributes"]["name"], "c4");
    assert_eq!(create["scope"], "local");
    assert_eq!(events[4]["Actor"]["Attributes"]["exitCode"], "137");
    assert_eq!(events[7]["Actor"]["Attributes"]["name"], "rec-tag:1");
    let keys: Vec<&String> = events[11].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["Type", "Action", "Actor", "scope", "time", "timeNano"],
        "no status/id/from for volumes"
    );
}

#[test]
fn filters_lines_and_until() {
    let ns = Ns::new("events-filter");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.txt");
    let _w = watch(
        &ns,
        &["--filter", "type=volume", "--filter", "event=create"],
        &file,
    );
    ns.berth(&["network", "create", "n2"]).ok();
    ns.berth(&["network", "rm", "n2"]).ok();
    ns.berth(&["volume", "create", "v2"]).ok();
    ns.berth(&["volume", "rm", "v2"]).ok();
    wait_for("the volume's event", 20, || {
        std::fs::read_to_string(&file)
            .unwrap()
            .contains(" v2 ")
            .then_some(())
    });
    std::thread::sleep(Duration::from_millis(300));
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("ready")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    let re = regex::Regex::new(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z volume create v2 \(driver=local\)$",
    )
    .unwrap();
    assert!(re.is_match(lines[0]), "{}", lines[0]);

    // --until in the past: nothing to show, exit 0 at once; in the
    // future: it stops then.
    let o = ns.berth(&["events", "--since", "1m", "--until", "0s"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    let started = Instant::now();
    let until = (chrono::Utc::now().timestamp() + 2).to_string();
    ns.berth(&["events", "--until", &until]).ok();
    assert!(started.elapsed() < Duration::from_secs(10));
    let o = ns.berth(&["events", "--filter", "colour=red"]);
    assert_eq!(o.code, 1);
}

#[test]
fn exec_rename_commit_connect_and_attach_are_seen() {
    let ns = Ns::new("events-more");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.json");
    let net = format!("{}-n", ns.name);
    ns.berth(&["network", "create", &net]).ok();
    let _w = watch(&ns, &["--format", "{{json .}}"], &file);
    ns.sleeper("c5", &img);
    ns.berth(&["exec", "c5", "echo", "hi"]).ok();
    ns.berth(&["rename", "c5", "c6"]).ok();
    ns.berth(&["commit", "-m", "why", "c6", "committed:1"]).ok();
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "c7",
        "--network",
        &net,
        &img,
        "sleep",
        "60",
    ])
    .ok();
    ns.berth(&["network", "disconnect", &net, "c7"]).ok();
    let attach = ns.spawn(&["attach", "c7"]);
    wait_for("the attach event", 20, || {
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("\"Action\":\"attach\"")
            .then_some(())
    });
    ns.berth(&["kill", "c7"]).ok();
    assert_eq!(attach.finish().code, 137);
    let events = lines_after_ready(&file);
    let seen: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["Type"].as_str().unwrap(),
                e["Action"].as_str().unwrap()
            )
        })
        .collect();
    let wanted = [
        "container exec_create: echo hi",
        "container exec_start: echo hi",
        "container exec_die",
        "container rename",
        "container commit",
        "network disconnect",
        "container attach",
        "container kill",
        "container die",
    ];
    let mut rest = seen.iter();
    for w in wanted {
        assert!(
            rest.any(|s| s == w),
            "{w:?} missing or out of order in {seen:#?}"
        );
    }
    let find = |action: &str| events.iter().find(|e| e["Action"] == action).unwrap();
    let renamed = &find("rename")["Actor"]["Attributes"];
    assert_eq!(
        (renamed["name"].as_str(), renamed["oldName"].as_str()),
        (Some("c6"), Some("/c5"))
    );
    let committed = &find("commit")["Actor"]["Attributes"];
    assert_eq!(committed["comment"], "why");
    assert!(
        committed["imageID"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let left = &find("disconnect")["Actor"]["Attributes"];
    assert_eq!(left["name"], net.as_str());
    assert!(left["container"].as_str().unwrap().len() == 64);
}

/// `cp` and the prunes are seen as docker's daemon logs them: the copy as
/// `archive-path` (out of a container) and `extract-to-dir` (into one),
/// each prune as `TYPE prune` with no actor and what it `reclaimed`.
#[test]
fn copies_and_prunes_are_seen() {
    let ns = Ns::new("events-cp");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.txt");
    ns.sleeper("cp1", &img);
    let _w = watch(&ns, &[], &file);
    let host = dir.path().join("hosts");
    ns.berth(&["cp", "cp1:/etc/hosts", host.to_str().unwrap()])
        .ok();
    ns.berth(&["cp", host.to_str().unwrap(), "cp1:/tmp/hosts"])
        .ok();
    ns.berth(&["rm", "-f", "cp1"]).ok();
    ns.berth(&["create", "--name", "gone", &img]).ok();
    ns.berth(&["container", "prune", "-f"]).ok();
    ns.berth(&["network", "prune", "-f"]).ok();
    ns.berth(&["volume", "prune", "-f"]).ok();
    ns.berth(&["image", "prune", "-f"]).ok();
    let lines = wait_for("the image prune", 20, || {
        let text = std::fs::read_to_string(&file).unwrap();
        text.contains("image prune").then_some(text)
    });
    // Each line without its time.
    let lines: Vec<String> = lines
        .lines()
        .filter(|l| !l.contains("ready"))
        .map(|l| l.split_once(' ').unwrap().1.to_string())
        .collect();
    let find = |prefix: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {lines:#?}"))
            .clone()
    };
    assert!(find("container archive-path ").ends_with("name=cp1)"));
    assert!(find("container extract-to-dir ").ends_with("name=cp1)"));
    assert_eq!(find("container prune "), "container prune  (reclaimed=0)");
    assert_eq!(find("network prune "), "network prune  (reclaimed=0)");
    assert_eq!(find("volume prune "), "volume prune  (reclaimed=0)");
    assert_eq!(find("image prune "), "image prune  (reclaimed=0)");
}

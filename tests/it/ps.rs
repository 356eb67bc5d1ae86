//! `berth ps` output contract.

use crate::common::Ns;

/// Starts a long-running attached container in the background.
fn start_sleeper(ns: &Ns, img: &str, name: &str) -> crate::common::Spawned {
    let child = ns.spawn(&[
        "run",
        "--rm",
        "--name",
        name,
        "-l",
        "role=sleeper",
        img,
        "sleep",
        "300",
    ]);
    ns.wait_running(name);
    child
}

#[test]
fn default_table_matches_docker() {
    let ns = Ns::new("ps-table");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "--name",
        "done",
        &img,
        "sh",
        "-c",
        "echo a long command line here; exit 2",
    ])
    .code(2);
    let sleeper = start_sleeper(&ns, &img, "sleeper");
    let fields = |out: &str| -> Vec<serde_json::Value> {
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    // The table is compared with docker's rendering of the very rows it
    // shows: taken before and after it, and equal, they are the same rows
    // (a second ticking over between the calls means another try).
    let (table, rows) = (0..5)
        .find_map(|_| {
            let before = ns.berth(&["ps", "-a", "--format", "json"]).ok().to_string();
            let table = ns.berth(&["ps", "-a"]).ok().to_string();
            let after = ns.berth(&["ps", "-a", "--format", "json"]).ok().to_string();
            (before == after).then(|| (table, fields(&before)))
        })
        .expect("five tries without a second ticking over");
    let mut expected = vec![
        [
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "CREATED",
            "STATUS",
            "PORTS",
            "NAMES",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in &rows {
        let f = |k: &str| r[k].as_str().unwrap().to_string();
        expected.push(
            [
                "ID",
                "Image",
                "Command",
                "RunningFor",
                "Status",
                "Ports",
                "Names",
            ]
            .map(f)
            .to_vec(),
        );
    }
    assert_eq!(table, crate::common::docker_table(&expected));
    // The rows hold what docker shows for these two containers.
    let by_name = |n: &str| rows.iter().find(|r| r["Names"] == n).unwrap();
    let (done, sleeping) = (by_name("done"), by_name("sleeper"));
    assert_eq!(rows[0]["Names"], "sleeper", "newest first");
    // COMMAND: quoted, truncated to 20 characters with an ellipsis.
    assert_eq!(done["Command"], "\"sh -c 'echo a long …\"");
    assert_eq!(sleeping["Command"], "\"sleep 300\"");
    assert_eq!(done["Image"], img.as_str());
    let id = done["ID"].as_str().unwrap();
    assert!(
        id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    let status = |r: &serde_json::Value| r["Status"].as_str().unwrap().to_string();
    assert!(status(done).starts_with("Exited (2) ") && status(done).ends_with(" ago"));
    assert!(status(sleeping).starts_with("Up "), "{}", status(sleeping));
    // Without -a only running containers show: the header and the sleeper.
    let running = ns.berth(&["ps", "--format", "table {{.Names}}"]);
    assert_eq!(running.ok(), "NAMES\nsleeper\n");
    ns.berth(&["rm", "-f", "sleeper"]).ok();
    assert_eq!(sleeper.finish().code, 137);
}

#[test]
fn quiet_no_trunc_last_and_latest() {
    let ns = Ns::new("ps-flags");
    let img = ns.pull("busybox");
    for n in ["one", "two", "three"] {
        ns.berth(&["run", "--name", n, &img, "true"]).ok();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let q = ns.berth(&["ps", "-aq"]);
    assert_eq!(q.lines().len(), 3);
    assert!(
        q.lines()
            .iter()
            .all(|l| l.len() == 12 && l.chars().all(|c| c.is_ascii_hexdigit()))
    );
    let full = ns.berth(&["ps", "-aq", "--no-trunc"]);
    assert!(full.lines().iter().all(|l| l.len() == 64));
    assert!(full.lines()[0].starts_with(q.lines()[0]));
    assert_eq!(
        ns.berth(&["ps", "-n", "2", "--format", "{{.Names}}"]).ok(),
        "three\ntwo\n"
    );
    assert_eq!(
        ns.berth(&["ps", "-l", "--format", "{{.Names}}"]).ok(),
        "three\n"
    );
    assert_eq!(
        ns.berth(&["ps"]).lines().len(),
        1,
        "only the header when nothing runs"
    );
}

#[test]
fn filters() {
    let ns = Ns::new("ps-filter");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "web-1", "-l", "tier=front", &img, "true"])
        .ok();
    ns.berth(&[
        "run",
        "--name",
        "db",
        "-l",
        "tier=back",
        &img,
        "sh",
        "-c",
        "exit 4",
    ])
    .code(4);
    let names = |filters: &[&str]| {
        let mut args = vec!["ps", "-a", "--format", "{{.Names}}"];
        for f in filters {
            args.extend(["--filter", f]);
        }
        let mut v: Vec<String> = ns.berth(&args).ok().lines().map(String::from).collect();
        v.sort();
        v
    };
    assert_eq!(names(&["name=web"]), vec!["web-1"]);
    assert_eq!(names(&["label=tier=back"]), vec!["db"]);
    assert_eq!(names(&["label=tier"]), vec!["db", "web-1"]);
    assert_eq!(names(&["exited=4"]), vec!["db"]);
    assert_eq!(names(&["status=exited", "name=db"]), vec!["db"]);
    assert_eq!(names(&["ancestor=busybox"]), Vec::<String>::new());
    assert_eq!(names(&[&format!("ancestor={img}")]), vec!["db", "web-1"]);
    let id = ns.berth(&["images", "-q"]).ok().trim().to_string();
    assert_eq!(names(&[&format!("ancestor={id}")]), vec!["db", "web-1"]);
    // name= is docker's regular expression; before=/since= go by creation.
    assert_eq!(names(&["name=^/db$"]), vec!["db"]);
    assert_eq!(names(&["name=^w.b"]), vec!["web-1"]);
    assert_eq!(names(&["before=db"]), vec!["web-1"]);
    assert_eq!(names(&["since=web-1"]), vec!["db"]);
    ns.berth(&["ps", "--filter", "before=ghost"])
        .code(1)
        .stderr_has("No such container: ghost");
    // No container here has a check: all are health=none.
    assert_eq!(names(&["health=none"]), vec!["db", "web-1"]);
    assert_eq!(names(&["health=healthy"]), Vec::<String>::new());
    ns.berth(&["ps", "--filter", "network=x"])
        .code(1)
        .stderr_has("not supported yet");
    ns.berth(&["ps", "--filter", "bogus=1"])
        .code(1)
        .stderr_has("invalid filter 'bogus'");
}

#[test]
fn format_templates() {
    let ns = Ns::new("ps-format");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run", "--name", "fmt", "-l", "a=b", "-l", "c=d", &img, "true",
    ])
    .ok();
    let f = |t: &str| ns.berth(&["ps", "-a", "--format", t]).ok().to_string();
    assert_eq!(f("{{.Names}}"), "fmt\n");
    assert_eq!(
        f("{{.Label \"a\"}}-{{.Label \"c\"}}-{{.Label \"zz\"}}"),
        "b-d-\n"
    );
    assert_eq!(f("{{.State}} {{.Image}}"), format!("exited {img}\n"));
    assert_eq!(f("{{.Command}}"), "\"true\"\n");
    assert!(f("{{.Labels}}").contains("a=b,"), "{}", f("{{.Labels}}"));
    assert_eq!(f("{{upper .Names}} {{len .Names}}"), "FMT 3\n");
    assert_eq!(
        f("table {{.Names}}\t{{.State}}"),
        "NAMES     STATE\nfmt       exited\n"
    );
    let json: serde_json::Value = serde_json::from_str(&f("{{json .}}")).unwrap();
    assert_eq!(json["Names"], "fmt");
    assert_eq!(json["State"], "exited");
    let json2: serde_json::Value = serde_json::from_str(&f("json")).unwrap();
    assert_eq!(json, json2);
    ns.berth(&["ps", "-a", "--format", "{{.Nope}}"])
        .code(1)
        .stderr_has("can't evaluate field Nope");
    ns.berth(&["ps", "--format", "{{.Names"]).code(1);
}

#[test]
fn empty_namespace_hints_at_others() {
    let busy = Ns::new("ps-hint-full");
    let img = busy.pull("busybox");
    busy.berth(&["run", "--name", "xx", &img, "true"]).ok();
    let empty = Ns::new("ps-hint-empty");
    let out = empty.berth(&["ps", "-a"]);
    out.ok();
    out.stderr_has(&format!("namespace \"{}\" has no containers", empty.name))
        .stderr_has(&busy.name);
    // Scripts are unaffected: stdout is just the header.
    assert_eq!(out.lines().len(), 1);
    let out = empty.berth(&["images"]);
    out.stderr_has("has no images");
}

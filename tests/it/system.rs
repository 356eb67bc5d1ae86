//! `system df`, `system prune`, `builder prune`: docker's tables and
//! reports over this namespace's images, containers and volumes.

use crate::common::Ns;

/// BuildKit's cache is the machine's, not this test's: these tests point
/// `--buildkit-host` at nothing (the row counts no cache, prune skips it).
const NO_BUILDKIT: &str = "unix:///nonexistent/buildkitd.sock";

#[test]
fn system_df_counts_as_docker_does() {
    let ns = Ns::new("system-df");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "up",
        "--network",
        "none",
        "-v",
        "used:/data",
        &img,
        "sleep",
        "600",
    ])
    .ok();
    ns.berth(&[
        "run",
        "--name",
        "wrote",
        "--network",
        "none",
        &img,
        "sh",
        "-c",
        "printf 1234567 > /f",
    ])
    .ok();
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-v",
        "spare:/v",
        &img,
        "sh",
        "-c",
        "printf 12345 > /v/x",
    ])
    .ok();
    // docker's `units.HumanSize` (four digits; `images` shows three).
    let bytes: f64 = ns
        .berth(&["image", "inspect", "-f", "{{.Size}}", &img])
        .ok()
        .trim()
        .parse()
        .unwrap();
    let size = berth::format::units::human_size(bytes);
    let out = ns
        .berth(&["system", "df", "--buildkit-host", NO_BUILDKIT])
        .ok()
        .to_string();
    assert_eq!(
        out,
        crate::common::docker_table(&[
            vec![
                "TYPE".into(),
                "TOTAL".into(),
                "ACTIVE".into(),
                "SIZE".into(),
                "RECLAIMABLE".into()
            ],
            vec![
                "Images".into(),
                "1".into(),
                "1".into(),
                size.clone(),
                "0B (0%)".into()
            ],
            vec![
                "Containers".into(),
                "2".into(),
                "1".into(),
                "7B".into(),
                "7B (100%)".into()
            ],
            vec![
                "Local Volumes".into(),
                "2".into(),
                "1".into(),
                "5B".into(),
                "5B (100%)".into()
            ],
            vec![
                "Build Cache".into(),
                "0".into(),
                "0".into(),
                "0B".into(),
                "0B".into()
            ],
        ])
    );
    let json = ns
        .berth(&[
            "system",
            "df",
            "--buildkit-host",
            NO_BUILDKIT,
            "--format",
            "{{json .}}",
        ])
        .ok()
        .to_string();
    assert_eq!(
        json.lines().next().unwrap(),
        format!(
            r#"{{"Active":"1","Reclaimable":"0B (0%)","Size":"{size}","TotalCount":"1","Type":"Images"}}"#
        )
    );
}

#[test]
fn system_prune_reports_each_part() {
    let ns = Ns::new("system-prune");
    let img = ns.pull("busybox");
    ns.sleeper("up", &img);
    let gone = ns
        .berth(&[
            "create",
            "--name",
            "gone",
            "--network",
            "none",
            &img,
            "true",
        ])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["network", "create", "spare-net"]).ok();
    ns.berth(&["volume", "create", "kept"]).ok();
    // No: nothing goes.
    let o = ns.berth_stdin(&["system", "prune", "--buildkit-host", NO_BUILDKIT], "n\n");
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    assert!(
        o.stderr
            .starts_with("WARNING! This will remove:\n  - all stopped containers\n"),
        "{}",
        o.stderr
    );
    let out = ns
        .berth(&["system", "prune", "-f", "--buildkit-host", NO_BUILDKIT])
        .ok()
        .to_string();
    assert_eq!(
        out,
        format!(
            "Deleted Containers:\n{gone}\n\nDeleted Networks:\nspare-net\n\nTotal reclaimed space: 0B\n"
        )
    );
    // The running container, the image it uses and the volume stay.
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
    assert_eq!(ns.berth(&["images", "-q"]).ok().lines().count(), 1);
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "kept\n");
    // Filters go to each part: only what carries the label, nothing newer
    // than `until`.
    let create = |name: &str, label: &str| {
        ns.berth(&[
            "create",
            "--name",
            name,
            "--network",
            "none",
            "--label",
            label,
            &img,
            "true",
        ])
        .ok();
    };
    create("keep-c", "keep=1");
    create("go-c", "go=1");
    ns.berth(&["network", "create", "--label", "keep=1", "keep-net"])
        .ok();
    ns.berth(&["network", "create", "--label", "go=1", "go-net"])
        .ok();
    let prune = |filter: &str| {
        ns.berth(&[
            "system",
            "prune",
            "-f",
            "--buildkit-host",
            NO_BUILDKIT,
            "--filter",
            filter,
        ])
    };
    assert_eq!(prune("until=1h").ok(), "Total reclaimed space: 0B\n");
    let out = prune("label=go=1").ok().to_string();
    assert!(out.contains("\ngo-net\n") && !out.contains("keep"), "{out}");
    let names = ns
        .berth(&["ps", "-a", "--format", "{{.Names}}"])
        .ok()
        .to_string();
    assert!(
        names.contains("keep-c") && !names.contains("go-c"),
        "{names}"
    );
    let out = prune("label!=keep").ok().to_string();
    assert!(!out.contains("keep"), "{out}");
    prune("color=red").code(1).stderr_has("invalid filter");
    // network prune takes the same filters.
    let out = ns
        .berth(&["network", "prune", "-f", "--filter", "label=keep"])
        .ok()
        .to_string();
    assert_eq!(out, "Deleted Networks:\nkeep-net\n");
}

#[test]
fn builder_prune_asks_the_buildkit_daemon() {
    let ns = Ns::new("builder-prune");
    let host = std::env::var("BERTH_TEST_BUILDKIT_OCI_HOST")
        .expect("the test environment's oci-worker daemon");
    // Only records unused for ten years: the shared daemon's cache stays.
    let out = ns
        .berth(&[
            "builder",
            "prune",
            "-f",
            "--filter",
            "until=87600h",
            "--buildkit-host",
            &host,
        ])
        .ok()
        .to_string();
    assert_eq!(out, "Total reclaimed space: 0B\n");
    // -a keeping 100 TB: BuildKit stops before removing anything.
    let out = ns
        .berth(&[
            "builder",
            "prune",
            "-a",
            "-f",
            "--keep-storage",
            "100000g",
            "--buildkit-host",
            &host,
        ])
        .ok()
        .to_string();
    assert_eq!(out, "Total reclaimed space: 0B\n");
    let o = ns.berth(&[
        "builder",
        "prune",
        "-f",
        "--filter",
        "colour=red",
        "--buildkit-host",
        &host,
    ]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "Error: invalid filter 'colour=red'\n")
    );
    let o = ns.berth(&["builder", "prune", "-f", "--buildkit-host", NO_BUILDKIT]);
    assert_eq!(o.code, 1, "no daemon: an error, {o:?}");
}

/// `system df -v`: docker's four tables (recorded from docker 20.10 with
/// CLI 28): an image per id with what its layers share with others, the
/// containers as `ps` shows them with what they wrote, volumes with their
/// links; `--format '{{json .}}'` one object over all four, no newline.
#[test]
fn system_df_verbose_is_dockers_four_tables() {
    let ns = Ns::new("df-verbose");
    let img = ns.pull("busybox");
    ns.berth(&["tag", &img, "again:1"]).ok();
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "c1",
        "--network",
        "none",
        "-v",
        "dfvol:/data",
        &img,
        "sh",
        "-c",
        "echo hi > /f; sleep 600",
    ])
    .ok();
    ns.berth(&["create", "--name", "c2", "--network", "none", &img])
        .ok();
    ns.berth(&["commit", "c1", "derived:1"]).ok();
    let out = ns
        .berth(&["system", "df", "-v", "--buildkit-host", NO_BUILDKIT])
        .ok()
        .to_string();
    let sections: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(sections[0], "Images space usage:");
    let images: Vec<&str> = sections[1].lines().collect();
    assert!(
        images[0].starts_with("REPOSITORY ") && images[0].ends_with("UNIQUE SIZE   CONTAINERS"),
        "{out}"
    );
    // Two ids (a tag of the same image is not another row).
    assert_eq!(images.len(), 3, "{out}");
    let derived = images.iter().find(|l| l.starts_with("derived ")).unwrap();
    assert!(derived.ends_with(" 0"), "no container uses it: {derived}");
    assert_eq!(sections[2], "Containers space usage:");
    let containers = sections[3];
    assert!(containers.starts_with("CONTAINER ID   IMAGE"), "{out}");
    let c1 = containers.lines().find(|l| l.ends_with(" c1")).unwrap();
    assert!(c1.contains("\"sh -c 'echo hi > /f…\"   1   "), "{c1}");
    assert!(c1.contains(" 3B "), "what c1 wrote: {c1}");
    assert_eq!(sections[4], "Local Volumes space usage:");
    let volumes: Vec<&str> = sections[5].lines().collect();
    assert!(
        volumes[0].starts_with("VOLUME NAME   LINKS     SIZE"),
        "{out}"
    );
    assert!(
        volumes
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["dfvol", "1", "0B"]),
        "{out}"
    );
    assert_eq!(sections[6], "Build cache usage: 0B");
    assert_eq!(
        sections[7],
        "CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n"
    );
    let json = ns
        .berth(&[
            "system",
            "df",
            "-v",
            "--format",
            "{{json .}}",
            "--buildkit-host",
            NO_BUILDKIT,
        ])
        .ok()
        .to_string();
    assert!(!json.ends_with('\n'));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let images = v["Images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    // The base's layers are all shared with the derived image's.
    let base = images
        .iter()
        .find(|i| i["Repository"] != "derived")
        .unwrap();
    assert_eq!(base["UniqueSize"], "0B", "{base}");
    assert_eq!(base["Containers"], "2");
    assert!(base["ID"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(v["Containers"].as_array().unwrap().len(), 2);
    assert_eq!(v["BuildCache"], serde_json::json!([]));
    ns.berth(&["rm", "-f", "c1", "c2"]).ok();
    ns.berth(&["volume", "rm", "dfvol"]).ok();
}

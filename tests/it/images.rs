//! `berth images` and `berth rmi`.

use crate::common::Ns;

#[test]
fn images_table_and_flags() {
    let ns = Ns::new("images-table");
    let img = ns.pull("busybox");
    ns.pull("multilayer");
    let (table, rows) = ns.table_and_rows(&["images"]);
    let mut expected = vec![
        ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
            .map(String::from)
            .to_vec(),
    ];
    for r in &rows {
        let f = |k: &str| r[k].as_str().unwrap().to_string();
        expected.push(
            ["Repository", "Tag", "ID", "CreatedSince", "Size"]
                .map(f)
                .to_vec(),
        );
    }
    assert_eq!(table, crate::common::docker_table(&expected));
    let repo = img.trim_end_matches(":latest");
    let row = rows.iter().find(|r| r["Repository"] == repo).unwrap();
    assert_eq!(row["Tag"], "latest");
    let id = row["ID"].as_str().unwrap();
    assert!(
        id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    assert!(
        row["CreatedSince"].as_str().unwrap().ends_with(" ago"),
        "{row}"
    );
    let size = row["Size"].as_str().unwrap();
    assert!(size.ends_with("MB") || size.ends_with("kB"), "{size}");
    assert_eq!(rows.len(), 2);

    let ids = ns.berth(&["images", "-q"]);
    assert_eq!(ids.lines().len(), 2);
    let full = ns.berth(&["images", "--no-trunc", "--format", "{{.ID}}"]);
    assert!(
        full.lines()
            .iter()
            .all(|l| l.starts_with("sha256:") && l.len() == 71)
    );
    let digests = ns.berth(&["images", "--digests"]);
    assert!(digests.lines()[0].contains("DIGEST"));
    assert!(digests.lines()[1].contains("sha256:"));
    assert_eq!(ns.berth(&["images", "-a", "-q"]).lines().len(), 2);
    let filtered = ns.berth(&[
        "images",
        "--filter",
        "reference=*/berth-test/multi*",
        "--format",
        "{{.Repository}}",
    ]);
    assert_eq!(
        filtered.ok().trim(),
        format!("{}/berth-test/multilayer", ns.env.registry)
    );
    let by_arg = ns.berth(&[
        "images",
        "--format",
        "{{.Tag}}",
        &format!("{}/berth-test/busybox", ns.env.registry),
    ]);
    assert_eq!(by_arg.ok(), "latest\n");
    let json: serde_json::Value = serde_json::from_str(
        ns.berth(&["image", "ls", "--format", "json"])
            .ok()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert!(json["ID"].as_str().unwrap().len() == 12);
}

#[test]
fn rmi_by_name_and_by_id() {
    let ns = Ns::new("rmi");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&["images", "-q", "--no-trunc"])
        .ok()
        .trim()
        .to_string();
    let out = ns.berth(&["rmi", &img]);
    assert_eq!(out.ok(), format!("Untagged: {img}\nDeleted: {id}\n"));
    assert_eq!(ns.berth(&["images", "-q"]).ok(), "");
    // By short id.
    ns.pull("busybox");
    let short = &id["sha256:".len().."sha256:".len() + 12];
    assert_eq!(
        ns.berth(&["rmi", short]).ok(),
        format!("Untagged: {img}\nDeleted: {id}\n")
    );
    ns.berth(&["rmi", "no-such-image"])
        .code(1)
        .stderr_has("No such image: no-such-image");
}

/// docker decides by image id: a name can go while another names the same
/// image (even the name a container was created from); the last name of
/// an image a container uses only with -f, and the container still starts.
#[test]
fn rmi_decides_by_image_id_like_docker() {
    let ns = Ns::new("rmi-in-use");
    let img = ns.pull("busybox");
    let other = format!("{img}-other");
    ns.berth(&["tag", &img, &other]).ok();
    let id = ns
        .berth(&["create", "--name", "user", &other, "true"])
        .ok()
        .trim()
        .to_string();
    let image_id = ns
        .berth(&["inspect", "-f", "{{.Image}}", "user"])
        .ok()
        .trim()
        .to_string();
    let short_image = &image_id["sha256:".len().."sha256:".len() + 12];
    // The name the container was made from, while another names the image.
    assert_eq!(
        ns.berth(&["rmi", &other]).ok(),
        format!("Untagged: {other}\n")
    );
    let last = ns.berth(&["rmi", &img]);
    last.code(1);
    assert_eq!(
        last.stderr,
        format!(
            "Error response from daemon: conflict: unable to remove repository reference \"{img}\" \
             (must force) - container {} is using its referenced image {short_image}\n",
            &id[..12]
        )
    );
    assert_eq!(
        ns.berth(&["rmi", "-f", &img]).ok(),
        format!("Untagged: {img}\nDeleted: {image_id}\n")
    );
    assert_eq!(ns.berth(&["images", "-q"]).ok(), "");
    // The container lists, keeps its image id, and still runs.
    assert_eq!(
        ns.berth(&["ps", "-a", "--format", "{{.Names}}"]).ok(),
        "user\n"
    );
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.Image}}", "user"])
            .ok()
            .trim(),
        image_id
    );
    ns.berth(&["start", "-a", "user"]).ok();
}

#[test]
fn content_is_garbage_collected_after_rmi() {
    let ns = Ns::new("rmi-gc");
    let img = ns.pull("multilayer");
    assert!(!ns.ctr(&["content", "ls", "-q"]).ok().is_empty());
    ns.berth(&["rmi", &img]).ok();
    crate::common::wait_for("content to be collected", 20, || {
        ns.ctr(&["content", "ls", "-q"])
            .stdout
            .trim()
            .is_empty()
            .then_some(())
    });
    crate::common::wait_for("snapshots to be collected", 20, || {
        ns.ctr(&["snapshots", "ls"])
            .stdout
            .lines()
            .count()
            .eq(&1)
            .then_some(())
    });
}

/// docker's `history` table: newest first, the image id on the top row and
/// `<missing>` below, CREATED BY cut at 45 characters, layer sizes.
#[test]
fn history_like_docker() {
    let ns = Ns::new("history");
    let img = ns.pull("multilayer");
    let table = ns.berth(&["history", &img]).ok().to_string();
    let id = ns
        .berth(&["image", "inspect", "-f", "{{.Id}}", &img])
        .ok()
        .trim()
        .to_string();
    let short = &id[7..19];
    // The test image is dated 2024-01-01; docker counts whole 365-day years.
    let age = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_704_067_200))
        .unwrap();
    let ago = format!("{} years ago", age.as_secs() / (365 * 24 * 3600));
    let ago = ago.as_str();
    let rows: Vec<Vec<String>> = [
        ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"],
        [
            short,
            ago,
            "berth mkimage.py: remove /data/b.txt (whiteo…",
            "20.5kB",
            "",
        ],
        [
            "<missing>",
            ago,
            "berth mkimage.py: add /data/a.txt /data/b.tx…",
            "24.6kB",
            "",
        ],
        [
            "<missing>",
            ago,
            "berth mkimage.py: busybox-static + applet sy…",
            "2.03MB",
            "",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    assert_eq!(table, crate::common::docker_table(&rows));
    let raw = ns
        .berth(&[
            "history",
            "-H=false",
            "--no-trunc",
            "--format",
            "{{.ID}}|{{.CreatedSince}}|{{.Size}}",
            &img,
        ])
        .ok()
        .to_string();
    assert_eq!(
        raw.lines().next().unwrap(),
        format!("{id}|2024-01-01T00:00:00Z|20480")
    );
    assert_eq!(
        ns.berth(&["history", "-q", &img]).ok(),
        format!("{short}\n<missing>\n<missing>\n")
    );
    ns.berth(&["history", "nope:1"])
        .code(1)
        .stderr_has("No such image: nope:1");
}

/// `image prune` removes dangling images; `-a` every image no container
/// uses (all its names), docker's report and reclaimed space.
#[test]
fn image_prune_dangling_then_unused() {
    let ns = Ns::new("image-prune");
    let busybox = ns.pull("busybox");
    let multi = ns.pull("multilayer");
    ns.berth(&["tag", &busybox, "keep:1"]).ok();
    ns.berth(&["run", "--name", "fs", &busybox, "true"]).ok();
    let tar = ns.cmd().args(["export", "fs"]).output().unwrap();
    let dangling = ns
        .berth_stdin_bytes(&["import", "-"], &tar.stdout)
        .ok()
        .to_string();
    let out = ns.berth(&["image", "prune", "-f"]).ok().to_string();
    assert!(
        out.starts_with(&format!(
            "Deleted Images:\ndeleted: {}\n\nTotal reclaimed space: ",
            dangling.trim()
        )),
        "{out}"
    );
    // The container keeps busybox (both names); multilayer goes.
    let out = ns.berth(&["image", "prune", "-a", "-f"]).ok().to_string();
    assert!(
        out.contains(&format!("untagged: {multi}\ndeleted: sha256:")),
        "{out}"
    );
    assert!(!out.contains("keep:1") && !out.contains(&busybox), "{out}");
    let left = ns
        .berth(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .ok()
        .to_string();
    assert_eq!(left, "127.0.0.1:5000/berth-test/busybox:latest\nkeep:1\n");
    assert_eq!(
        ns.berth(&["image", "prune", "-f"]).ok(),
        "Total reclaimed space: 0B\n"
    );
    ns.berth(&["image", "prune", "-f", "--filter", "bogus=1"])
        .code(1)
        .stderr_has("invalid filter");
}

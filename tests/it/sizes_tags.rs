//! `ps -s`/`inspect -s` (docker's `SizeRw`/`SizeRootFs`), `push` and
//! `pull --all-tags`.

use berth::format::units::human_size_with_precision as human;

use crate::common::Ns;

#[test]
fn ps_and_inspect_show_dockers_sizes() {
    let ns = Ns::new("sizes");
    let img = ns.pull("busybox");
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
    let image: u64 = ns
        .berth(&["image", "inspect", "-f", "{{.Size}}", &img])
        .ok()
        .trim()
        .parse()
        .unwrap();
    let shown = format!(
        "{} (virtual {})",
        human(7.0, 3),
        human((7 + image) as f64, 3)
    );
    assert_eq!(
        ns.berth(&["ps", "-a", "--format", "{{.Names}} {{.Size}}"])
            .ok(),
        format!("wrote {shown}\n")
    );
    let table = ns.berth(&["ps", "-a", "-s"]).ok().to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].ends_with("NAMES     SIZE"), "{table}");
    assert!(lines[1].ends_with(&format!("wrote     {shown}")), "{table}");
    let doc: serde_json::Value =
        serde_json::from_str(ns.berth(&["inspect", "-s", "wrote"]).ok()).unwrap();
    let doc = &doc[0];
    assert_eq!(
        (doc["SizeRw"].as_u64(), doc["SizeRootFs"].as_u64()),
        (Some(7), Some(7 + image))
    );
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    let at = keys.iter().position(|k| *k == "GraphDriver").unwrap();
    assert_eq!(&keys[at + 1..at + 3], ["SizeRw", "SizeRootFs"]);
    let plain: serde_json::Value =
        serde_json::from_str(ns.berth(&["inspect", "wrote"]).ok()).unwrap();
    assert!(plain[0].get("SizeRw").is_none(), "only with -s, as docker");
}

#[test]
fn pull_all_tags_pulls_every_tag_of_the_repository() {
    let ns = Ns::new("pull-all-tags");
    let img = ns.pull("busybox");
    let repo = format!(
        "{}/berth-test/alltags-{}",
        ns.env.registry,
        std::process::id()
    );
    for tag in ["one", "two"] {
        ns.berth(&["tag", &img, &format!("{repo}:{tag}")]).ok();
    }
    // push -a: every local tag of the repository, one refers-to line.
    let pushed = ns.berth(&["push", "-a", &repo]).ok().to_string();
    let short = repo.clone();
    assert!(
        pushed.starts_with(&format!("The push refers to repository [{short}]\n")),
        "{pushed}"
    );
    assert_eq!(pushed.matches("The push refers").count(), 1, "{pushed}");
    let digests: Vec<&str> = pushed
        .lines()
        .filter(|l| l.contains(": digest: sha256:"))
        .collect();
    assert!(
        digests[0].starts_with("one: ") && digests[1].starts_with("two: "),
        "{pushed}"
    );
    let o = ns.berth(&["push", "-a", &format!("{repo}:one")]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "tag can't be used with --all-tags/-a\n")
    );
    for tag in ["one", "two"] {
        ns.berth(&["rmi", &format!("{repo}:{tag}")]).ok();
    }
    let out = ns.berth(&["pull", "-a", &repo]).ok().to_string();
    assert_eq!(out.lines().last(), Some(repo.as_str()), "{out}");
    let mut tags: Vec<String> = ns
        .berth(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .ok()
        .lines()
        .filter(|l| l.starts_with(&repo))
        .map(str::to_string)
        .collect();
    tags.sort();
    assert_eq!(tags, [format!("{repo}:one"), format!("{repo}:two")]);
    let o = ns.berth(&["pull", "-a", &format!("{repo}:one")]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "tag can't be used with --all-tags/-a\n")
    );
}

/// `network rm -f` forgives a missing network; `image inspect
/// --platform` shows that platform's image of a multi-platform name.
#[test]
fn network_rm_force_and_inspect_platform() {
    let ns = Ns::new("more-flags");
    let o = ns.berth(&["network", "rm", "-f", "nosuchnet"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", ""));
    ns.berth(&["network", "rm", "nosuchnet"]).code(1);
    let multi = ns.env.image("multiarch");
    ns.berth(&["pull", "-q", &multi]).ok();
    let (host, other) = match std::env::consts::ARCH {
        "aarch64" => ("arm64", "amd64"),
        _ => ("amd64", "arm64"),
    };
    let other_platform = format!("linux/{other}");
    ns.berth(&["pull", "-q", "--platform", &other_platform, &multi])
        .ok();
    // Both platforms stay referenced by the index: a garbage collection
    // (ctr's synchronous removal of another image sharing the host
    // platform's manifest) leaves the first one in place.
    let shared = ns.pull("busybox");
    ns.ctr(&["images", "rm", "--sync", &shared]).ok();
    let arch = |extra: &[&str]| {
        let mut args = vec!["image", "inspect", "-f", "{{.Architecture}}"];
        args.extend_from_slice(extra);
        args.push(&multi);
        ns.berth(&args).ok().trim().to_string()
    };
    assert_eq!(arch(&[]), host);
    assert_eq!(arch(&["--platform", &other_platform]), other);
    // docker's --disable-content-trust: its default (true) works, bare or
    // spelled out, and does not take the next argument; false is refused.
    let img = ns.pull("busybox");
    ns.berth(&["pull", "-q", "--disable-content-trust", &img])
        .ok();
    for flag in ["--disable-content-trust", "--disable-content-trust=true"] {
        ns.berth(&["run", "--rm", "--network", "none", flag, &img, "true"])
            .ok();
    }
    ns.berth(&["run", "--rm", "--disable-content-trust=false", &img, "true"])
        .code(125)
        .stderr_has("content trust (image signing) is not supported yet");
}

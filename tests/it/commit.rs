//! `diff` and `commit`: a container's changes as docker lists them, and
//! as an image that `run` and `push` take.

use crate::common::Ns;

/// The changes docker's `diff` lists for the same steps (recorded from
/// docker 28.2.2 with dockerd 20.10, `/usr` there being `/root` here:
/// docker's own order varies from run to run; berth's is the layer's, a
/// parent before its children).
#[test]
fn diff_lists_changes_as_docker_does() {
    let ns = Ns::new("diff");
    let img = ns.pull("busybox");
    ns.berth(&[
        "create",
        "--name",
        "fresh",
        "--network",
        "none",
        &img,
        "true",
    ])
    .ok();
    assert_eq!(
        ns.berth(&["diff", "fresh"]).ok(),
        "",
        "a new container has no changes"
    );
    ns.sleeper("c6", &img);
    let steps = "touch /tmp/new && rm /bin/true && echo x >> /etc/group && mkdir -p /newdir/sub \
                 && touch /newdir/sub/f && rm -r /home && mkdir /root/zz && ln -s /x /aaa";
    ns.berth(&["exec", "c6", "sh", "-c", steps]).ok();
    let mut got: Vec<String> = ns
        .berth(&["diff", "c6"])
        .ok()
        .lines()
        .map(str::to_string)
        .collect();
    // Parents come before their children, in berth's order and docker's.
    for (i, line) in got.iter().enumerate() {
        let path = &line[2..];
        if let Some(parent) = std::path::Path::new(path)
            .parent()
            .filter(|p| *p != std::path::Path::new("/"))
        {
            let p = format!("{}", parent.display());
            assert!(
                got[..i].iter().any(|l| l[2..] == p),
                "{line} before its parent: {got:?}"
            );
        }
    }
    got.sort();
    let mut docker = vec![
        "A /aaa",
        "C /bin",
        "D /bin/true",
        "C /etc",
        "C /etc/group",
        "C /root",
        "A /root/zz",
        "A /newdir",
        "A /newdir/sub",
        "A /newdir/sub/f",
        "C /tmp",
        "A /tmp/new",
        "D /home",
    ];
    docker.sort();
    assert_eq!(got, docker);
    let o = ns.berth(&["diff", "nosuch"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "Error response from daemon: No such container: nosuch\n")
    );
}

#[test]
fn a_committed_image_runs_and_pushes() {
    let ns = Ns::new("commit");
    let img = ns.pull("busybox");
    ns.sleeper("c1", &img);
    ns.berth(&[
        "exec",
        "c1",
        "sh",
        "-c",
        "echo made > /made && rm /bin/true",
    ])
    .ok();
    let target = format!("{}/berth-test/committed-{}:1", ns.env.registry, ns.name);
    let id = ns
        .berth(&[
            "commit",
            "-m",
            "msg",
            "-a",
            "me",
            "-c",
            "ENV A=b",
            "-c",
            r#"CMD ["cat", "/made"]"#,
            "c1",
            &target,
        ])
        .ok()
        .trim()
        .to_string();
    assert!(id.starts_with("sha256:") && id.len() == 71, "{id}");
    // Paused during the commit, running again after it.
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.State.Status}}", "c1"]).ok(),
        "running\n"
    );
    assert_eq!(
        ns.berth(&[
            "image",
            "inspect",
            "-f",
            "{{.Id}} {{.Comment}} {{.Author}} {{json .Config.Cmd}}",
            &target
        ])
        .ok(),
        format!("{id} msg me [\"cat\",\"/made\"]\n")
    );
    let env = ns
        .berth(&["image", "inspect", "-f", "{{json .Config.Env}}", &target])
        .ok()
        .to_string();
    assert!(env.contains("\"A=b\""), "{env}");
    let history = ns
        .berth(&[
            "history",
            "--format",
            "{{.CreatedBy}}|{{.Comment}}",
            &target,
        ])
        .ok()
        .to_string();
    assert_eq!(history.lines().next(), Some("sleep 600|msg"));
    assert_eq!(
        ns.berth(&["run", "--rm", "--network", "none", &target])
            .ok(),
        "made\n"
    );
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        &target,
        "ls",
        "/bin/true",
    ])
    .code(1);

    // Pushed, removed, pulled back: the same image, the same files.
    ns.berth(&["push", "-q", &target]).ok();
    ns.berth(&["rmi", &target]).ok();
    ns.berth(&["pull", "-q", &target]).ok();
    assert_eq!(
        ns.berth(&["image", "inspect", "-f", "{{.Id}}", &target])
            .ok(),
        format!("{id}\n")
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "--network", "none", &target])
            .ok(),
        "made\n"
    );

    // docker's refusals.
    let o = ns.berth(&["commit", "nosuch"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "Error response from daemon: No such container: nosuch\n")
    );
    let o = ns.berth(&["commit", "-c", "FROM x", "c1"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("from is not a valid change command"),
        "{}",
        o.stderr
    );
    // Untagged: an image without a name, listed as docker lists it.
    let bare = ns
        .berth(&["commit", "--pause=false", "c1"])
        .ok()
        .trim()
        .to_string();
    let listed = ns
        .berth(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])
        .ok()
        .to_string();
    assert!(
        listed.contains(&format!("<none>:<none> {}", &bare[7..19])),
        "{listed}"
    );
}

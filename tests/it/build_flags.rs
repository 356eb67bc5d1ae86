//! `build` flags whose effect shows inside RUN steps or across daemons:
//! --network, --add-host, --ssh, several platforms, registry cache.

use crate::build::{buildkit_host, context, ns_for_build, oci_host};

#[test]
fn network_modes_and_extra_hosts() {
    let ns = ns_for_build("build-net", &buildkit_host());
    let base = ns.env.image("busybox");
    let df = format!(
        "FROM {base}\nRUN cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | sort > /ifaces && \
         readlink /proc/self/ns/net > /netns && (grep myhost /etc/hosts || true) > /hosts\n"
    );
    let ctx = context(&[("Dockerfile", &df)]);
    let c = ctx.path().to_str().unwrap();
    ns.berth(&[
        "build",
        "-q",
        "--no-cache",
        "--network",
        "none",
        "--add-host",
        "myhost:10.1.2.3",
        "-t",
        "net:none",
        c,
    ])
    .ok();
    assert_eq!(
        ns.berth(&["run", "--rm", "net:none", "cat", "/ifaces"])
            .ok(),
        "lo\n"
    );
    let hosts = ns
        .berth(&["run", "--rm", "net:none", "cat", "/hosts"])
        .ok()
        .to_string();
    assert!(
        hosts.contains("10.1.2.3") && hosts.contains("myhost"),
        "{hosts}"
    );
    ns.berth(&[
        "build",
        "-q",
        "--no-cache",
        "--network",
        "host",
        "-t",
        "net:host",
        c,
    ])
    .ok();
    // The host's own network namespace (its interface list changes while
    // other tests make veths; the namespace does not).
    let netns = ns
        .berth(&["run", "--rm", "net:host", "cat", "/netns"])
        .ok()
        .to_string();
    let ours = std::fs::read_link("/proc/self/ns/net").unwrap();
    assert_eq!(
        netns.trim(),
        ours.to_string_lossy(),
        "host network: the host's namespace"
    );
    ns.berth(&["build", "--network", "bridge", c])
        .code(1)
        .stderr_has("not supported");
}

/// Builds the static agent client in tests/it/fixtures/agentping with Go
/// (present wherever testenv built containerd) into `dir`.
fn build_agentping(dir: &std::path::Path) {
    let go = ["go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go"]
        .into_iter()
        .find(|g| {
            std::process::Command::new(g)
                .arg("version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("go, to build the ssh agent client fixture");
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/agentping/main.go"
    );
    let out = std::process::Command::new(go)
        .args(["build", "-o"])
        .arg(dir.join("agentping"))
        .arg(src)
        .env("CGO_ENABLED", "0")
        .env("GO111MODULE", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "go build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fake agent: answers every request with "no identities".
fn fake_agent(sock: &std::path::Path) -> std::thread::JoinHandle<usize> {
    use std::io::{Read, Write};
    let listener = std::os::unix::net::UnixListener::bind(sock).unwrap();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut req = [0u8; 5];
        conn.read_exact(&mut req).unwrap();
        assert_eq!(
            req,
            [0, 0, 0, 1, 11],
            "SSH_AGENTC_REQUEST_IDENTITIES came through"
        );
        conn.write_all(&[0, 0, 0, 5, 12, 0, 0, 0, 0]).unwrap();
        1
    })
}

#[test]
fn ssh_agent_is_forwarded_to_run_mounts() {
    let mut ns = ns_for_build("build-ssh", &buildkit_host());
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("agent.sock");
    let agent = fake_agent(&sock);
    ns.vars
        .push(("SSH_AUTH_SOCK".into(), sock.display().to_string()));
    let base = ns.env.image("busybox");
    let df = format!(
        "FROM {base}\nCOPY agentping /agentping\n\
         RUN --mount=type=ssh,required=true /agentping > /reply\n"
    );
    let ctx = context(&[("Dockerfile", &df)]);
    build_agentping(ctx.path());
    let c = ctx.path().to_str().unwrap();
    // Without --ssh the required mount has no agent: the build fails.
    ns.berth(&["build", "--no-cache", "--progress", "plain", c])
        .code(1);
    ns.berth(&[
        "build",
        "-q",
        "--no-cache",
        "--ssh",
        "default",
        "-t",
        "ssh:1",
        c,
    ])
    .ok();
    assert_eq!(agent.join().unwrap(), 1);
    // The agent's answer, carried back through berth to the step.
    assert_eq!(
        ns.berth(&["run", "--rm", "ssh:1", "cat", "/reply"]).ok(),
        "000000050c00000000\n"
    );
}

#[test]
fn several_platforms_load_as_one_index() {
    let ns = ns_for_build("build-platforms", &buildkit_host());
    let ctx = context(&[
        ("Dockerfile", "FROM scratch\nCOPY f.txt /\n"),
        ("f.txt", "multi\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let local = out.path().join("per-platform");
    let c = ctx.path().to_str().unwrap();
    ns.berth(&[
        "build",
        "-q",
        "--platform",
        "linux/amd64,linux/386",
        "-t",
        "multi:1",
        c,
    ])
    .ok();
    let arch = ns
        .berth(&[
            "image",
            "inspect",
            "-f",
            "{{.Os}}/{{.Architecture}}",
            "multi:1",
        ])
        .ok()
        .to_string();
    assert_eq!(arch, "linux/amd64\n");
    let index = ns.ctr(&["images", "ls"]).ok().to_string();
    assert!(
        index.contains("docker.io/library/multi:1") && index.contains("linux/386"),
        "{index}"
    );
    // A local output per platform.
    ns.berth(&[
        "build",
        "-q",
        "--platform",
        "linux/amd64,linux/386",
        "-o",
        local.to_str().unwrap(),
        c,
    ])
    .ok();
    assert!(local.join("linux_amd64/f.txt").is_file() && local.join("linux_386/f.txt").is_file());
}

#[test]
fn registry_cache_exported_by_one_daemon_is_used_by_another() {
    let ns = ns_for_build("build-cache", &buildkit_host());
    let seed = format!("{}-{:?}", std::process::id(), std::time::SystemTime::now());
    let base = ns.env.image("busybox");
    let df = format!("FROM {base}\nARG SEED\nRUN echo \"$SEED\" > /seed\n");
    let ctx = context(&[("Dockerfile", &df)]);
    let c = ctx.path().to_str().unwrap();
    let cache = format!(
        "{}/berth-test/cache-{}:1",
        ns.env.registry,
        std::process::id()
    );
    let arg = format!("SEED={seed}");
    ns.berth(&[
        "build",
        "-q",
        "--build-arg",
        &arg,
        "--cache-to",
        &format!("type=registry,ref={cache},mode=max"),
        c,
    ])
    .ok();
    // The OCI-worker daemon never ran this step: its RUN comes from the cache.
    let mut other = ns_for_build("build-cache-2", &oci_host());
    other.vars.clear();
    other.vars.push(("BUILDKIT_HOST".into(), oci_host()));
    let out = other.berth(&[
        "build",
        "--progress",
        "plain",
        "--build-arg",
        &arg,
        "--cache-from",
        &cache,
        "-t",
        "cached:1",
        c,
    ]);
    out.ok();
    let run_step = out
        .stderr
        .lines()
        .find(|l| l.contains("RUN echo"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("?")
        .to_string();
    assert!(
        out.stderr.contains(&format!("{run_step} CACHED")),
        "{}",
        out.stderr
    );
    assert_eq!(
        other
            .berth(&["run", "--rm", "cached:1", "cat", "/seed"])
            .ok(),
        format!("{seed}\n")
    );
}

#[test]
fn shm_size_and_ulimit_reach_run_steps() {
    let ns = ns_for_build("build-limits", &buildkit_host());
    let base = ns.env.image("busybox");
    let df = format!(
        "FROM {base}\nRUN df -k /dev/shm | tail -1 | awk '{{print $2}}' > /shm && \
         ulimit -n > /nofile && ulimit -Hn >> /nofile\n"
    );
    let ctx = context(&[("Dockerfile", &df)]);
    let out = tempfile::tempdir().unwrap();
    let dest = format!("type=local,dest={}", out.path().display());
    let c = ctx.path().to_str().unwrap();
    ns.berth(&[
        "build",
        "-q",
        "--no-cache",
        "--shm-size",
        "96m",
        "--ulimit",
        "nofile=512:1024",
        "-o",
        &dest,
        c,
    ])
    .ok();
    let read = |f: &str| std::fs::read_to_string(out.path().join(f)).unwrap();
    // 96 MiB in KiB; the soft and hard limits as given.
    assert_eq!(read("shm"), "98304\n");
    assert_eq!(read("nofile"), "512\n1024\n");
    ns.berth(&["build", "--ulimit", "nofile=x", c])
        .code(1)
        .stderr_has("invalid ulimit argument: nofile=x");
}

/// `--cgroup-parent` puts RUN steps under the given cgroup, on both
/// workers; the legacy builder's flags docker's BuildKit builder ignores
/// are accepted (with its warnings) and change nothing.
#[test]
fn cgroup_parent_reaches_run_steps_and_legacy_flags_are_ignored() {
    for (label, host) in [("ctd", buildkit_host()), ("oci", oci_host())] {
        let ns = ns_for_build(&format!("build-cgp-{label}"), &host);
        let base = ns.env.image("busybox");
        let df = format!("FROM {base}\nRUN cat /proc/self/cgroup > /cg\n");
        let ctx = context(&[("Dockerfile", &df)]);
        let out = tempfile::tempdir().unwrap();
        let dest = format!("type=local,dest={}", out.path().display());
        let parent = format!("{}-cgp", ns.name);
        let o = ns.berth(&[
            "builder",
            "build",
            "--no-cache",
            "--cgroup-parent",
            &parent,
            "--rm",
            "--force-rm",
            "--compress",
            "-m",
            "1g",
            "--cpu-shares",
            "512",
            "--squash",
            "--isolation",
            "default",
            "-o",
            &dest,
            ctx.path().to_str().unwrap(),
        ]);
        // Take the cgroups BuildKit made back before asserting.
        let _ = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("find /sys/fs/cgroup/*/{parent} /sys/fs/cgroup/{parent} -depth -type d -exec rmdir {{}} + 2>/dev/null"))
            .status();
        o.ok();
        o.stderr_has("WARNING: experimental flag squash is removed with BuildKit")
            .stderr_has("WARNING: isolation flag is deprecated with BuildKit.")
            .stderr_has("WARNING: resource limits of the legacy builder are ignored");
        let cg = std::fs::read_to_string(out.path().join("cg")).unwrap();
        let memory = cg
            .lines()
            .find(|l| l.contains(":memory:") || l.starts_with("0::"))
            .unwrap_or_default();
        assert!(
            memory.contains(&format!(":/{parent}/")),
            "the memory cgroup under {parent}:\n{cg}"
        );
    }
}

/// `FROM` goes through berth's hosts.toml mirrors, as `pull` does:
/// `registry.test` does not resolve, only its mirror (the test registry)
/// serves it; the build works on both workers, and an image no mirror
/// has is still the daemon's to fetch.
#[test]
fn from_images_come_through_berths_mirrors() {
    for (label, host) in [("ctd", buildkit_host()), ("oci", oci_host())] {
        let mut ns = ns_for_build(&format!("build-mirror-{label}"), &host);
        let reg = ns.env.registry.clone();
        let hosts = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(hosts.path().join("registry.test")).unwrap();
        std::fs::write(
            hosts.path().join("registry.test/hosts.toml"),
            format!(
                "server = \"http://127.0.0.1:1\"\n[host.\"http://{reg}\"]\n  capabilities = [\"pull\", \"resolve\"]\n"
            ),
        )
        .unwrap();
        ns.vars
            .push(("BERTH_HOSTS_DIR".into(), hosts.path().display().to_string()));
        let base = ns.env.image("busybox");
        let df = format!(
            "ARG REG=registry.test\nFROM $REG/berth-test/busybox AS first\nRUN echo mirrored > /m\n\
             FROM {base}\nCOPY --from=first /m /m\n"
        );
        let ctx = context(&[("Dockerfile", &df)]);
        ns.berth(&[
            "build",
            "-q",
            "-t",
            "mirrored:1",
            ctx.path().to_str().unwrap(),
        ])
        .ok();
        assert_eq!(
            ns.berth(&[
                "run",
                "--rm",
                "--network",
                "none",
                "mirrored:1",
                "cat",
                "/m"
            ])
            .ok(),
            "mirrored\n"
        );
    }
}

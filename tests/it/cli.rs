//! Global behaviour: version, info, help, flag errors, the missing socket,
//! and the checked-in completion scripts.

use std::process::Command;

use crate::common::{Ns, Out, berth_bin};

fn berth_raw(args: &[&str]) -> crate::common::Out {
    crate::common::Out::from(Command::new(berth_bin()).args(args).output().unwrap())
}

#[test]
fn short_version_matches_the_jenkins_pattern() {
    let out = berth_raw(&["-v"]);
    let line = out.ok().trim().to_string();
    // docker-workflow parses `^(\D+)(\d+)\.(\d+)\.(\d+)`.
    let digits_at = line.find(|c: char| c.is_ascii_digit()).unwrap();
    let parts: Vec<&str> = line[digits_at..]
        .split(|c: char| !c.is_ascii_digit())
        .take(3)
        .collect();
    assert!(line.starts_with("berth version "), "{line}");
    assert!(parts.iter().all(|p| !p.is_empty()), "{line}");
    assert_eq!(berth_raw(&["--version"]).ok(), out.stdout);
}

#[test]
fn version_and_info_report_the_server() {
    let ns = Ns::new("cli-version");
    let v = ns.berth(&["version"]);
    v.ok();
    assert!(
        v.stdout.contains("Server:") && v.stdout.contains("containerd:"),
        "{}",
        v.stdout
    );
    let server = ns
        .berth(&["version", "--format", "{{.Server.Version}}"])
        .ok()
        .trim()
        .to_string();
    assert!(server.chars().next().unwrap().is_ascii_digit(), "{server}");
    let info = ns.berth(&["info"]);
    info.ok();
    assert!(
        info.stdout.contains(&format!("Namespace: {}", ns.name)),
        "{}",
        info.stdout
    );
    assert!(info.stdout.contains(&format!("Server Version: {server}")));
    assert_eq!(
        ns.berth(&["info", "--format", "{{.Containers}} {{.Driver}}"])
            .ok(),
        "0 overlayfs\n"
    );
    // docker's cgroup lines: berth's driver, the machine's version (this
    // machine's rows are v1, the guest row v2).
    let fs = Command::new("stat")
        .args(["-fc", "%T", "/sys/fs/cgroup"])
        .output()
        .unwrap();
    let version = match String::from_utf8_lossy(&fs.stdout).trim() {
        "cgroup2fs" => "2",
        _ => "1",
    };
    let driver = crate::common::cgroup_manager().as_str();
    assert!(info.stdout.contains(&format!(
        " Cgroup Driver: {driver}\n Cgroup Version: {version}\n"
    )));
    let format = ["info", "--format", "{{.CgroupDriver}} {{.CgroupVersion}}"];
    let shown = ns.berth(&format);
    assert_eq!(shown.ok(), format!("{driver} {version}\n"));
    // Forced by the flag, the environment or the config file.
    for m in ["systemd", "cgroupfs"] {
        let mut args = vec!["--cgroup-manager", m];
        args.extend_from_slice(&format);
        assert_eq!(ns.berth(&args).ok(), format!("{m} {version}\n"));
        let by_env = ns
            .cmd()
            .env("BERTH_CGROUP_MANAGER", m)
            .args(format)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&by_env.stdout),
            format!("{m} {version}\n")
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("berth.toml");
        std::fs::write(&file, format!("cgroup_manager = \"{m}\"\n")).unwrap();
        let by_file = ns
            .cmd()
            .env_remove("BERTH_CGROUP_MANAGER")
            .env("BERTH_CONFIG", &file)
            .args(format)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&by_file.stdout),
            format!("{m} {version}\n")
        );
    }
    ns.berth(&["--cgroup-manager", "none", "info"])
        .code(125)
        .stderr_has("invalid argument \"none\" for \"--cgroup-manager\" flag");
}

#[test]
fn help_and_flag_errors() {
    assert_eq!(berth_raw(&["--help"]).code, 0);
    assert_eq!(berth_raw(&["run", "--help"]).code, 0);
    berth_raw(&["ps", "--no-such-flag"]).code(125);
    berth_raw(&["no-such-verb"]).code(125);
    berth_raw(&["create", "--storage-opt", "size=1G", "busybox"])
        .code(125)
        .stderr_has("--storage-opt is not supported yet");
}

#[test]
fn missing_socket_gives_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("containerd.sock");
    let sock = sock.to_str().unwrap();
    let run = berth_raw(&["-a", sock, "run", "busybox", "true"]);
    run.code(125)
        .stderr_has(&format!("socket {sock} does not exist"))
        .stderr_has("CONTAINERD_ADDRESS");
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("backtrace"));
    // Other verbs fail with docker's generic code.
    berth_raw(&["-a", sock, "ps"])
        .code(1)
        .stderr_has("does not exist");
    // A socket that exists but refuses.
    let listener = std::os::unix::net::UnixListener::bind(sock).unwrap();
    drop(listener);
    berth_raw(&["-a", sock, "images"])
        .code(1)
        .stderr_has("connection refused");
}

#[test]
fn bad_namespace_is_refused_before_connecting() {
    berth_raw(&["-n", "bad/ns", "ps"])
        .code(1)
        .stderr_has("invalid namespace");
}

#[test]
fn checked_in_completions_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (shell, file) in [
        ("bash", "berth.bash"),
        ("zsh", "_berth"),
        ("fish", "berth.fish"),
    ] {
        let generated = berth_raw(&["completion", shell]);
        let checked_in = std::fs::read_to_string(root.join("completions").join(file))
            .unwrap_or_else(|_| {
                panic!("completions/{file} is missing: run scripts/gen-completions")
            });
        assert!(
            generated.ok() == checked_in,
            "completions/{file} is stale: run scripts/gen-completions"
        );
    }
}

#[test]
fn checked_in_man_pages_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    berth_raw(&["__man", dir.path().to_str().unwrap()]).ok();
    let names = |d: &std::path::Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let checked_in = root.join("man/man1");
    let generated = names(dir.path());
    assert!(
        generated.contains(&"berth-run.1".to_string()),
        "{generated:?}"
    );
    assert_eq!(
        generated,
        names(&checked_in),
        "man/man1 is stale: run scripts/gen-completions"
    );
    for page in &generated {
        assert!(
            std::fs::read(dir.path().join(page)).unwrap()
                == std::fs::read(checked_in.join(page)).unwrap(),
            "man/man1/{page} is stale: run scripts/gen-completions"
        );
    }
}

#[test]
fn detects_the_servers_version_and_capabilities() {
    let ns = Ns::new("cli-caps");
    let version = ns
        .berth(&["version", "--format", "{{.Server.Version}}"])
        .ok()
        .trim()
        .to_string();
    // The matrix row under test is the daemon that answers.
    if let Ok(row) = std::env::var("BERTH_TEST_CONTAINERD") {
        let want = if row == "2.x" { "2." } else { row.as_str() };
        assert!(
            version.starts_with(want),
            "testing {row} but connected to {version}"
        );
    }
    let caps = ns
        .berth(&[
            "info",
            "--format",
            "{{.TransferService}} {{.RestartMonitor}} {{join .RestartPolicies \",\"}}",
        ])
        .ok()
        .trim()
        .to_string();
    if version.starts_with("1.6") {
        assert_eq!(
            caps, "false true",
            "1.6 has no transfer service and no restart policies"
        );
    } else {
        let (flags, policies) = caps.rsplit_once(' ').unwrap();
        assert_eq!(flags, "true true", "{caps}");
        for p in ["always", "on-failure", "unless-stopped", "no"] {
            assert!(
                policies.split(',').any(|x| x == p),
                "{p} missing from {policies}"
            );
        }
    }
}

/// docker's global options: `-H unix://` is the socket, `--config` the
/// credentials' directory, `-l` the level; `-c` only `default`; TCP hosts
/// and TLS refused with the reason.
#[test]
fn dockers_global_options() {
    let mut ns = Ns::new("globals");
    let img = ns.pull("busybox");
    ns.berth(&["create", "--name", "seen", &img, "true"]).ok();
    let host = format!("unix://{}", ns.env.address);
    let names = ns.berth(&[
        "-H",
        &host,
        "-c",
        "default",
        "ps",
        "-a",
        "--format",
        "{{.Names}}",
    ]);
    assert_eq!(names.ok(), "seen\n");
    for (args, says) in [
        (
            vec!["-H", "tcp://10.0.0.1:2375", "ps"],
            "-H tcp://10.0.0.1:2375 is not supported yet",
        ),
        (
            vec!["-H", "ssh://node", "ps"],
            "-H ssh://node is not supported yet",
        ),
        (vec!["--tlsverify", "ps"], "--tlsverify is not supported"),
        (
            vec!["--tlscert", "c.pem", "ps"],
            "--tlscert is not supported",
        ),
        (
            vec!["-c", "remote", "ps"],
            "context \"remote\" is not supported yet",
        ),
    ] {
        let out = ns.berth(&args);
        out.code(125).stderr_has(says);
    }
    // -l error: warnings go.
    let quiet = ns.berth(&[
        "-l",
        "error",
        "run",
        "--rm",
        "--network",
        "host",
        "-p",
        "80:80",
        &img,
        "true",
    ]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));
    // --config DIR holds what login stores and what pull then uses; the
    // environment's DOCKER_CONFIG (empty) does not.
    let empty = tempfile::tempdir().unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), empty.path().display().to_string()));
    let cfg = tempfile::tempdir().unwrap();
    let cfg_dir = cfg.path().display().to_string();
    let (reg, user) = (ns.env.auth_registry.clone(), ns.env.auth_user.clone());
    let pass = format!("{}\n", ns.env.auth_password);
    ns.berth_stdin(
        &[
            "--config",
            &cfg_dir,
            "login",
            "-u",
            &user,
            "--password-stdin",
            &reg,
        ],
        &pass,
    )
    .ok();
    assert!(cfg.path().join("config.json").exists());
    assert!(!empty.path().join("config.json").exists());
    let private = format!("{reg}/berth-test/busybox:latest");
    ns.berth(&["pull", "-q", &private]).code(1);
    ns.berth(&["--config", &cfg_dir, "pull", "-q", &private])
        .ok();
}

/// Through a link named `docker` berth is the same program; its words
/// and `-v` say docker.
#[test]
fn called_docker_it_is_berth() {
    let ns = Ns::new("docker-link");
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("docker");
    std::os::unix::fs::symlink(berth_bin(), &link).unwrap();
    // `ns.cmd()`'s namespace, socket, data root and config, under `bin`.
    let run = |bin: &std::path::Path, args: &[&str]| {
        let template = ns.cmd();
        let mut c = std::process::Command::new(bin);
        c.args(template.get_args())
            .env_remove("CONTAINERD_NAMESPACE");
        for (k, v) in template.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        c.stdin(std::process::Stdio::null());
        Out::from(c.args(args).output().unwrap())
    };
    let img = ns.pull("busybox");
    for args in [
        vec!["images", "--format", "{{.Repository}}:{{.Tag}}"],
        vec!["run", "--rm", &img, "echo", "hi"],
        vec!["ps", "-a", "--format", "{{.Names}}"],
        vec!["inspect", "-f", "{{.Id}}", &img],
    ] {
        let direct = run(&berth_bin(), &args);
        let linked = run(&link, &args);
        assert_eq!(
            (direct.code, &direct.stdout),
            (linked.code, &linked.stdout),
            "{args:?}"
        );
    }
    // Errors name the program as docker's do.
    let bad = run(&link, &["run", "--bogus", &img]);
    bad.code(125);
    assert_eq!(
        bad.stderr,
        "docker: unknown flag: --bogus\n\nRun 'docker run --help' for more information\n"
    );
    // `-v`: docker's line as docker, berth's own as berth.
    let v = run(&link, &["-v"]).ok().to_string();
    assert!(v.starts_with("Docker version 28.2.2, build berth-"), "{v}");
    let v = run(&berth_bin(), &["-v"]).ok().to_string();
    assert!(v.starts_with("berth version "), "{v}");
}

/// docs/flag-table.md (docker CLI 28's flags against berth's) is what
/// berth's command definitions say today.
#[test]
fn the_flag_table_matches_berths_flags() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("scripts/flag-table"))
        .arg("--check")
        .arg(berth_bin())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And the refusals it lists are real: some of them, through the CLI.
    let table = std::fs::read_to_string(root.join("docs/flag-table.md")).unwrap();
    assert!(table.contains("| `docker container run` | `--gpus` | not supported yet: "));
    berth_raw(&["container", "run", "--gpus", "all", "busybox"])
        .code(125)
        .stderr_has("--gpus is not supported yet");
    let start = "| `docker container start` | `--checkpoint` | refused as docker's CLI refuses it without an experimental daemon |";
    assert!(table.contains(start));
    // docker's CLI, one line per flag, nothing started.
    let out = berth_raw(&[
        "container",
        "start",
        "--checkpoint-dir",
        "d",
        "--checkpoint",
        "c1",
        "nosuch",
    ]);
    out.code(1);
    assert_eq!(
        out.stderr,
        "\"--checkpoint\" is only supported on a Docker daemon with experimental features enabled\n\"--checkpoint-dir\" is only supported on a Docker daemon with experimental features enabled\n"
    );
}

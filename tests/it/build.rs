//! `berth build` against the real buildkitd pair from testenv: the
//! containerd worker (images straight into containerd when namespaces
//! match, a tarball otherwise) and the OCI worker (always a tarball).

use std::path::Path;
use std::process::Command;

use crate::common::{Ns, berth_bin};

pub fn buildkit_host() -> String {
    std::env::var("BERTH_TEST_BUILDKIT_HOST")
        .unwrap_or_else(|_| "unix:///run/buildkit/buildkitd.sock".into())
}

pub fn oci_host() -> String {
    std::env::var("BERTH_TEST_BUILDKIT_OCI_HOST")
        .unwrap_or_else(|_| "unix:///run/berth-testenv/buildkit-oci/buildkitd.sock".into())
}

/// A build context: files given as (path, contents).
pub fn context(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (p, body) in files {
        let path = d.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    d
}

pub fn ns_for_build(test: &str, host: &str) -> Ns {
    let mut ns = Ns::new(test);
    ns.vars.push(("BUILDKIT_HOST".into(), host.into()));
    ns
}

fn dir(d: &Path) -> &str {
    d.to_str().unwrap()
}

#[test]
fn multi_stage_with_dockerignore_and_run_output() {
    let ns = ns_for_build("build-multi", &buildkit_host());
    let base = ns.env.image("busybox");
    let df = format!(
        "FROM {base} AS base\nRUN echo building-step && echo to-stderr >&2\nCOPY . /ctx/\n\
         FROM {base}\nCOPY --from=base /ctx/ /out/\nCMD [\"cat\", \"/out/hello.txt\"]\n"
    );
    let ctx = context(&[
        ("Dockerfile", &df),
        ("hello.txt", "hello from the context\n"),
        ("skip.log", "ignored\n"),
        ("sub/keep.txt", "kept\n"),
        ("sub/drop.tmp", "ignored\n"),
        (".dockerignore", "*.log\n**/*.tmp\n"),
    ]);
    let out = ns.berth(&[
        "build",
        "--progress",
        "plain",
        "--no-cache",
        "-t",
        "app:1",
        "-t",
        "app:latest",
        dir(ctx.path()),
    ]);
    out.ok();
    // docker's plain progress: numbered steps, RUN output with its offset.
    assert!(
        out.stderr.contains("[base 2/3] RUN echo building-step"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .lines()
            .any(|l| l.starts_with('#') && l.ends_with(" building-step")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("DONE"), "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "build prints nothing on stdout without -q"
    );
    let images = ns
        .berth(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .ok()
        .to_string();
    assert!(
        images.contains("app:1") && images.contains("app:latest"),
        "{images}"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "app:1"]).ok(),
        "hello from the context\n"
    );
    let listing = ns
        .berth(&[
            "run",
            "--rm",
            "app:1",
            "sh",
            "-c",
            "cd /out && find . | sort && stat -c '%u:%g' hello.txt",
        ])
        .ok()
        .to_string();
    assert_eq!(
        listing, ".\n./.dockerignore\n./Dockerfile\n./hello.txt\n./sub\n./sub/keep.txt\n0:0\n",
        "the .dockerignore'd files are not sent; files arrive owned by root as with docker"
    );
}

#[test]
fn from_scratch_args_target_and_labels() {
    let mut ns = ns_for_build("build-args", &buildkit_host());
    ns.vars.push(("FROM_ENV".into(), "env-value".into()));
    let base = ns.env.image("busybox");
    let df = format!(
        "FROM scratch AS files\nCOPY hello.txt /\n\
         FROM {base} AS tool\nARG GREETING=default\nARG FROM_ENV\nARG UNSET_ARG=kept-default\n\
         COPY --from=files /hello.txt /\n\
         RUN echo \"$GREETING $FROM_ENV $UNSET_ARG\" > /args.txt\n\
         FROM tool AS last\nRUN echo should-not-run-for-target-tool > /last.txt\n"
    );
    let ctx = context(&[("Dockerfile", &df), ("hello.txt", "hi\n")]);
    let id = ns
        .berth(&[
            "build",
            "-q",
            "--target",
            "tool",
            "--build-arg",
            "GREETING=hello",
            "--build-arg",
            "FROM_ENV",
            "--build-arg",
            "UNSET_ARG_NOT_IN_ENV",
            "--label",
            "org.example.team=build",
            "-t",
            "args:1",
            dir(ctx.path()),
        ])
        .ok()
        .trim()
        .to_string();
    assert!(
        id.starts_with("sha256:") && id.len() == 71,
        "-q prints the image id: {id}"
    );
    let inspect_id = ns
        .berth(&["image", "inspect", "-f", "{{.Id}}", "args:1"])
        .ok()
        .trim()
        .to_string();
    assert_eq!(inspect_id, id);
    let label = ns
        .berth(&[
            "image",
            "inspect",
            "-f",
            "{{index .Config.Labels \"org.example.team\"}}",
            "args:1",
        ])
        .ok()
        .to_string();
    assert_eq!(label, "build\n");
    assert_eq!(
        ns.berth(&["run", "--rm", "args:1", "cat", "/args.txt", "/hello.txt"])
            .ok(),
        "hello env-value kept-default\nhi\n"
    );
    ns.berth(&["run", "--rm", "args:1", "test", "!", "-e", "/last.txt"])
        .ok();
}

#[test]
fn secrets_are_visible_only_in_their_run_step() {
    let mut ns = ns_for_build("build-secret", &buildkit_host());
    ns.vars
        .push(("BUILD_TOKEN".into(), "token-from-env".into()));
    let secret_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret_file.path(), "file-secret-42").unwrap();
    let base = ns.env.image("busybox");
    let df = format!(
        "FROM {base}\n\
         RUN --mount=type=secret,id=filesec --mount=type=secret,id=envsec \
           test \"$(cat /run/secrets/filesec)\" = file-secret-42 && \
           test \"$(cat /run/secrets/envsec)\" = token-from-env && echo secrets-ok > /proof\n\
         RUN test ! -e /run/secrets/filesec && echo gone-after >> /proof\n"
    );
    let ctx = context(&[("Dockerfile", &df)]);
    let src = format!("id=filesec,src={}", secret_file.path().display());
    ns.berth(&[
        "build",
        "-q",
        "--secret",
        &src,
        "--secret",
        "id=envsec,env=BUILD_TOKEN",
        "-t",
        "sec:1",
        dir(ctx.path()),
    ])
    .ok();
    assert_eq!(
        ns.berth(&["run", "--rm", "sec:1", "cat", "/proof"]).ok(),
        "secrets-ok\ngone-after\n"
    );
    let leaked = ns
        .berth(&[
            "run",
            "--rm",
            "sec:1",
            "sh",
            "-c",
            "grep -rl file-secret-42 /bin /etc /proof /run 2>/dev/null; true",
        ])
        .ok()
        .to_string();
    assert!(
        leaked.is_empty(),
        "the secret is not in the image: {leaked}"
    );
    // A secret that is not given: the step fails, exit 1.
    let missing = format!(
        "FROM {base}\nRUN --mount=type=secret,id=nope,required=true cat /run/secrets/nope\n"
    );
    let ctx2 = context(&[("Dockerfile", &missing)]);
    ns.berth(&["build", "--progress", "plain", dir(ctx2.path())])
        .code(1);
}

#[test]
fn context_and_dockerfile_from_stdin_and_outside() {
    let ns = ns_for_build("build-stdin", &buildkit_host());
    let base = ns.env.image("busybox");
    // A Dockerfile alone on stdin: an empty context.
    let df = format!("FROM {base}\nRUN echo from-stdin > /where\n");
    ns.berth_stdin(&["build", "-q", "-t", "stdin:1", "-"], &df)
        .ok();
    assert_eq!(
        ns.berth(&["run", "--rm", "stdin:1", "cat", "/where"]).ok(),
        "from-stdin\n"
    );
    // A tar context on stdin.
    let ctx = context(&[
        ("Dockerfile", &format!("FROM {base}\nCOPY data.txt /\n")),
        ("data.txt", "tarred\n"),
    ]);
    let tar = Command::new("tar")
        .arg("-C")
        .arg(ctx.path())
        .args(["-cf", "-", "."])
        .output()
        .unwrap();
    assert!(tar.status.success());
    let out = ns.berth_stdin_bytes(&["build", "-q", "-t", "stdin:2", "-"], &tar.stdout);
    out.ok();
    assert_eq!(
        ns.berth(&["run", "--rm", "stdin:2", "cat", "/data.txt"])
            .ok(),
        "tarred\n"
    );
    // -f - with a directory context, and -f naming a file outside it.
    let ctx = context(&[("x.txt", "x\n")]);
    let df = format!("FROM {base}\nCOPY x.txt /\n");
    ns.berth_stdin(
        &["build", "-q", "-t", "stdin:3", "-f", "-", dir(ctx.path())],
        &df,
    )
    .ok();
    assert_eq!(
        ns.berth(&["run", "--rm", "stdin:3", "cat", "/x.txt"]).ok(),
        "x\n"
    );
    let elsewhere = context(&[("build.Dockerfile", &df)]);
    let file = elsewhere.path().join("build.Dockerfile");
    ns.berth(&[
        "build",
        "-q",
        "-t",
        "stdin:4",
        "-f",
        file.to_str().unwrap(),
        dir(ctx.path()),
    ])
    .ok();
    assert_eq!(
        ns.berth(&["run", "--rm", "stdin:4", "cat", "/x.txt"]).ok(),
        "x\n"
    );
}

#[test]
fn errors_exit_codes_and_hints() {
    let ns = ns_for_build("build-errors", &buildkit_host());
    let base = ns.env.image("busybox");
    let ctx = context(&[(
        "Dockerfile",
        &format!("FROM {base}\nRUN echo about-to-fail && exit 3\n"),
    )]);
    let failed = ns.berth(&["build", "--progress", "plain", dir(ctx.path())]);
    failed
        .code(1)
        .stderr_has("ERROR: failed to build: failed to solve:")
        .stderr_has("exit code: 3");
    assert!(
        failed.stderr.contains("about-to-fail"),
        "the step's output is shown: {}",
        failed.stderr
    );
    ns.berth(&["build", "/nonexistent/context"])
        .code(1)
        .stderr_has("unable to prepare context");
    let empty = context(&[("other.txt", "")]);
    ns.berth(&["build", dir(empty.path())])
        .code(1)
        .stderr_has("Dockerfile");
    // No daemon at the address: 125, one line saying where, and a hint.
    let gone = ns.berth(&[
        "build",
        "--buildkit-host",
        "unix:///run/nothing-here/buildkitd.sock",
        dir(ctx.path()),
    ]);
    gone.code(125)
        .stderr_has("no BuildKit daemon answers; tried unix:///run/nothing-here/buildkitd.sock")
        .stderr_has("Hint: start one");
    ns.berth(&["build", "--build-context", "a=b", dir(ctx.path())])
        .code(1)
        .stderr_has("--build-context is not supported yet");
}

#[test]
fn private_base_image_with_credentials_from_docker_config() {
    let mut ns = ns_for_build("build-auth", &buildkit_host());
    let cfg = tempfile::tempdir().unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), cfg.path().display().to_string()));
    let private = format!("{}/berth-test/busybox:latest", ns.env.auth_registry);
    let ctx = context(&[(
        "Dockerfile",
        &format!("FROM {private}\nRUN echo private-ok > /p\n"),
    )]);
    // No credentials: the registry refuses, the build fails.
    ns.berth(&[
        "build",
        "--no-cache",
        "--pull",
        "--progress",
        "plain",
        dir(ctx.path()),
    ])
    .code(1);
    use base64::Engine;
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", ns.env.auth_user, ns.env.auth_password));
    let doc = serde_json::json!({"auths": {ns.env.auth_registry.clone(): {"auth": auth}}});
    std::fs::write(cfg.path().join("config.json"), doc.to_string()).unwrap();
    let out = ns.berth(&[
        "build",
        "--no-cache",
        "--pull",
        "--progress",
        "plain",
        "-t",
        "priv:1",
        dir(ctx.path()),
    ]);
    out.ok();
    assert!(
        !out.stderr.contains(&ns.env.auth_password),
        "no password in output"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "priv:1", "cat", "/p"]).ok(),
        "private-ok\n"
    );
}

/// The containerd worker stores into our containerd; in its namespace the
/// image appears with no tarball (no warning) and is unpacked, runnable.
#[test]
fn worker_sharing_our_containerd_builds_in_place() {
    let guard = Ns::exclusive("build-direct");
    let ns_name =
        std::env::var("BERTH_TEST_BUILDKIT_NAMESPACE").unwrap_or_else(|_| "berth-buildkit".into());
    let tag = format!("berth-test-direct-{}:1", std::process::id());
    let berth = |args: &[&str]| {
        let o = Command::new(berth_bin())
            .arg("-n")
            .arg(&ns_name)
            .env("CONTAINERD_ADDRESS", &guard.env.address)
            .env("BUILDKIT_HOST", buildkit_host())
            .env("BERTH_DATA_ROOT", guard.data_root.path())
            .args(args)
            .output()
            .unwrap();
        crate::common::Out::from(o)
    };
    let base = guard.env.image("busybox");
    let ctx = context(&[(
        "Dockerfile",
        &format!("FROM {base}\nRUN echo direct > /d\n"),
    )]);
    let out = berth(&["build", "--progress", "plain", "-t", &tag, dir(ctx.path())]);
    out.ok();
    assert!(!out.stderr.contains("tarball"), "{}", out.stderr);
    assert!(out.stderr.contains("exporting to image"), "{}", out.stderr);
    assert!(!out.stderr.contains("sending tarball"), "{}", out.stderr);
    let result = berth(&["run", "--rm", &tag, "cat", "/d"]);
    berth(&["rmi", &tag]).ok();
    assert_eq!(result.ok(), "direct\n");
}

#[test]
fn oci_worker_image_comes_through_a_tarball() {
    let ns = ns_for_build("build-oci-worker", &oci_host());
    let base = ns.env.image("busybox");
    let ctx = context(&[(
        "Dockerfile",
        &format!("FROM {base}\nRUN echo oci-worker > /w\n"),
    )]);
    let out = ns.berth(&[
        "build",
        "--progress",
        "plain",
        "-t",
        "ociw:1",
        dir(ctx.path()),
    ]);
    out.ok();
    assert!(out.stderr.contains("sending tarball"), "{}", out.stderr);
    assert_eq!(
        ns.berth(&["run", "--rm", "ociw:1", "cat", "/w"]).ok(),
        "oci-worker\n"
    );
}

/// The same build again and again through the tarball (cached after the
/// first), each under its own tag, as docker-library's tests build: every
/// one loads, and all name the same image.
#[test]
fn cached_rebuilds_through_a_tarball_all_load() {
    let ns = ns_for_build("build-oci-again", &oci_host());
    let base = ns.env.image("busybox");
    let big = "x".repeat(3 << 20);
    let ctx = context(&[
        (
            "Dockerfile",
            &format!("FROM {base}\nCOPY big /big\nRUN echo again > /w\n"),
        ),
        ("big", &big),
    ]);
    let mut ids = Vec::new();
    for tag in ["again:1", "again:2", "again:3", "again:4"] {
        let out = ns.berth(&["build", "-q", "-t", tag, dir(ctx.path())]);
        ids.push(out.ok().trim().to_string());
    }
    assert!(
        ids.iter().all(|i| i == &ids[0] && i.starts_with("sha256:")),
        "{ids:?}"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "again:4", "cat", "/w"]).ok(),
        "again\n"
    );
}

/// On a terminal (auto) the steps are a live view: each step's line ends
/// with its state; a failed step shows its last output lines.
#[test]
fn terminal_shows_a_live_view_of_the_steps() {
    let ns = ns_for_build("build-tty", &buildkit_host());
    let base = ns.env.image("busybox");
    let ctx = context(&[(
        "Dockerfile",
        &format!("FROM {base}\nRUN echo tty-step\nRUN echo last-words && exit 2\n"),
    )]);
    let (code, text) = ns.in_pty(&format!(
        "stty rows 40 cols 200; {{berth}} build --no-cache {}",
        ctx.path().display()
    ));
    assert_eq!(code, 1);
    assert!(
        text.contains("\u{1b}["),
        "drawn with terminal control sequences"
    );
    assert!(text.contains("RUN echo tty-step  DONE"), "{text}");
    assert!(text.contains("✘") && text.contains("ERROR:"), "{text}");
    assert!(
        text.contains("last-words"),
        "the failed step's output is shown: {text}"
    );
    assert!(text.contains("ERROR: failed to build"), "{text}");
}

/// A git URL context is fetched by buildkitd itself: here a bare repository
/// served over plain (dumb) HTTP on loopback.
#[test]
fn git_url_context_and_rawjson_progress() {
    let ns = ns_for_build("build-git", &buildkit_host());
    let base = ns.env.image("busybox");
    let work = context(&[
        ("Dockerfile", &format!("FROM {base}\nCOPY msg.txt /\n")),
        ("msg.txt", "from git\n"),
    ]);
    let git = |dir: &Path, args: &[&str]| {
        let o = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(work.path(), &["init", "-q", "-b", "main"]);
    git(work.path(), &["add", "."]);
    git(work.path(), &["commit", "-q", "-m", "ctx"]);
    let served = tempfile::tempdir().unwrap();
    let bare = served.path().join("repo.git");
    git(
        served.path(),
        &[
            "clone",
            "-q",
            "--bare",
            work.path().to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    git(&bare, &["update-server-info"]);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(served.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    crate::common::wait_for("the git http server", 10, || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    });
    let url = format!("http://127.0.0.1:{port}/repo.git#main");
    let out = ns.berth(&["build", "--progress", "rawjson", "-t", "fromgit:1", &url]);
    let _ = server.kill();
    let _ = server.wait();
    out.ok();
    let updates: Vec<serde_json::Value> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("each progress line is JSON"))
        .collect();
    assert!(
        updates
            .iter()
            .any(|u| u["vertexes"].as_array().is_some_and(|v| !v.is_empty())),
        "{}",
        out.stderr
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "fromgit:1", "cat", "/msg.txt"])
            .ok(),
        "from git\n"
    );
}

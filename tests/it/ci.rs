//! berth inside a CI container that has only berth's binary (as `docker`)
//! and containerd's socket mounted (plus BuildKit's for builds): the calls
//! Jenkins' docker-workflow plugin makes for `docker.image().inside {}`,
//! a build and a push, a published port, on the default bridge network
//! (and again with the agent on the host's network and privileged; one
//! agent has JENKINS_HOME on a volume, as the jenkins image does).
//! The CI image is Debian's (mmdebstrap, made by scripts/testenv), imported
//! with `berth import`; the container is unprivileged unless a test says.

use crate::build::buildkit_host;
use crate::common::Ns;
use crate::common::{Out, berth_bin, wait_for};
use crate::jenkins::{STEP, assert_cat_runs};

const CI_IMAGE: &str = "berth-test/ci:bookworm";
/// The workspace Jenkins would use, in the CI container's image.
const WS: &str = "/var/jenkins/workspace/job";
/// JENKINS_HOME: a named volume of the CI container.
const HOME: &str = "/var/jenkins_home";

/// A CI container: berth's binary as /usr/local/bin/docker, containerd's
/// and BuildKit's sockets, nothing else of the host.
struct Ci<'a> {
    ns: &'a Ns,
    name: String,
}

impl<'a> Ci<'a> {
    fn start(ns: &'a Ns, name: &str, flags: &[&str]) -> Ci<'a> {
        let rootfs = std::env::var("BERTH_TEST_CI_ROOTFS")
            .expect("BERTH_TEST_CI_ROOTFS (run scripts/testenv up)");
        ns.berth(&["import", &rootfs, CI_IMAGE]).ok();
        let bin = format!("{}:/usr/local/bin/docker:ro", berth_bin().display());
        let sock = format!("{}:/run/containerd/containerd.sock", ns.env.address);
        let bk = buildkit_host();
        let bk_path = bk.trim_start_matches("unix://");
        let bk_mount = format!("{bk_path}:/run/buildkit/buildkitd.sock");
        let mut args = vec![
            "run", "-d", "--name", name, "-v", &bin, "-v", &sock, "-v", &bk_mount,
        ];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[CI_IMAGE, "sleep", "infinity"]);
        ns.berth(&args).ok();
        let ci = Ci {
            ns,
            name: name.to_string(),
        };
        // The agent's workspace, owned by the agent's user.
        ci.sh(&format!(
            "mkdir -p {WS} {WS}@tmp && chown -R 1000:1000 {WS} {WS}@tmp"
        ))
        .ok();
        ci
    }

    /// A shell command in the CI container.
    fn sh(&self, script: &str) -> Out {
        self.ns.berth(&["exec", &self.name, "bash", "-c", script])
    }

    /// `docker ARGS` run by the agent in its workspace. The namespace,
    /// berth's data root and config file are the test's.
    fn docker(&self, args: &[&str]) -> Out {
        self.docker_stdin(args, None)
    }

    /// `docker ARGS` with `input` piped to it (through `exec -i`).
    fn docker_stdin(&self, args: &[&str], input: Option<&str>) -> Out {
        let ns_env = format!("CONTAINERD_NAMESPACE={}", self.ns.name);
        let data = format!("BERTH_DATA_ROOT={}", self.ns.data_root.path().display());
        let mut all = vec![
            "exec",
            "-w",
            WS,
            "-e",
            &ns_env,
            "-e",
            &data,
            "-e",
            "BERTH_CONFIG=/dev/null",
            "-e",
            "BUILDKIT_HOST=unix:///run/buildkit/buildkitd.sock",
            // What the agent's environment holds for a job.
            "-e",
            "JOB_NAME=pipeline-7",
            &self.name,
            "docker",
        ];
        all.extend_from_slice(args);
        match input {
            Some(text) => {
                all.insert(1, "-i");
                self.ns.berth_stdin(&all, text)
            }
            None => self.ns.berth(&all),
        }
    }
}

/// The plugin's sequence, then a build, a push, a `run --rm` of the built
/// image and a published port reached from the CI container at `host`.
fn docker_workflow(ci: &Ci, host: &str) {
    let ns = ci.ns;
    let img = ns.env.image("busybox");

    // `docker -v`, parsed with ^(\D+)(\d+)\.(\d+)\.(\d+) and compared with 1.13.
    let version = ci.docker(&["-v"]).ok().to_string();
    let re = regex::Regex::new(r"^(\D+)(\d+)\.(\d+)\.(\d+)").unwrap();
    let caps = re
        .captures(&version)
        .expect("a version docker's parsers read");
    assert_eq!(&caps[1], "Docker version ", "{version}");
    let (major, minor): (u32, u32) = (caps[2].parse().unwrap(), caps[3].parse().unwrap());
    assert!((major, minor) >= (1, 13), "{version}");

    // `inspect -f . IMAGE || pull IMAGE`.
    ci.docker(&["inspect", "-f", ".", &img]).code(1);
    ci.docker(&["pull", &img]).ok();
    assert_eq!(ci.docker(&["inspect", "-f", ".", &img]).ok(), ".\n");

    ci.sh(&format!("echo 'pipeline {{}}' > {WS}/Jenkinsfile"))
        .ok();
    let ws_bind = format!("{WS}:{WS}:rw,z");
    let tmp_bind = format!("{WS}@tmp:{WS}@tmp:rw,z");
    let run = [
        "run",
        "-t",
        "-d",
        "-u",
        "1000:1000",
        "-w",
        WS,
        "-v",
        &ws_bind,
        "-v",
        &tmp_bind,
        "-e",
        "K=V",
        &img,
        "cat",
    ];
    let id = ci.docker(&run).ok().trim().to_string();
    assert_eq!(id.len(), 64, "{id}");

    assert_cat_runs(&ci.docker(&["top", &id, "-eo", "pid,comm"]));
    let step = ci.docker(&["exec", &id, "sh", "-c", STEP]);
    step.code(3);
    assert_eq!(step.stdout, format!("pipeline {{}}\nK=V\n{WS}\n1000\n"));
    // A script's input, piped through to the container and closed.
    let sorted = ci.docker_stdin(&["exec", "-i", &id, "sort", "-r"], Some("a\nc\nb\n"));
    assert_eq!(sorted.ok(), "c\nb\na\n");
    // The step's file is in the agent's workspace.
    assert_eq!(ci.sh(&format!("cat {WS}/out.txt")).ok(), "built\n");

    // cp both ways between the agent's workspace and the container.
    ci.docker(&["cp", &format!("{WS}/Jenkinsfile"), &format!("{id}:/tmp/")])
        .ok();
    assert_eq!(
        ci.docker(&["exec", &id, "cat", "/tmp/Jenkinsfile"]).ok(),
        "pipeline {}\n"
    );
    ci.docker(&[
        "cp",
        &format!("{id}:/tmp/Jenkinsfile"),
        &format!("{WS}/back"),
    ])
    .ok();
    assert_eq!(
        ci.sh(&format!("cat {WS}/back; stat -c %u {WS}/back; id -u"))
            .ok(),
        "pipeline {}\n0\n0\n"
    );

    assert_eq!(
        ci.docker(&["inspect", "-f", "{{.Config.Image}}", &id])
            .ok()
            .trim(),
        img
    );
    assert_eq!(ci.docker(&["logs", &id]).ok(), "");
    ci.docker(&["stop", "--time=1", &id]).ok();
    assert_eq!(ci.docker(&["rm", "-f", "--volumes", &id]).ok().trim(), id);

    detached_logs(ci, &img);

    warning_in_a_pipe(ci, &img);
    build_push_run(ci, &img);
    published_port(ci, &img, host);
}

/// With its workspace on one of its own volumes, the plugin finds its
/// container (the 64-hex id in /proc/self/cgroup), lists its mounts and
/// passes `--volumes-from` it.
fn volumes_from_the_agent(ci: &Ci, img: &str) {
    let cgroup = ci.sh("cat /proc/self/cgroup").ok().to_string();
    let re = regex::Regex::new(r"[a-z0-9]{64}").unwrap();
    let me = re
        .find_iter(&cgroup)
        .last()
        .expect("a container id")
        .as_str()
        .to_string();
    let mounts = ci
        .docker(&[
            "inspect",
            "-f",
            "{{range .Mounts}}{{.Destination}}\n{{end}}",
            &me,
        ])
        .ok()
        .to_string();
    assert!(mounts.lines().any(|m| m == HOME), "{mounts}");
    ci.sh(&format!("echo from the agent > {HOME}/note")).ok();
    let id = ci
        .docker(&["run", "-t", "-d", "--volumes-from", &me, img, "cat"])
        .ok()
        .trim()
        .to_string();
    let note = format!("{HOME}/note");
    assert_eq!(
        ci.docker(&["exec", &id, "cat", &note]).ok(),
        "from the agent\n"
    );
    ci.docker(&["rm", "-f", &id]).ok();
    // A path inside that volume as a bind source: the volume's host path.
    let bind = format!("{HOME}:/home-of-the-agent:ro");
    let read = ci.docker(&[
        "run",
        "--rm",
        "-v",
        &bind,
        img,
        "cat",
        "/home-of-the-agent/note",
    ]);
    assert_eq!(read.ok(), "from the agent\n");
}

/// A variable passed by name, and a detached container's logs, read back
/// through the agent.
fn detached_logs(ci: &Ci, img: &str) {
    // `-e NAME` takes the value from the agent's environment.
    let job = ci.docker(&[
        "run",
        "--rm",
        "-e",
        "JOB_NAME",
        img,
        "sh",
        "-c",
        "echo $JOB_NAME",
    ]);
    assert_eq!(job.ok(), "pipeline-7\n");
    let chatty = ci
        .docker(&["run", "-d", img, "sh", "-c", "echo out; echo err >&2"])
        .ok()
        .trim()
        .to_string();
    ci.docker(&["wait", &chatty]).ok();
    let logs = ci.docker(&["logs", &chatty]);
    assert_eq!(
        (logs.stdout.as_str(), logs.stderr.as_str()),
        ("out\n", "err\n")
    );
    ci.docker(&["rm", &chatty]).ok();
}

/// A warning in a pipe: docker's words, no colour.
fn warning_in_a_pipe(ci: &Ci, img: &str) {
    let warned = ci.docker(&[
        "run",
        "--rm",
        "--network",
        "host",
        "-p",
        "80:80",
        img,
        "true",
    ]);
    warned.ok();
    assert_eq!(
        warned.stderr,
        "WARNING: Published ports are discarded when using host network mode\n"
    );
}

fn build_push_run(ci: &Ci, base: &str) {
    let tag = format!(
        "{}/berth-test/ci-built-{}:1",
        ci.ns.env.registry, ci.ns.name
    );
    ci.sh(&format!(
        "mkdir -p {WS}/app && printf 'FROM {base}\\nRUN echo made in CI > /made\\nCMD [\"cat\", \"/made\"]\\n' > {WS}/app/Dockerfile"
    ))
    .ok();
    ci.docker(&["build", "-q", "-t", &tag, "app"]).ok();
    ci.docker(&["push", "-q", &tag]).ok();
    let ran = ci.docker(&["run", "--rm", &tag]);
    assert_eq!(ran.ok(), "made in CI\n");
    ci.docker(&["rmi", &tag]).ok();
}

/// `run -d -p`: the port answers at `host` from the CI container.
fn published_port(ci: &Ci, img: &str, host: &str) {
    // A port free now (tests publish side by side).
    let port = std::net::TcpListener::bind("0.0.0.0:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let publish = format!("{port}:8080");
    let id = ci
        .docker(&[
            "run", "-d", "-p", &publish, img, "httpd", "-f", "-p", "8080", "-h", "/etc",
        ])
        .ok()
        .trim()
        .to_string();
    // `port` and `inspect` read the network state berth keeps on the host.
    assert_eq!(
        ci.docker(&["port", &id, "8080"]).ok(),
        format!("0.0.0.0:{port}\n")
    );
    assert_eq!(
        ci.docker(&["inspect", "-f", "{{json .NetworkSettings.Ports}}", &id])
            .ok(),
        format!("{{\"8080/tcp\":[{{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"{port}\"}}]}}\n")
    );
    let fetch = format!(
        "exec 3<>/dev/tcp/{host}/{port} && printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"
    );
    let body = wait_for("the published port", 20, || {
        let o = ci.sh(&fetch);
        (o.code == 0 && o.stdout.contains("200 OK")).then_some(o.stdout)
    });
    assert!(body.trim_end().ends_with(&id[..12]), "{body}");
    ci.docker(&["rm", "-f", &id]).ok();
}

/// The default network's gateway: the host, from a bridged container.
fn gateway(ns: &Ns) -> String {
    ns.berth(&[
        "network",
        "inspect",
        "-f",
        "{{(index .IPAM.Config 0).Gateway}}",
        "bridge",
    ])
    .ok()
    .trim()
    .to_string()
}

/// No helper task of this CI container outlives its command.
fn no_helpers_left(ci: &Ci) {
    let id = ci
        .ns
        .berth(&["inspect", "-f", "{{.Id}}", &ci.name])
        .ok()
        .trim()
        .to_string();
    let filter = format!("labels.\"io.berth.host-helper\"=={id}");
    let left = ctr_in(
        "berth-host",
        &ci.ns.env.address,
        &["containers", "ls", "-q", &filter],
    );
    assert_eq!(left.ok(), "", "helper containers left behind");
}

/// ctr in namespace `ns`.
fn ctr_in(ns: &str, address: &str, args: &[&str]) -> Out {
    let ctr = std::env::var("BERTH_TEST_CTR").unwrap_or_else(|_| "ctr".to_string());
    let mut c = std::process::Command::new(ctr);
    c.args(["--address", address, "-n", ns]).args(args);
    Out::from(c.output().expect("spawning ctr"))
}

#[test]
fn jenkins_inside_on_the_default_network() {
    let ns = Ns::new("ci-bridge");
    let ci = Ci::start(&ns, "agent", &[]);
    docker_workflow(&ci, &gateway(&ns));
    login_then_pull(&ci);
    removed_after_its_exit(&ci);
    a_source_on_the_agents_own_tmpfs(&ci);
    no_helpers_left(&ci);
    outlives_the_agent(ci);
}

/// What a detached container needs from berth stays on the host: after
/// the agent's container is gone, the container still runs and logs, and
/// a restart starts its log driver again from berth's copy on the host.
fn outlives_the_agent(ci: Ci) {
    let (ns, img) = (ci.ns, ci.ns.env.image("busybox"));
    let script = "echo before; sleep 3; echo after; sleep 300";
    let id = ci
        .docker(&["run", "-d", &img, "sh", "-c", script])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["rm", "-f", &ci.name]).ok();
    let logs = wait_for("the log written after the agent went", 20, || {
        let o = ns.berth(&["logs", &id]).ok().to_string();
        (o == "before\nafter\n").then_some(o)
    });
    assert_eq!(logs, "before\nafter\n");
    // A restart starts a new log driver: berth's binary on the host.
    ns.berth(&["restart", "-t", "0", &id]).ok();
    wait_for("the log of the restarted container", 20, || {
        let o = ns.berth(&["logs", &id]).ok().to_string();
        o.starts_with("before\nafter\nbefore\n").then_some(())
    });
    ns.berth(&["rm", "-f", &id]).ok();
}

/// `docker login` stores the agent's credentials in its own config, which
/// a pull through the helper then uses (the registry is the host's).
fn login_then_pull(ci: &Ci) {
    let env = &ci.ns.env;
    let private = format!("{}/berth-test/busybox:latest", env.auth_registry);
    ci.docker(&["pull", "-q", &private]).code(1);
    let pass = format!("{}\n", env.auth_password);
    let login = [
        "login",
        "-u",
        &env.auth_user,
        "--password-stdin",
        &env.auth_registry,
    ];
    ci.docker_stdin(&login, Some(&pass)).ok();
    assert!(
        ci.sh("cat /root/.docker/config.json")
            .ok()
            .contains(&env.auth_registry),
        "the agent's config holds the login"
    );
    ci.docker(&["pull", "-q", &private]).ok();
}

/// `run -d --rm`: the remover outlives the command's helper.
fn removed_after_its_exit(ci: &Ci) {
    let img = ci.ns.env.image("busybox");
    let id = ci
        .docker(&["run", "-d", "--rm", &img, "sleep", "1"])
        .ok()
        .trim()
        .to_string();
    wait_for("the --rm container's removal", 30, || {
        let all = ci.docker(&["ps", "-aq", "--no-trunc"]).ok().to_string();
        (!all.contains(&id)).then_some(())
    });
}

/// A bind source on a mount the CI container made itself has no host
/// path: refused, saying which mount.
fn a_source_on_the_agents_own_tmpfs(ci: &Ci) {
    let img = ci.ns.env.image("busybox");
    ci.sh("mkdir -p /dev/shm/x").ok();
    let out = ci.docker(&["run", "--rm", "-v", "/dev/shm/x:/x", &img, "true"]);
    out.code(125);
    assert!(
        out.stderr.contains(
            "/dev/shm/x is on a mount of berth's container (/dev/shm) that the host cannot bind-mount"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn jenkins_inside_with_host_network_and_privileged() {
    // This agent has JENKINS_HOME on a volume, as the jenkins image does.
    let ns = Ns::new("ci-host");
    let home = format!("agent-host-home:{HOME}");
    let ci = Ci::start(&ns, "agent-host", &["--network", "host", "-v", &home]);
    docker_workflow(&ci, "127.0.0.1");
    volumes_from_the_agent(&ci, &ns.env.image("busybox"));
    no_helpers_left(&ci);
    let ns = Ns::new("ci-priv");
    let ci = Ci::start(&ns, "agent-priv", &["--privileged=true"]);
    docker_workflow(&ci, &gateway(&ns));
    no_helpers_left(&ci);
}

/// `docker run -it` typed at a terminal in the CI container: the helper
/// gets a terminal of the caller's size, keys and the exit code pass.
#[test]
fn a_terminal_in_the_ci_container_reaches_the_container() {
    let ns = Ns::new("ci-tty");
    let ci = Ci::start(&ns, "agent-tty", &[]);
    let img = ns.env.image("busybox");
    ns.berth(&["pull", "-q", &img]).ok();
    let (code, out) = ns.in_pty(&format!(
        "stty rows 30 cols 100; {{berth}} exec -it -e CONTAINERD_NAMESPACE={} -e BERTH_DATA_ROOT={} \
         -e BERTH_CONFIG=/dev/null {} docker run --rm -it {img} sh -c 'tty; stty size; exit 4'",
        ns.name,
        ns.data_root.path().display(),
        ci.name
    ));
    assert_eq!(code, 4, "{out}");
    // `script` answers the end of its /dev/null input with NUL bytes,
    // which the terminals on the way echo as ^@ (as with `run -it` on the
    // host); they are the harness's input, not berth's output.
    assert_eq!(out.replace("^@", ""), "/dev/pts/0\n30 100\n");
}

/// berth in a container whose cgroup names a container this containerd
/// does not run (another daemon's): every verb that needs the host stops
/// at once with the same words and 125, before it makes anything.
#[test]
fn in_another_daemons_container_every_verb_says_the_same() {
    let ns = Ns::new("ci-foreign");
    let img = ns.pull("busybox");
    let fake = "f".repeat(64);
    let cgroup = format!("/docker/{fake}");
    let bin = format!(
        "type=bind,src={},dst=/usr/local/bin/docker,options=rbind:ro",
        berth_bin().display()
    );
    let sock = format!(
        "type=bind,src={},dst=/run/containerd/containerd.sock,options=rbind",
        ns.env.address
    );
    ns.ctr(&[
        "run", "-d", "--cgroup", &cgroup, "--mount", &bin, "--mount", &sock, &img, "foreign",
        "sleep", "1000",
    ])
    .ok();
    let id = ns.berth(&["create", &img, "true"]).ok().trim().to_string();
    let mut answers = Vec::new();
    for (n, args) in [
        vec!["run", "--rm", &img, "true"],
        vec!["run", "-d", &img, "true"],
        vec!["start", &id],
        vec!["exec", &id, "true"],
        vec!["logs", &id],
    ]
    .into_iter()
    .enumerate()
    {
        let exec_id = format!("verb{n}");
        let mut all = vec!["task", "exec", "--exec-id", &exec_id, "foreign", "env"];
        let ns_env = format!("CONTAINERD_NAMESPACE={}", ns.name);
        all.extend_from_slice(&[&ns_env, "docker"]);
        all.extend_from_slice(&args);
        let out = ns.ctr(&all);
        assert_eq!(out.code, 125, "{args:?}: {}", out.stderr);
        // ctr's own warnings (cgroup v1's deprecation) are not berth's.
        let berths: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| !l.starts_with("time="))
            .collect();
        answers.push(berths.join("\n"));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:#?}");
    assert!(
        answers[0].starts_with("Error: berth runs in a container that the containerd at "),
        "{}",
        answers[0]
    );
    // The refusal and what to do instead.
    assert_eq!(answers[0].lines().count(), 2, "{}", answers[0]);
    assert!(
        answers[0]
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("Hint: run berth in a container of that containerd")
    );
    // Nothing was made: only ctr's container and the one created above.
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 2);
}

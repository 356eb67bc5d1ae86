//! One container model: docker's `Config`/`HostConfig` from the flags to
//! the record and `inspect`, compared with what the real docker did
//! (tests/it/fixtures/docker/), and the docker behaviours that hang on it.

use serde_json::{Value, json};

use crate::common::Ns;

/// An image like the one docker's recording used (`web:1`): busybox's
/// files, `EXPOSE 80`, `ENV FOO=image BAR=image`, a CMD and a VOLUME.
fn web_image(ns: &Ns) -> String {
    let img = ns.pull("busybox");
    ns.berth(&["create", "--name", "web-src", &img, "true"])
        .ok();
    let dir = tempfile::tempdir().unwrap();
    let fs = dir.path().join("fs.tar");
    ns.berth(&["export", "-o", fs.to_str().unwrap(), "web-src"])
        .ok();
    ns.berth(&[
        "import",
        "--change",
        "EXPOSE 80",
        "--change",
        "ENV FOO=image BAR=image",
        "--change",
        "CMD [\"httpd\",\"-f\",\"-p\",\"80\"]",
        "--change",
        "VOLUME /data",
        fs.to_str().unwrap(),
        "web:1",
    ])
    .ok();
    ns.berth(&["rm", "web-src"]).ok();
    "web:1".to_string()
}

fn inspect(ns: &Ns, name: &str) -> Value {
    let text = ns.berth(&["inspect", name]).ok().to_string();
    let mut docs: Vec<Value> = serde_json::from_str(&text).unwrap();
    docs.remove(0)
}

/// docker's recording's HostConfig, with this run's bind source and the
/// values berth calls its own (tests/it/fixtures/docker/README.md).
fn dockers_host_config(fixture: &Value, bind: &str) -> serde_json::Map<String, Value> {
    let mut h = fixture["HostConfig"].as_object().unwrap().clone();
    for gone in ["KernelMemory", "KernelMemoryTCP"] {
        h.remove(gone);
    }
    if let Some(b) = h.get_mut("Binds").and_then(|b| b.as_array_mut()) {
        b[0] = json!(bind);
    }
    h["NetworkMode"] = json!("bridge");
    h["Runtime"] = json!("io.containerd.runc.v2");
    // on-failure needs containerd 1.7's monitor; the matrix has 1.6 too.
    h["RestartPolicy"] = json!({"Name": "unless-stopped", "MaximumRetryCount": 0});
    h["MaskedPaths"]
        .as_array_mut()
        .unwrap()
        .push(json!("/sys/devices/virtual/powercap"));
    h
}

/// `inspect` of a container created with every flag of docker's recording
/// shows what docker showed, field by field.
#[test]
fn inspect_shows_every_flag_as_docker_does() {
    let ns = Ns::new("model-inspect");
    assert_eq!(web_image(&ns), "web:1", "the recording's image name");
    let dir = tempfile::tempdir().unwrap();
    let bind = format!("{}:/bind:ro", dir.path().display());
    // docker's recording's flags, but a policy 1.6's monitor has too.
    let flags = include_str!("fixtures/docker/full-flags.txt")
        .replace("BIND", &dir.path().display().to_string())
        .replace("on-failure:3", "unless-stopped");
    let mut args = vec!["create", "--name", "full"];
    args.extend(flags.lines());
    ns.berth(&args).ok();
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/docker/inspect-full.json")).unwrap();
    let doc = inspect(&ns, "full");
    let docker = dockers_host_config(&fixture, &bind);
    let ours = doc["HostConfig"].as_object().unwrap();
    for (k, v) in &docker {
        assert_eq!(ours.get(k), Some(v), "HostConfig.{k}");
    }
    let extra: Vec<&String> = ours.keys().filter(|k| !docker.contains_key(*k)).collect();
    assert!(
        extra.is_empty(),
        "HostConfig keys docker does not have: {extra:?}"
    );
    assert_eq!(doc["Config"], fixture["Config"]);
    // The mounts docker listed: (type, name for named volumes, destination,
    // mode, rw); anonymous volumes get random names, sources are local.
    let shape = |m: &Value| {
        let named = m["Name"].as_str().filter(|n| n.len() != 64).unwrap_or("");
        format!(
            "{} {named} {} {} {}",
            m["Type"], m["Destination"], m["Mode"], m["RW"]
        )
    };
    let mut ours: Vec<String> = doc["Mounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(shape)
        .collect();
    ours.sort();
    let mut docker: Vec<String> = [
        json!({"Type": "bind", "Destination": "/bind", "Mode": "ro", "RW": false}),
        json!({"Type": "volume", "Name": "named", "Destination": "/named", "Mode": "z", "RW": true}),
        json!({"Type": "volume", "Name": "mvol", "Destination": "/mvol", "Mode": "z", "RW": true}),
        json!({"Type": "tmpfs", "Destination": "/mtmp", "Mode": "", "RW": true}),
        json!({"Type": "volume", "Name": "a".repeat(64), "Destination": "/data", "Mode": "", "RW": true}),
        json!({"Type": "volume", "Name": "b".repeat(64), "Destination": "/anon", "Mode": "", "RW": true}),
    ]
    .iter()
    .map(shape)
    .collect();
    docker.sort();
    assert_eq!(ours, docker);
    assert_eq!(
        doc["NetworkSettings"]["Networks"]["bridge"]["IPAddress"],
        ""
    );
}

/// The Engine API's create body and the flags are one model: a container
/// made from flags and one made from the equivalent JSON get the same spec
/// and the same inspect document.
#[test]
fn flags_and_the_engine_apis_json_make_the_same_container() {
    let ns = Ns::new("model-json");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().display().to_string();
    let flags = [
        "create",
        "--name",
        "from-flags",
        "-e",
        "A=1",
        "-l",
        "team=core",
        "-w",
        "/tmp",
        "-u",
        "1:1",
        "-p",
        "8089:80",
        "--dns",
        "10.0.0.2",
        "--add-host",
        "db:10.0.0.9",
        "-m",
        "64m",
        "--cpu-shares",
        "256",
        "--pids-limit",
        "40",
        "--cap-add",
        "NET_ADMIN",
        "--read-only",
        "--tmpfs",
        "/run:size=1m",
        "--restart",
        "unless-stopped",
        "-v",
        &format!("{src}:/src:ro"),
        "--sysctl",
        "net.ipv4.ip_forward=1",
        "--log-opt",
        "max-size=1m",
        &img,
        "sleep",
        "60",
    ];
    ns.berth(&flags).ok();
    let body = json!({
        "Image": img, "Cmd": ["sleep", "60"], "Env": ["A=1"], "Labels": {"team": "core"},
        "WorkingDir": "/tmp", "User": "1:1", "ExposedPorts": {"80/tcp": {}},
        "AttachStdout": true, "AttachStderr": true,
        "HostConfig": {
            "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8089"}]},
            "Dns": ["10.0.0.2"], "DnsOptions": [], "DnsSearch": [], "ExtraHosts": ["db:10.0.0.9"],
            "Memory": 67108864, "CpuShares": 256, "PidsLimit": 40, "CapAdd": ["CAP_NET_ADMIN"],
            "ReadonlyRootfs": true, "Tmpfs": {"/run": "size=1m"},
            "RestartPolicy": {"Name": "unless-stopped"}, "Binds": [format!("{src}:/src:ro")],
            "Sysctls": {"net.ipv4.ip_forward": "1"}, "OomKillDisable": false, "Ulimits": [],
            "LogConfig": {"Type": "", "Config": {"max-size": "1m"}},
            "Devices": [], "BlkioWeightDevice": [], "BlkioDeviceReadBps": [],
            "BlkioDeviceWriteBps": [], "BlkioDeviceReadIOps": [], "BlkioDeviceWriteIOps": []
        }
    });
    let data = berth::state::DataRoot::new(ns.data_root.path());
    ns.with_client(async |c| {
        let mut req =
            berth::container::model::CreateRequest::from_json(body.to_string().as_bytes()).unwrap();
        req.name = Some("from-json".into());
        let platform = berth::image::platform::host();
        let image = berth::image::store::find(c, &img, &platform)
            .await
            .unwrap()
            .unwrap();
        berth::container::ops::create(c, &data, &image, &req, None)
            .await
            .unwrap();
    });
    let spec = |name: &str| {
        let id = ns
            .berth(&["inspect", "-f", "{{.Id}}", name])
            .ok()
            .trim()
            .to_string();
        let info = ns.ctr(&["containers", "info", &id]).ok().to_string();
        let v: Value = serde_json::from_str(&info).unwrap();
        anonymised(&v["Spec"], &id, name)
    };
    assert_eq!(spec("from-flags"), spec("from-json"));
    let doc = |name: &str| {
        let mut d = inspect(&ns, name);
        let id = d["Id"].as_str().unwrap().to_string();
        d.as_object_mut().unwrap().remove("Created");
        anonymised(&d, &id, name)
    };
    assert_eq!(doc("from-flags"), doc("from-json"));
}

/// A document with one container's own id and name replaced.
fn anonymised(v: &Value, id: &str, name: &str) -> String {
    serde_json::to_string_pretty(v)
        .unwrap()
        .replace(id, "<id>")
        .replace(&id[..16], "<id16>")
        .replace(&id[..12], "<id12>")
        .replace(&format!("\"/{name}\""), "\"/<name>\"")
}

/// docker: a container whose start fails (its host port is taken) stays
/// `Created`, says why in `State.Error`, and starts once the port is free;
/// `run -d` prints its id first. With `--rm` it goes.
#[test]
fn a_container_whose_start_fails_stays_created() {
    let ns = Ns::new("model-start-fails");
    let img = ns.pull("busybox");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let publish = format!("127.0.0.1:{port}:80");
    let out = ns.berth(&[
        "run", "-d", "--name", "clash", "-p", &publish, &img, "sleep", "300",
    ]);
    out.code(125);
    assert_eq!(out.stdout.trim().len(), 64, "{}", out.stdout);
    assert!(
        out.stderr
            .starts_with("berth: Error response from daemon: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("\n\nRun 'berth run --help' for more information\n")
    );
    let status = |name: &str| {
        ns.berth(&[
            "ps",
            "-a",
            "--filter",
            &format!("name=^{name}$"),
            "--format",
            "{{.Status}}",
        ])
        .ok()
        .to_string()
    };
    assert_eq!(status("clash"), "Created\n");
    let error = ns
        .berth(&["inspect", "-f", "{{.State.Error}}", "clash"])
        .ok()
        .to_string();
    assert!(error.contains(&port.to_string()), "{error}");
    ns.berth(&["run", "--name", "clash2", "-p", &publish, &img, "true"])
        .code(125);
    assert_eq!(status("clash2"), "Created\n");
    let gone = ns.berth(&[
        "run", "-d", "--rm", "--name", "clash3", "-p", &publish, &img, "true",
    ]);
    gone.code(125);
    assert_eq!(status("clash3"), "");
    drop(taken);
    assert_eq!(ns.berth(&["start", "clash"]).ok(), "clash\n");
    assert!(status("clash").starts_with("Up"));
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.State.Error}}", "clash"])
            .ok(),
        "\n"
    );
    ns.berth(&["rm", "-f", "clash", "clash2"]).ok();
}

/// docker: a start that fails releases what it took (the address, the
/// host port), and another container's network is joined only while that
/// container runs.
#[test]
fn a_failed_start_holds_no_port_and_a_network_is_joined_only_while_it_runs() {
    let ns = Ns::new("model-start-releases");
    let img = ns.pull("busybox");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let publish = format!("127.0.0.1:{port}:80");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "broken",
        "-p",
        &publish,
        &img,
        "/no/such/binary",
    ])
    .code(127);
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.State.Status}}", "broken"])
            .ok(),
        "created\n"
    );
    ns.berth(&[
        "run", "-d", "--name", "works", "-p", &publish, &img, "sleep", "300",
    ])
    .ok();

    ns.berth(&["create", "--name", "idle", &img, "sleep", "300"])
        .ok();
    let out = ns.berth(&["run", "--rm", "--network", "container:idle", &img, "true"]);
    out.code(125);
    assert!(
        out.stderr.starts_with(
            "berth: Error response from daemon: cannot join network of a non running container: idle\n"
        ),
        "{}",
        out.stderr
    );
    ns.berth(&["start", "idle"]).ok();
    ns.berth(&["run", "--rm", "--network", "container:idle", &img, "true"])
        .ok();
    ns.berth(&["rm", "-f", "broken", "works", "idle"]).ok();
}

/// A named volume over /etc comes first: the container's own hostname,
/// hosts and resolv.conf are mounted over it (docker orders mounts parents
/// first).
#[test]
fn a_volume_over_etc_keeps_the_containers_own_files() {
    let ns = Ns::new("model-etc");
    let img = ns.pull("busybox");
    let out = ns
        .run_sh(
            &["-v", "etcvol:/etc", "--hostname", "box"],
            &img,
            "cat /etc/hostname; tail -n 1 /etc/hosts; grep -c nameserver /etc/resolv.conf",
        )
        .ok()
        .to_string();
    assert_eq!(out, "box\n127.0.0.1\tbox\n1\n");
}

/// docker's sysctls for a private network namespace; the host's own on the
/// host network.
#[test]
fn private_networks_get_dockers_default_sysctls() {
    let ns = Ns::new("model-sysctls");
    let img = ns.pull("busybox");
    let read =
        "cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range";
    for net in ["bridge", "none"] {
        let out = ns.berth(&["run", "--rm", "--network", net, &img, "sh", "-c", read]);
        assert_eq!(out.ok(), "0\n0\t2147483647\n", "--network {net}");
    }
    let host = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start").unwrap();
    let out = ns.berth(&["run", "--rm", "--network", "host", &img, "sh", "-c", read]);
    assert!(out.ok().starts_with(&host), "{}", out.stdout);
}

/// What docker's CLI and daemon refuse, in their words, whole.
#[test]
fn refusals_in_dockers_words() {
    let ns = Ns::new("model-words");
    let img = ns.pull("busybox");
    let run = |args: &[&str]| {
        let mut all = vec!["run", "--rm"];
        all.extend_from_slice(args);
        all.extend_from_slice(&[&img, "true"]);
        let out = ns.berth(&all);
        out.code(125);
        out.stderr
    };
    let help = "\n\nRun 'berth run --help' for more information\n";
    assert_eq!(
        run(&["-v", ":/x"]),
        format!("berth: invalid spec: :/x: empty section between colons{help}")
    );
    assert_eq!(
        run(&["-p", "99999:80"]),
        format!("berth: invalid hostPort: 99999{help}")
    );
    assert_eq!(
        run(&["-m", "bogus"]),
        format!(
            "invalid argument \"bogus\" for \"-m, --memory\" flag: invalid size: 'bogus'\n\n\
             Usage:  berth run [OPTIONS] <IMAGE> [COMMAND]...{help}"
        )
    );
    let cpus = berth::container::config::resources::host_cpus();
    assert_eq!(
        run(&["--cpus", "99"]),
        format!(
            "berth: Error response from daemon: Range of CPUs is from 0.01 to {cpus}.00, \
             as there are only {cpus} CPUs available{help}"
        )
    );
    assert_eq!(
        run(&["--mount", "type=bind,src=/nonexistent-xyz,dst=/x"]),
        format!(
            "berth: Error response from daemon: invalid mount config for type \"bind\": \
             bind source path does not exist: /nonexistent-xyz{help}"
        )
    );
    let out = ns.berth(&["run", "--rm", "--entrypoint", "", &img]);
    out.code(125);
    assert_eq!(
        out.stderr,
        format!("berth: Error response from daemon: No command specified{help}")
    );
    // create: the daemon's answer is exit 1, without the help line.
    let out = ns.berth(&["create", "--entrypoint", "", &img]);
    out.code(1);
    assert_eq!(
        out.stderr,
        "Error response from daemon: No command specified\n"
    );
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}

/// docker's environment: PATH, HOSTNAME, the user's in order, the image's
/// others; `Config.Env` the user's first.
#[test]
fn environment_in_dockers_order() {
    let ns = Ns::new("model-env");
    let web = web_image(&ns);
    let out = ns.berth(&["run", "--rm", "-e", "FOO=user", "-e", "NEW=1", &web, "env"]);
    let lines: Vec<&str> = out
        .ok()
        .lines()
        .filter(|l| !l.starts_with("HOSTNAME="))
        .collect();
    assert_eq!(
        lines,
        [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "FOO=user",
            "NEW=1",
            "BAR=image",
            "HOME=/root"
        ]
    );
    ns.berth(&[
        "create", "--name", "envc", "-e", "FOO=user", "-e", "NEW=1", &web,
    ])
    .ok();
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{json .Config.Env}}", "envc"])
            .ok(),
        "[\"FOO=user\",\"NEW=1\",\"BAR=image\"]\n"
    );
}

/// `container prune` counts what the containers wrote, as docker: nothing
/// for one that never started, the file sizes for one that wrote.
#[test]
fn prune_reports_what_the_containers_wrote() {
    let ns = Ns::new("model-prune");
    let img = ns.pull("busybox");
    let never = ns.berth(&["create", &img, "true"]).ok().trim().to_string();
    assert_eq!(
        ns.berth(&["container", "prune", "-f"]).ok(),
        format!("Deleted Containers:\n{never}\n\nTotal reclaimed space: 0B\n")
    );
    ns.berth(&[
        "run",
        "--name",
        "wrote",
        &img,
        "sh",
        "-c",
        "dd if=/dev/zero of=/f bs=1k count=100 2>/dev/null",
    ])
    .ok();
    let id = ns
        .berth(&["inspect", "-f", "{{.Id}}", "wrote"])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        ns.berth(&["container", "prune", "-f"]).ok(),
        format!("Deleted Containers:\n{id}\n\nTotal reclaimed space: 102.4kB\n")
    );
    assert_eq!(
        ns.berth(&["container", "prune", "-f"]).ok(),
        "Total reclaimed space: 0B\n"
    );
}

/// Warnings are docker's plain lines on a pipe: no colour, no time, no level
/// word of a log.
#[test]
fn warnings_are_plain_text_in_a_pipe() {
    let ns = Ns::new("model-warning");
    let img = ns.pull("busybox");
    let out = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "host",
        "-p",
        "80:80",
        &img,
        "true",
    ]);
    out.ok();
    assert_eq!(
        out.stderr,
        "WARNING: Published ports are discarded when using host network mode\n"
    );
}

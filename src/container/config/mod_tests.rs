use clap::Parser;
use serde_json::{Value, json};

use super::*;

#[derive(Parser)]
#[command(disable_help_flag = true)]
struct Run {
    #[command(flatten)]
    flags: ContainerFlags,
}

fn request(args: &[&str]) -> Result<CreateRequest> {
    let flags = Run::try_parse_from(std::iter::once(&"run").chain(args))
        .map_err(|e| Error::invalid(e.to_string()))?
        .flags;
    flags.to_request(Attach::default())
}

/// The `web:1` image docker's recording used.
fn web() -> ContainerConfig {
    serde_json::from_value(
        json!({"ExposedPorts": {"80/tcp": {}}, "Env": ["FOO=image", "BAR=image"],
        "Cmd": ["httpd", "-f", "-p", "80"], "Volumes": {"/data": {}}}),
    )
    .unwrap()
}

/// The request as docker's daemon keeps it: checked, merged, defaults.
fn created(args: &[&str], image: &ContainerConfig) -> CreateRequest {
    let mut req = request(args).unwrap();
    check(&mut req).unwrap();
    merge(&mut req, image);
    defaults(&mut req.host_config);
    req
}

/// `docker create` with every flag of tests/it/fixtures/docker/README.md:
/// berth's `HostConfig` and `Config` are docker's, key by key, value by
/// value (bar the two values berth calls its own, and docker 20.10's
/// fields docker 28 dropped).
#[test]
fn every_flag_lands_where_dockers_cli_and_daemon_put_it() {
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../tests/it/fixtures/docker/inspect-full.json"
    ))
    .unwrap();
    let bind = std::env::temp_dir().join("berth-unit-bind");
    std::fs::create_dir_all(&bind).unwrap();
    let bind_arg = format!("{}:/bind:ro", bind.display());
    let flags = include_str!("../../../tests/it/fixtures/docker/full-flags.txt")
        .replace("BIND", &bind.display().to_string());
    let args: Vec<&str> = flags.lines().collect();
    let req = created(&args, &web());
    let mut docker_host = fixture["HostConfig"].clone();
    let h = docker_host.as_object_mut().unwrap();
    for gone in ["KernelMemory", "KernelMemoryTCP"] {
        h.remove(gone);
    }
    h["Binds"][0] = json!(bind_arg);
    h["NetworkMode"] = json!("bridge");
    h["Runtime"] = json!(crate::client::DEFAULT_RUNTIME);
    h["MaskedPaths"] = json!(security::MASKED_PATHS);
    let ours = serde_json::to_value(&req.host_config).unwrap();
    for (k, v) in h.iter() {
        assert_eq!(&ours[k], v, "HostConfig.{k}");
    }
    assert_eq!(ours.as_object().unwrap().len(), h.len(), "{ours:#}");
    let ours = serde_json::to_value(&req.config).unwrap();
    assert_eq!(ours, fixture["Config"]);
}

/// What docker's CLI sends with no flags, after its daemon's defaults.
#[test]
fn no_flags_as_docker_has_them() {
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../tests/it/fixtures/docker/inspect-plain.json"
    ))
    .unwrap();
    let busybox: ContainerConfig = serde_json::from_value(json!({"Cmd": ["sh"]})).unwrap();
    let mut req = created(&["--cgroupns", "host", "busybox", "sleep", "1"], &busybox);
    req.config.hostname = fixture["Config"]["Hostname"].as_str().unwrap().into();
    let mut docker_host = fixture["HostConfig"].clone();
    let h = docker_host.as_object_mut().unwrap();
    for gone in ["KernelMemory", "KernelMemoryTCP"] {
        h.remove(gone);
    }
    h["NetworkMode"] = json!("bridge");
    h["Runtime"] = json!(crate::client::DEFAULT_RUNTIME);
    h["MaskedPaths"] = json!(security::MASKED_PATHS);
    let ours = serde_json::to_value(&req.host_config).unwrap();
    assert_eq!(&ours, &docker_host);
    assert_eq!(
        serde_json::to_value(&req.config).unwrap(),
        fixture["Config"]
    );
}

/// The Engine API's create body and the flags are one thing: the JSON of
/// a request made from flags reads back as the same request.
#[test]
fn flags_and_their_json_make_the_same_request() {
    let args = [
        "-p",
        "8080:80",
        "-v",
        "data:/data",
        "--mount",
        "type=tmpfs,dst=/t",
        "--restart",
        "always",
        "-m",
        "64m",
        "--cap-add",
        "NET_ADMIN",
        "--network-alias",
        "web",
        "--network",
        "app",
        "--ipc",
        "shareable",
        "--device-read-bps",
        "/dev/sda:1mb",
        "busybox",
        "true",
    ];
    let req = request(&args).unwrap();
    let body = serde_json::to_vec(&req).unwrap();
    let back = CreateRequest::from_json(&body).unwrap();
    assert_eq!(back, CreateRequest { name: None, ..req });
}

#[test]
fn what_dockers_cli_refuses_is_marked_as_the_clis() {
    let cli = |args: &[&str]| {
        let e = request(args).unwrap_err();
        assert!(e.is_cli(), "{}", e.message());
        e.message().to_string()
    };
    assert_eq!(
        cli(&["-v", ":/x", "b"]),
        "invalid spec: :/x: empty section between colons"
    );
    assert_eq!(cli(&["-p", "99999:80", "b"]), "invalid hostPort: 99999");
    assert_eq!(cli(&["--pid", "bogus", "b"]), "--pid: invalid PID mode");
    assert_eq!(
        cli(&["--rm", "--restart", "bogus", "b"]),
        "conflicting options: cannot specify both --restart and --rm"
    );
    // docker's daemon says these: plain errors.
    let daemon = |args: &[&str]| {
        let mut r = request(args)?;
        check(&mut r)?;
        mounts::entries(&r.config, &r.host_config).map(drop)
    };
    let e = daemon(&["--ipc", "bogus", "b"]).unwrap_err();
    assert!(!e.is_cli() && e.message() == "invalid IPC mode: bogus");
    let e = daemon(&["--cpus", "99", "b"]).unwrap_err();
    assert!(!e.is_cli() && e.message().starts_with("Range of CPUs is from 0.01 to "));
    let e = daemon(&["-w", "rel", "b"]).unwrap_err();
    assert_eq!(
        e.message(),
        "the working directory 'rel' is invalid, it needs to be an absolute path"
    );
    let e = daemon(&["--stop-signal", "NOPE", "b"]).unwrap_err();
    assert!(!e.is_cli());
    let e = daemon(&["--mount", "type=bind,src=/nonexistent-xyz,dst=/x", "b"]).unwrap_err();
    assert_eq!(
        e.message(),
        "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-xyz"
    );
}

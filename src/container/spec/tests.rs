use clap::Parser;

use super::*;
use crate::container::config::process::tests::image;
use crate::container::config::{Attach, ContainerFlags};
use crate::container::model::MountKind;

#[derive(Parser)]
#[command(disable_help_flag = true)]
struct Run {
    #[command(flatten)]
    flags: ContainerFlags,
}

/// `run FLAGS img COMMAND` as creation sees it: the request merged with
/// the image, docker's defaults filled (cgroupns pinned: the default
/// depends on the host).
fn config(args: &[&str], console: Option<(u16, u16)>) -> (Config, HostConfig) {
    let argv = ["run", "--cgroupns", "host"].iter().chain(args);
    let flags = Run::try_parse_from(argv).unwrap().flags;
    let mut req = flags
        .to_request(Attach {
            detached: false,
            console_size: console,
        })
        .unwrap();
    config::check(&mut req).unwrap();
    config::merge(&mut req, &image());
    config::defaults(&mut req.host_config);
    if req.config.hostname.is_empty() {
        req.config.hostname = "0123456789ab".into();
    }
    (req.config, req.host_config)
}

fn root() -> ResolvedUser {
    ResolvedUser {
        uid: 0,
        gid: 0,
        additional_gids: vec![10],
    }
}

/// docker's defaults without a seccomp profile (its own tests cover it).
fn docker_defaults() -> &'static Resolved {
    static R: std::sync::OnceLock<Resolved> = std::sync::OnceLock::new();
    R.get_or_init(|| Resolved {
        security: crate::container::config::security::Security {
            caps: crate::container::config::security::DEFAULT_CAPS
                .iter()
                .map(|c| c.to_string())
                .collect(),
            ..Default::default()
        },
        ..Default::default()
    })
}

fn ctx<'a>(user: &'a ResolvedUser, mounts: &'a [MountEntry]) -> SpecContext<'a> {
    static JOINED: std::sync::OnceLock<Joined> = std::sync::OnceLock::new();
    SpecContext {
        id: "0123456789abcdef",
        namespace: "default",
        user,
        etc_dir: Path::new("/var/lib/berth/default/containers/0123456789abcdef"),
        mounts,
        netns: None,
        resolved: docker_defaults(),
        joined: JOINED.get_or_init(Joined::default),
        linked_env: &[],
    }
}

fn spec_of(args: &[&str]) -> serde_json::Value {
    let (c, h) = config(args, None);
    let user = root();
    let mounts = config::mounts::entries(&c, &h).unwrap();
    to_json(&build(&c, &h, &ctx(&user, &mounts)).unwrap()).unwrap()
}

#[test]
fn default_spec_snapshot() {
    let (c, h) = config(&["-t", "-e", "A=b", "img", "echo", "hi"], Some((120, 40)));
    let user = ResolvedUser {
        uid: 1000,
        gid: 1000,
        additional_gids: vec![1001],
    };
    let v = to_json(&build(&c, &h, &ctx(&user, &[])).unwrap()).unwrap();
    insta::assert_json_snapshot!(v);
}

#[test]
fn workdir_comes_from_the_flag_the_image_or_root() {
    assert_eq!(spec_of(&["img"])["process"]["cwd"], "/data");
    assert_eq!(spec_of(&["-w", "/w", "img"])["process"]["cwd"], "/w");
    let (mut c, h) = config(&["img"], None);
    c.working_dir.clear();
    let user = root();
    let v = to_json(&build(&c, &h, &ctx(&user, &[])).unwrap()).unwrap();
    assert_eq!(v["process"]["cwd"], "/");
}

#[test]
fn host_network_shares_the_namespace_and_private_ones_get_dockers_sysctls() {
    let ns = |v: &serde_json::Value| -> Vec<String> {
        v["linux"]["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["type"].as_str().unwrap().to_string())
            .collect()
    };
    let host = spec_of(&["--network", "host", "img"]);
    assert!(!ns(&host).contains(&"network".to_string()));
    assert!(host["linux"]["sysctl"].is_null());
    for net in ["bridge", "none"] {
        let v = spec_of(&["--network", net, "img"]);
        assert!(ns(&v).contains(&"network".to_string()));
        assert_eq!(
            v["linux"]["sysctl"],
            serde_json::json!({"net.ipv4.ip_unprivileged_port_start": "0",
                "net.ipv4.ping_group_range": "0 2147483647"})
        );
    }
    // The user's own value wins.
    let own = spec_of(&[
        "--sysctl",
        "net.ipv4.ip_unprivileged_port_start=1024",
        "img",
    ]);
    assert_eq!(
        own["linux"]["sysctl"]["net.ipv4.ip_unprivileged_port_start"],
        "1024"
    );
}

#[test]
fn etc_files_are_bound_from_the_container_directory() {
    let v = spec_of(&["img"]);
    let binds: Vec<(&str, &str)> = v["mounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "bind")
        .map(|m| {
            (
                m["destination"].as_str().unwrap(),
                m["source"].as_str().unwrap(),
            )
        })
        .collect();
    let dir = "/var/lib/berth/default/containers/0123456789abcdef";
    assert_eq!(
        binds,
        [
            ("/etc/resolv.conf", format!("{dir}/resolv.conf").as_str()),
            ("/etc/hostname", format!("{dir}/hostname").as_str()),
            ("/etc/hosts", format!("{dir}/hosts").as_str()),
        ]
    );
}

/// docker orders mounts parents first: a volume over /etc must not hide
/// the container's own /etc/hosts, hostname and resolv.conf.
#[test]
fn a_volume_over_etc_mounts_before_the_etc_files() {
    let (c, h) = config(&["-v", "etcvol:/etc", "img"], None);
    let mut mounts = config::mounts::entries(&c, &h).unwrap();
    mounts[0].source = "/v/etcvol/_data".into();
    assert_eq!(mounts[0].kind, MountKind::Volume);
    let user = root();
    let v = to_json(&build(&c, &h, &ctx(&user, &mounts)).unwrap()).unwrap();
    let dests: Vec<&str> = v["mounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["destination"].as_str().unwrap())
        .collect();
    let at = |d: &str| dests.iter().position(|x| *x == d).unwrap();
    assert!(at("/etc") < at("/etc/hosts") && at("/etc") < at("/etc/resolv.conf"));
    assert!(at("/etc") < at("/etc/hostname"));
}

#[test]
fn binds_follow_the_defaults_and_replace_one_they_cover() {
    let (c, h) = config(
        &[
            "--read-only",
            "-v",
            "/srv/ws:/ws:rw,z",
            "-v",
            "/srv/h:/etc/hosts:ro",
            "img",
        ],
        None,
    );
    let binds = config::mounts::entries(&c, &h).unwrap();
    let user = root();
    let v = to_json(&build(&c, &h, &ctx(&user, &binds)).unwrap()).unwrap();
    assert_eq!(v["root"]["readonly"], true);
    let mounts = v["mounts"].as_array().unwrap();
    let dests: Vec<&str> = mounts
        .iter()
        .map(|m| m["destination"].as_str().unwrap())
        .collect();
    assert_eq!(dests.iter().filter(|d| **d == "/etc/hosts").count(), 1);
    let by_dest = |d: &str| {
        mounts
            .iter()
            .find(|m| m["destination"] == d)
            .unwrap()
            .clone()
    };
    assert_eq!(by_dest("/etc/hosts")["source"], "/srv/h");
    assert_eq!(
        by_dest("/ws")["options"],
        serde_json::json!(["rbind", "rprivate"])
    );
    // --read-only makes the /etc files berth writes read-only too.
    assert_eq!(
        by_dest("/etc/hostname")["options"],
        serde_json::json!(["rbind", "rprivate", "ro"])
    );
}

#[test]
fn unconfined_system_paths_have_no_masks() {
    let masked = spec_of(&["img"]);
    assert!(masked["linux"]["maskedPaths"].as_array().unwrap().len() > 5);
    let open = spec_of(&["--security-opt", "systempaths=unconfined", "img"]);
    assert!(open["linux"]["maskedPaths"].is_null() && open["linux"]["readonlyPaths"].is_null());
    let privileged = spec_of(&["--privileged", "img"]);
    assert!(privileged["linux"]["maskedPaths"].is_null());
}

/// docker's CLI sends `systempaths=unconfined` as empty path lists (not
/// as a security option); its daemon leaves a privileged container's
/// lists out (`null` in inspect).
#[test]
fn system_paths_in_the_configuration_as_docker_keeps_them() {
    let host = |args: &[&str]| config(args, None).1;
    let h = host(&["--security-opt", "systempaths=unconfined", "img"]);
    assert_eq!(h.masked_paths, Some(vec![]));
    assert_eq!(h.readonly_paths, Some(vec![]));
    assert_eq!(h.security_opt, None);
    let h = host(&["--privileged", "img"]);
    assert_eq!((h.masked_paths, h.readonly_paths), (None, None));
}

use super::*;

fn image() -> ContainerConfig {
    ContainerConfig {
        env: vec![
            "PATH=/custom/bin:/bin".into(),
            "IMG=1".into(),
            "SHARED=image".into(),
        ],
        entrypoint: vec!["/entry.sh".into()],
        cmd: vec!["default".into(), "args".into()],
        working_dir: Some("/data".into()),
        ..Default::default()
    }
}

fn root() -> ResolvedUser {
    ResolvedUser {
        uid: 0,
        gid: 0,
        additional_gids: vec![10],
    }
}

fn ctx<'a>(image: &'a ContainerConfig, user: &'a ResolvedUser) -> SpecContext<'a> {
    SpecContext {
        id: "0123456789abcdef",
        namespace: "default",
        image,
        user,
        hostname: "0123456789ab",
        etc_dir: Path::new("/var/lib/berth/default/containers/0123456789abcdef"),
        mounts: &[],
        netns: None,
        extras: docker_defaults(),
    }
}

/// docker's defaults without a seccomp profile (its own tests cover it).
fn docker_defaults() -> &'static Extras {
    static EXTRAS: std::sync::OnceLock<Extras> = std::sync::OnceLock::new();
    EXTRAS.get_or_init(|| Extras {
        security: crate::container::security::Security {
            caps: crate::container::security::DEFAULT_CAPS
                .iter()
                .map(|c| c.to_string())
                .collect(),
            ..Default::default()
        },
        ..Default::default()
    })
}

fn opts(command: &[&str]) -> ContainerOptions {
    ContainerOptions {
        image_and_command: std::iter::once("img")
            .chain(command.iter().copied())
            .map(String::from)
            .collect(),
        ..Default::default()
    }
}

#[test]
fn args_follow_docker_merge_rules() {
    let img = image();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        process_args(&img, &[], None).unwrap(),
        s(&["/entry.sh", "default", "args"])
    );
    assert_eq!(
        process_args(&img, &s(&["x"]), None).unwrap(),
        s(&["/entry.sh", "x"])
    );
    // A new entrypoint drops the image's CMD.
    assert_eq!(
        process_args(&img, &[], Some("/bin/sh")).unwrap(),
        s(&["/bin/sh"])
    );
    assert_eq!(
        process_args(&img, &s(&["-c", "id"]), Some("/bin/sh")).unwrap(),
        s(&["/bin/sh", "-c", "id"])
    );
    // An empty entrypoint clears it but keeps CMD.
    assert_eq!(
        process_args(&img, &[], Some("")).unwrap(),
        s(&["default", "args"])
    );
    let bare = ContainerConfig::default();
    assert_eq!(
        process_args(&bare, &[], None).unwrap_err().message(),
        "No command specified"
    );
}

#[test]
fn environment_order_and_overrides() {
    let img = image();
    let user = vec!["SHARED=user".to_string(), "NEW=2".to_string()];
    let env = environment(&img, &user, "host1", true);
    assert_eq!(
        env,
        vec![
            "PATH=/custom/bin:/bin",
            "HOSTNAME=host1",
            "TERM=xterm",
            "IMG=1",
            "SHARED=user",
            "NEW=2"
        ]
    );
    let env = environment(&ContainerConfig::default(), &[], "h", false);
    assert_eq!(
        env,
        vec![format!("PATH={DEFAULT_PATH}"), "HOSTNAME=h".to_string()]
    );
}

#[test]
fn workdir_rules() {
    let img = image();
    let user = root();
    let spec = build(&opts(&[]), &ctx(&img, &user)).unwrap();
    assert_eq!(
        spec.process().as_ref().unwrap().cwd().to_str(),
        Some("/data")
    );
    let mut o = opts(&[]);
    o.workdir = Some("/w".into());
    assert_eq!(
        build(&o, &ctx(&img, &user))
            .unwrap()
            .process()
            .as_ref()
            .unwrap()
            .cwd()
            .to_str(),
        Some("/w")
    );
    o.workdir = Some("rel".into());
    assert_eq!(
        build(&o, &ctx(&img, &user)).unwrap_err().message(),
        "the working directory 'rel' is invalid, it needs to be an absolute path"
    );
    let bare = ContainerConfig {
        cmd: vec!["sh".into()],
        ..Default::default()
    };
    assert_eq!(
        build(&opts(&[]), &ctx(&bare, &user))
            .unwrap()
            .process()
            .as_ref()
            .unwrap()
            .cwd()
            .to_str(),
        Some("/")
    );
}

#[test]
fn host_network_shares_the_namespace() {
    let img = image();
    let user = root();
    let mut o = opts(&[]);
    o.network = NetworkMode::Host;
    let v = to_json(&build(&o, &ctx(&img, &user)).unwrap()).unwrap();
    let ns: Vec<&str> = v["linux"]["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert!(!ns.contains(&"network"), "{ns:?}");
}

#[test]
fn etc_files_are_bound_from_the_container_directory() {
    let img = image();
    let user = root();
    let v = to_json(&build(&opts(&[]), &ctx(&img, &user)).unwrap()).unwrap();
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

#[test]
fn default_spec_snapshot() {
    let img = image();
    let user = ResolvedUser {
        uid: 1000,
        gid: 1000,
        additional_gids: vec![1001],
    };
    let mut o = opts(&["echo", "hi"]);
    o.env = vec!["A=b".to_string()];
    o.tty = true;
    o.console_size = Some((120, 40));
    let v = to_json(&build(&o, &ctx(&img, &user)).unwrap()).unwrap();
    insta::assert_json_snapshot!(v);
}

#[test]
fn binds_follow_the_defaults_and_replace_one_they_cover() {
    let img = image();
    let user = root();
    let binds = crate::container::mounts::MountFlags {
        volume: vec!["/srv/ws:/ws:rw,z".into(), "/srv/h:/etc/hosts:ro".into()],
        ..Default::default()
    }
    .parse(Path::new("/"))
    .unwrap();
    let mut o = opts(&[]);
    o.read_only = true;
    let c = SpecContext {
        mounts: &binds,
        ..ctx(&img, &user)
    };
    let v = to_json(&build(&o, &c).unwrap()).unwrap();
    assert_eq!(v["root"]["readonly"], true);
    let mounts = v["mounts"].as_array().unwrap();
    let dests: Vec<&str> = mounts
        .iter()
        .map(|m| m["destination"].as_str().unwrap())
        .collect();
    assert_eq!(dests.iter().filter(|d| **d == "/etc/hosts").count(), 1);
    assert_eq!(&dests[dests.len() - 2..], ["/ws", "/etc/hosts"]);
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

use super::*;

fn request(f: MountFlags) -> Result<CreateRequest> {
    let mut r = CreateRequest::default();
    f.apply(&mut r, Path::new("/work"))?;
    Ok(r)
}

fn entries_of(f: MountFlags) -> Result<Vec<MountEntry>> {
    let r = request(f)?;
    entries(&r.config, &r.host_config)
}

#[test]
fn parents_mount_before_children() {
    let flags = MountFlags {
        volume: vec!["/a:/x/y/z".into(), "/b:/x".into(), "/c:/x/y".into()],
        ..Default::default()
    };
    let mut all = entries_of(flags).unwrap();
    sort_for_mounting(&mut all, |m| Path::new(&m.destination));
    let dests: Vec<&str> = all.iter().map(|b| b.destination.as_str()).collect();
    assert_eq!(dests, ["/x", "/x/y", "/x/y/z"]);
    let dup = MountFlags {
        volume: vec!["/a:/x".into(), "/b:/x/".into()],
        ..Default::default()
    };
    assert_eq!(
        entries_of(dup).unwrap_err().message(),
        "Duplicate mount point: /x"
    );
}

#[test]
fn volume_flags_as_dockers_cli_sends_them() {
    let r = request(MountFlags {
        volume: vec![
            "/h:/bind:ro".into(),
            "named:/named".into(),
            "/anon".into(),
            "./src:/src:ro".into(),
        ],
        tmpfs: vec!["/run:size=1m".into()],
        read_only: true,
        ..Default::default()
    })
    .unwrap();
    let h = &r.host_config;
    assert_eq!(
        h.binds.as_deref().unwrap(),
        ["/h:/bind:ro", "named:/named", "/work/src:/src:ro"]
    );
    assert_eq!(
        serde_json::to_value(&r.config.volumes).unwrap(),
        serde_json::json!({"/anon": {}})
    );
    assert_eq!(h.tmpfs["/run"], "size=1m");
    assert!(h.readonly_rootfs && h.volumes_from.is_none());
    let e = |s: &str| {
        request(MountFlags {
            volume: vec![s.into()],
            ..Default::default()
        })
        .unwrap_err()
    };
    let empty = e(":/x");
    assert!(empty.is_cli());
    assert_eq!(
        empty.message(),
        "invalid spec: :/x: empty section between colons"
    );
    assert_eq!(
        e("/a:/b:c:d").message(),
        "invalid spec: /a:/b:c:d: too many colons"
    );
}

#[test]
fn binds_checked_like_dockers_daemon() {
    let v = parse_bind("data:/srv/data:ro,nocopy").unwrap();
    assert_eq!(
        (v.kind, v.name.as_str(), v.destination.as_str()),
        (MountKind::Volume, "data", "/srv/data")
    );
    assert!(v.read_only && v.nocopy && !v.anonymous);
    assert_eq!(parse_bind("named:/n").unwrap().mode, "z");
    let b = parse_bind("/h:/c:ro").unwrap();
    assert_eq!((b.kind, b.source.as_str()), (MountKind::Bind, "/h"));
    assert!(parse_bind("data").is_err());
    assert!(parse_bind("d:relative").is_err());
    assert!(parse_bind("x!y:/d").is_err());
    // The daemon takes a relative source for a volume name, and refuses it.
    assert!(
        parse_bind("./x:/x")
            .unwrap_err()
            .message()
            .contains("If you intended to pass a host directory, use absolute path")
    );
    assert_eq!(
        parse_bind("data:/d:bogus").unwrap_err().message(),
        "invalid mode: bogus"
    );
    assert_eq!(
        parse_bind("/a:/b:bogus").unwrap_err().message(),
        "invalid mode: bogus"
    );
    // Anonymous volumes: docker's Mode is "".
    let anon = entries_of(MountFlags {
        volume: vec!["/cache".into()],
        ..Default::default()
    })
    .unwrap();
    assert!(anon[0].anonymous && anon[0].mode.is_empty() && anon[0].kind == MountKind::Volume);
}

#[test]
fn mount_flags_like_docker() {
    let m = parse_mount_flag("type=volume,source=data,target=/d,readonly,volume-nocopy").unwrap();
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        serde_json::json!({"Type": "volume", "Source": "data", "Target": "/d", "ReadOnly": true,
            "VolumeOptions": {"NoCopy": true, "DriverConfig": {}}})
    );
    let e = from_mount(&m).unwrap();
    assert_eq!(
        (e.kind, e.name.as_str(), e.destination.as_str()),
        (MountKind::Volume, "data", "/d")
    );
    assert!(e.read_only && e.nocopy);
    let t = parse_mount_flag("type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770").unwrap();
    assert_eq!(
        from_mount(&t).unwrap().options,
        ["size=1048576", "mode=1770"]
    );
    let b = parse_mount_flag("type=bind,src=/tmp,dst=/h,bind-propagation=rslave").unwrap();
    let be = from_mount(&b).unwrap();
    assert_eq!(
        (be.source.as_str(), be.propagation.as_str()),
        ("/tmp", "rslave")
    );
    let missing = parse_mount_flag("type=bind,src=/nonexistent-x,dst=/h").unwrap();
    assert_eq!(
        from_mount(&missing).unwrap_err().message(),
        "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-x"
    );
    assert!(
        parse_mount_flag("type=volume,src=v")
            .unwrap_err()
            .message()
            .contains("target is required")
    );
    assert!(parse_mount_flag("type=nfs,dst=/x").is_err());
    assert!(parse_mount_flag("type=volume,dst=/x,bogus=1").is_err());
    assert!(
        from_mount(&parse_mount_flag("target=/x").unwrap())
            .unwrap()
            .anonymous
    );
}

#[test]
fn tmpfs_and_spec_mounts() {
    let t = parse_tmpfs("/run", "size=64k,mode=1777").unwrap();
    let m = serde_json::to_value(spec_mount(&t).unwrap()).unwrap();
    assert_eq!(
        m,
        serde_json::json!({"destination": "/run", "type": "tmpfs", "source": "tmpfs",
        "options": ["noexec", "nosuid", "nodev", "size=64k", "mode=1777"]})
    );
    assert_eq!(
        parse_tmpfs("rel", "").unwrap_err().message(),
        "invalid mount path: 'rel' mount path must be absolute"
    );
    let both = MountFlags {
        volume: vec!["ab:/x".into()],
        tmpfs: vec!["/x".into()],
        ..Default::default()
    };
    assert_eq!(
        entries_of(both).unwrap_err().message(),
        "Duplicate mount point: /x"
    );
    assert_eq!(
        parse_volumes_from("web:ro").unwrap(),
        ("web".into(), Some(true))
    );
    assert!(parse_volumes_from("web:rx").is_err());
}

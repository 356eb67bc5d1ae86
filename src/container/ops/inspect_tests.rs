use super::*;
use crate::container::model::{MountEntry, MountKind};
use crate::container::store::record::ContainerRecord;

fn row(stored: Option<Stored>) -> ContainerRow {
    let mut c = containerd_client::services::v1::Container {
        id: "a".repeat(64),
        snapshotter: "overlayfs".into(),
        created_at: Some(prost_types::Timestamp {
            seconds: 1_704_067_200,
            nanos: 0,
        }),
        ..Default::default()
    };
    c.labels
        .insert(crate::container::store::labels::NAME.into(), "web".into());
    if let Some(s) = &stored {
        c.extensions.insert(
            crate::container::model::stored::EXTENSION.into(),
            s.to_any(),
        );
    }
    let mut record = ContainerRecord::from(&c);
    record.args = vec!["sleep".into(), "300".into()];
    ContainerRow {
        record,
        state: State::Created,
        pid: 0,
        health: None,
    }
}

#[test]
fn docker_shape_and_order() {
    let mut s = Stored::default();
    s.config.image = "busybox".into();
    s.config.cmd = Some(vec!["sleep".into(), "300".into()]);
    s.host_config.tmpfs.insert("/run".into(), "size=1m".into());
    s.mounts = vec![
        MountEntry {
            source: "/h".into(),
            destination: "/c".into(),
            ..Default::default()
        },
        MountEntry {
            kind: MountKind::Tmpfs,
            destination: "/run".into(),
            ..Default::default()
        },
    ];
    let doc = serde_json::to_value(document(&row(Some(s)), Path::new("/d"), "overlayfs")).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "Id",
            "Created",
            "Path",
            "Args",
            "State",
            "Image",
            "ResolvConfPath",
            "HostnamePath",
            "HostsPath",
            "LogPath",
            "Name",
            "RestartCount",
            "Driver",
            "Platform",
            "MountLabel",
            "ProcessLabel",
            "AppArmorProfile",
            "ExecIDs",
            "HostConfig",
            "GraphDriver",
            "Mounts",
            "Config",
            "NetworkSettings"
        ]
    );
    assert_eq!(doc["Name"], "/web");
    assert_eq!(doc["Created"], "2024-01-01T00:00:00Z");
    assert_eq!(doc["State"]["StartedAt"], ZERO_TIME);
    assert_eq!(doc["Args"], serde_json::json!(["300"]));
    assert_eq!(doc["Config"]["Entrypoint"], serde_json::Value::Null);
    assert_eq!(doc["HostConfig"]["RestartPolicy"]["Name"], "no");
    assert_eq!(doc["HostsPath"], "/d/hosts");
    // --tmpfs mounts are HostConfig.Tmpfs only, as docker lists them.
    assert_eq!(
        doc["Mounts"],
        serde_json::json!([{"Type": "bind", "Source": "/h", "Destination": "/c", "Mode": "",
            "RW": true, "Propagation": "rprivate"}])
    );
    // Not connected yet: the network with an empty endpoint, as docker.
    assert_eq!(
        doc["NetworkSettings"]["Networks"]["bridge"]["IPAddress"],
        ""
    );
    assert_eq!(doc["NetworkSettings"]["Ports"], serde_json::json!({}));
}

#[test]
fn containers_of_other_tools_get_what_the_record_says() {
    let doc = serde_json::to_value(document(&row(None), Path::new("/d"), "overlayfs")).unwrap();
    assert_eq!(doc["HostsPath"], "");
    assert_eq!(doc["Config"]["Labels"], serde_json::json!({}));
    assert_eq!(doc["Mounts"], serde_json::json!([]));
}

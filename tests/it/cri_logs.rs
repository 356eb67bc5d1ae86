//! `logs` of a Kubernetes container berth did not create: the record the
//! CRI plugin makes (its labels and metadata extension naming the log
//! file) and a log kubelet rotated, in CRI format, some of it gzipped.

use std::collections::HashMap;
use std::io::Write;

use containerd_client::services::v1::container::Runtime;
use containerd_client::services::v1::{Container, CreateContainerRequest};

use crate::common::Ns;

/// Creates a container record as the CRI plugin does, with no task.
fn cri_container(ns: &Ns, id: &str, log_path: &str) {
    let metadata = serde_json::json!({
        "Version": "v1",
        "Metadata": {"ID": id, "Name": "web", "SandboxID": "sandbox", "LogPath": log_path},
    });
    let labels = HashMap::from([
        ("io.kubernetes.pod.name".to_string(), "web-7d9f".to_string()),
        (
            "io.kubernetes.pod.namespace".to_string(),
            "shop".to_string(),
        ),
        (
            "io.kubernetes.container.name".to_string(),
            "web".to_string(),
        ),
        (
            "io.cri-containerd.kind".to_string(),
            "container".to_string(),
        ),
    ]);
    let container = Container {
        id: id.to_string(),
        labels,
        image: "registry.k8s.io/pause:3.9".to_string(),
        runtime: Some(Runtime {
            name: "io.containerd.runc.v2".to_string(),
            options: None,
        }),
        spec: Some(prost_types::Any {
            type_url: "types.containerd.io/opencontainers/runtime-spec/1/Spec".to_string(),
            value: br#"{"ociVersion":"1.1.0","process":{"args":["nginx"]}}"#.to_vec(),
        }),
        extensions: HashMap::from([(
            "io.cri-containerd.container.metadata".to_string(),
            prost_types::Any {
                type_url: "github.com/containerd/cri/pkg/store/container/Metadata".to_string(),
                value: serde_json::to_vec(&metadata).unwrap(),
            },
        )]),
        ..Default::default()
    };
    ns.with_client(async |c| {
        c.containers()
            .create(CreateContainerRequest {
                container: Some(container),
            })
            .await
            .unwrap();
    });
}

#[test]
fn kubernetes_container_logs_from_the_cri_file() {
    let ns = Ns::new("cri-logs");
    let dir = tempfile::tempdir().unwrap();
    let ctr_dir = dir.path().join("shop_web-7d9f_uid").join("web");
    std::fs::create_dir_all(&ctr_dir).unwrap();
    // The oldest rotation gzipped, the next plain, then the current file.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"2026-11-30T10:00:00.000000001Z stdout F one\n")
        .unwrap();
    std::fs::write(
        ctr_dir.join("0.log.20261130-100001.gz"),
        gz.finish().unwrap(),
    )
    .unwrap();
    std::fs::write(
        ctr_dir.join("0.log.20261130-100002"),
        "2026-11-30T10:00:01.000000001Z stderr F two\n",
    )
    .unwrap();
    let current = ctr_dir.join("0.log");
    std::fs::write(
        &current,
        "2026-11-30T10:00:02.000000001Z stdout P thr\n\
         2026-11-30T10:00:02.500000001Z stdout F ee\n\
         2026-11-30T10:00:03.000000001Z stderr F four\n",
    )
    .unwrap();
    let id = "4f0c1d2e3b4a59687766554433221100ffeeddccbbaa99887766554433221100";
    cri_container(&ns, id, current.to_str().unwrap());

    // Named as kubelet names it, or by ID prefix; streams kept apart.
    let out = ns.berth(&["logs", "k8s://shop/web-7d9f/web"]);
    assert_eq!(out.ok(), "one\nthree\n");
    assert_eq!(out.stderr, "two\nfour\n");
    // --tail counts the file's records, as kubelet does.
    let out = ns.berth(&["logs", "--tail", "3", "-t", "4f0c1d"]);
    assert_eq!(out.ok(), "2026-11-30T10:00:02.000000001Z three\n");
    assert_eq!(out.stderr, "2026-11-30T10:00:03.000000001Z four\n");
    let out = ns.berth(&[
        "logs",
        "--since",
        "2026-11-30T10:00:00.5Z",
        "--until",
        "2026-11-30T10:00:02.9Z",
        id,
    ]);
    assert_eq!((out.ok(), out.stderr.as_str()), ("three\n", "two\n"));
    assert_eq!(
        ns.berth(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
            .ok(),
        "k8s://shop/web-7d9f/web Created\n"
    );
    // The table of a node: the pod and its namespace instead of ports.
    let table = ns.berth(&["ps", "-a"]);
    assert_eq!(
        crate::common::node_table_row(table.ok(), "4f0c1d"),
        ["web-7d9f", "shop", "k8s://shop/web-7d9f/web"]
    );
    let json = ns.berth(&["ps", "-a", "--format", "{{json .}}"]);
    assert!(
        !json.ok().contains("\"Pod\""),
        "docker's keys only: {}",
        json.stdout
    );
    // The kubelet's container: one warning line, then nothing without a yes.
    let warning = "WARNING: container k8s://shop/web-7d9f/web belongs to pod shop/web-7d9f: \
                   the kubelet will recreate it; to remove the pod run `kubectl delete pod web-7d9f -n shop`\n";
    let refused = ns.berth(&["rm", "web-7d9f/web"]);
    refused.code(1);
    assert_eq!(
        refused.stderr,
        format!(
            "{warning}Are you sure you want to continue? [y/N] Error response from daemon: \
             k8s://shop/web-7d9f/web: left alone (-f goes ahead without asking)\n"
        )
    );
    let removed = ns.berth_stdin(&["rm", id], "y\n");
    assert_eq!(removed.ok(), format!("{id}\n"));
    assert!(removed.stderr.starts_with(warning), "{}", removed.stderr);
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}

//! `inspect`: docker's document shape (every key, in docker's order),
//! `-f` per object, `--type`, several objects, and the state as it changes.

use serde_json::Value;

use crate::common::Ns;

/// Maps whose keys are data, not shape.
const DATA_MAPS: &[&str] = &[
    "Labels",
    "Networks",
    "Ports",
    "Data",
    "ExposedPorts",
    "Volumes",
    "LogConfig",
    "Metadata",
];

fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(m) = v {
        for (k, x) in m {
            let p = format!("{prefix}/{k}");
            out.push(p.clone());
            if !DATA_MAPS.contains(&k.as_str()) {
                key_paths(x, &p, out);
            }
        }
    }
}

fn docker_keys(fixture: &str) -> Vec<String> {
    fixture
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(String::from)
        .collect()
}

fn paths_of(json: &str) -> Vec<String> {
    let docs: Vec<Value> = serde_json::from_str(json).unwrap();
    assert_eq!(docs.len(), 1);
    let mut out = Vec::new();
    key_paths(&docs[0], "", &mut out);
    out
}

#[test]
fn container_inspect_has_dockers_keys_in_dockers_order() {
    let ns = Ns::new("inspect-shape");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let bind = format!("{}:/data:ro", dir.path().display());
    ns.berth(&[
        "run", "-d", "--name", "web", "-v", &bind, &img, "sleep", "300",
    ])
    .ok();
    let text = ns.berth(&["inspect", "web"]).ok().to_string();
    // A JSON array indented with 4 spaces, as docker's CLI prints it.
    assert!(text.starts_with("[\n    {\n        \"Id\": \""), "{text}");
    assert_eq!(
        paths_of(&text),
        docker_keys(include_str!("fixtures/docker-container-inspect-keys.txt"))
    );
    let doc: Vec<Value> = serde_json::from_str(&text).unwrap();
    let d = &doc[0];
    assert_eq!(d["Name"], "/web");
    assert_eq!(d["Path"], "sleep");
    assert_eq!(d["Args"], serde_json::json!(["300"]));
    assert_eq!(d["State"]["Status"], "running");
    assert!(d["State"]["Pid"].as_u64().unwrap() > 0);
    assert_eq!(d["Config"]["Image"], img.as_str());
    assert!(d["Image"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(d["HostConfig"]["Binds"], serde_json::json!([bind]));
    assert_eq!(d["Mounts"][0]["Destination"], "/data");
    assert!(d["LogPath"].as_str().unwrap().ends_with("-json.log"));
    assert_eq!(d["HostConfig"]["LogConfig"]["Type"], "json-file");
}

#[test]
fn image_inspect_has_dockers_keys() {
    let ns = Ns::new("inspect-image");
    let img = ns.pull("busybox");
    let text = ns.berth(&["image", "inspect", &img]).ok().to_string();
    let mut ours = paths_of(&text);
    // With containerd's image store docker 28 adds the manifest's descriptor.
    ours.retain(|p| !p.starts_with("/Descriptor"));
    assert_eq!(
        ours,
        docker_keys(include_str!("fixtures/docker-image-inspect-keys.txt"))
    );
    let doc: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(doc[0]["RepoTags"], serde_json::json!([img]));
    assert_eq!(doc[0]["Os"], "linux");
}

#[test]
fn format_type_and_several_objects() {
    let ns = Ns::new("inspect-format");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "done", &img, "sh", "-c", "exit 7"])
        .code(7);
    ns.berth(&["create", "--name", "fresh", &img, "true"]).ok();
    // -f applies to each object, one line each.
    assert_eq!(
        ns.berth(&[
            "inspect",
            "-f",
            "{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.State.Running}}",
            "done",
            "fresh"
        ])
        .ok(),
        "/done exited 7 false\n/fresh created 0 false\n"
    );
    let finished = ns
        .berth(&["inspect", "-f", "{{.State.FinishedAt}}", "done"])
        .ok()
        .to_string();
    assert!(!finished.starts_with("0001-"), "{finished}");
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.State.StartedAt}}", "fresh"])
            .ok(),
        "0001-01-01T00:00:00Z\n"
    );
    // An image name resolves to the image; --type picks.
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.Os}}", &img]).ok(),
        "linux\n"
    );
    ns.berth(&["inspect", "--type", "container", &img])
        .code(1)
        .stderr_has("No such container");
    // Unknown names: what was found is printed, then one error each.
    let out = ns.berth(&["inspect", "-f", "{{.Name}}", "done", "ghost"]);
    out.code(1);
    assert_eq!(out.stdout, "/done\n");
    assert_eq!(out.stderr, "Error: No such object: ghost\n");
    let out = ns.berth(&["inspect", "ghost"]);
    assert_eq!(out.stdout, "[]\n");
    out.code(1);
    ns.berth(&["container", "inspect", "ghost"])
        .code(1)
        .stderr_has("Error response from daemon: No such container: ghost");
}

use super::*;
use crate::container::store::labels;
use containerd_client::services::v1::Container;

fn recs(cs: &[Container]) -> Vec<ContainerRecord> {
    cs.iter().map(ContainerRecord::from).collect()
}

fn ts(secs: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: secs,
        nanos: 0,
    }
}

fn container(id: &str, created: i64, labels: &[(&str, &str)], args: &[&str]) -> Container {
    let spec = serde_json::json!({"process": {"args": args}, "hostname": "h"});
    Container {
        id: id.into(),
        image: "docker.io/library/busybox:latest".into(),
        created_at: Some(ts(created)),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        spec: Some(prost_types::Any {
            type_url: String::new(),
            value: serde_json::to_vec(&spec).unwrap(),
        }),
        ..Default::default()
    }
}

fn task(id: &str, status: Status, exit: u32) -> Process {
    // As containerd's Tasks.List sends it: only `id` is set.
    Process {
        id: id.into(),
        pid: 0,
        status: status as i32,
        exit_status: exit,
        exited_at: Some(ts(2_000)),
        ..Default::default()
    }
}

#[test]
fn joins_containers_and_tasks_newest_first() {
    let cs = vec![
        container(
            "old",
            100,
            &[(labels::NAME, "web")],
            &["sh", "-c", "echo hi there"],
        ),
        container("new", 200, &[], &["true"]),
        container(
            "gone",
            150,
            &[
                (labels::EXIT_CODE, "3"),
                (labels::FINISHED_AT, "2024-01-01T00:00:00Z"),
            ],
            &["x"],
        ),
    ];
    let tasks = vec![
        task("old", Status::Running, 0),
        task("new", Status::Stopped, 137),
    ];
    let rows = rows(recs(&cs), &tasks);
    let ids: Vec<&str> = rows.iter().map(|r| r.record.id.as_str()).collect();
    assert_eq!(ids, vec!["new", "gone", "old"]);
    assert!(matches!(rows[0].state, State::Exited { code: 137, .. }));
    assert!(matches!(
        rows[1].state,
        State::Exited {
            code: 3,
            finished: Some(_)
        }
    ));
    assert!(matches!(rows[2].state, State::Running { .. }));
    assert_eq!(rows[2].record.name, "web");
    assert_eq!(rows[2].record.command(), "sh -c 'echo hi there'");
    assert_eq!(rows[2].record.image, "docker.io/library/busybox:latest");
}

#[test]
fn no_task_and_no_exit_label_is_created() {
    let rows = rows(recs(&[container("c", 1, &[], &["x"])]), &[]);
    assert_eq!(rows[0].state, State::Created);
    assert_eq!(rows[0].state.name(), "created");
}

#[test]
fn kubernetes_names() {
    let c = container(
        "k",
        1,
        &[
            (super::super::kube::POD_NAMESPACE, "kube-system"),
            (super::super::kube::POD_NAME, "coredns-1"),
            (super::super::kube::CONTAINER_NAME, "coredns"),
        ],
        &["/coredns"],
    );
    assert_eq!(
        rows(recs(&[c]), &[])[0].record.name,
        "k8s://kube-system/coredns-1/coredns"
    );
}

#[test]
fn pod_and_k8s_namespace_filters_and_sandboxes() {
    use super::super::kube::{CONTAINER_NAME, KIND, POD_NAME, POD_NAMESPACE};
    let cs = vec![
        container(
            "a",
            1,
            &[
                (POD_NAMESPACE, "default"),
                (POD_NAME, "web"),
                (CONTAINER_NAME, "nginx"),
                (KIND, "container"),
            ],
            &["nginx"],
        ),
        container(
            "b",
            2,
            &[
                (POD_NAMESPACE, "shop"),
                (POD_NAME, "web"),
                (KIND, "sandbox"),
            ],
            &["/pause"],
        ),
        container("c", 3, &[(labels::NAME, "mine")], &["true"]),
    ];
    let rows = rows(recs(&cs), &[]);
    let ids = |f: &[&str]| -> Vec<String> {
        let f = PsFilters::parse(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        rows.iter()
            .filter(|r| f.keep(r, &[]))
            .map(|r| r.record.id.clone())
            .collect()
    };
    assert_eq!(ids(&["pod=web"]), ["b", "a"]);
    assert_eq!(ids(&["pod=web", "k8s-namespace=default"]), ["a"]);
    assert_eq!(ids(&["k8s-namespace=shop"]), ["b"]);
    let none = PsFilters::parse(&[]).unwrap();
    assert!(!none.shows_sandbox(false) && none.shows_sandbox(true));
    assert!(
        PsFilters::parse(&["pod=web".into()])
            .unwrap()
            .shows_sandbox(false)
    );
}

#[test]
fn filters_and_or_semantics() {
    let cs = vec![
        container(
            "aaa1",
            3,
            &[(labels::NAME, "web-1"), ("tier", "front")],
            &["x"],
        ),
        container("bbb2", 2, &[(labels::NAME, "db"), ("tier", "back")], &["x"]),
        container("ccc3", 1, &[(labels::NAME, "web-2")], &["x"]),
    ];
    let tasks = vec![
        task("aaa1", Status::Running, 0),
        task("bbb2", Status::Stopped, 1),
    ];
    let rows = rows(recs(&cs), &tasks);
    let pick = |f: &[&str]| {
        let mut f = PsFilters::parse(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        f.resolve(&rows).unwrap();
        rows.iter()
            .filter(|r| f.keep(r, &[]))
            .map(|r| r.record.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(pick(&["name=web"]), vec!["aaa1", "ccc3"]);
    assert_eq!(pick(&["name=web", "status=running"]), vec!["aaa1"]);
    // docker's name= is a regular expression, matched with and without `/`.
    assert_eq!(pick(&["name=^web-[0-9]$"]), vec!["aaa1", "ccc3"]);
    assert_eq!(pick(&["name=^/db$"]), vec!["bbb2"]);
    assert_eq!(pick(&["name=b-1", "name=^d"]), vec!["aaa1", "bbb2"]);
    // before=/since= take a name or an ID prefix; creation order decides.
    assert_eq!(pick(&["before=db"]), vec!["ccc3"]);
    assert_eq!(pick(&["since=bbb"]), vec!["aaa1"]);
    assert_eq!(pick(&["since=web-2", "before=aaa1"]), vec!["bbb2"]);
    let mut ghost = PsFilters::parse(&["before=ghost".to_string()]).unwrap();
    assert!(ghost.resolve(&rows).is_err());
    assert!(PsFilters::parse(&["name=(".to_string()]).is_err());
    assert_eq!(
        pick(&["status=running", "status=exited"]),
        vec!["aaa1", "bbb2"]
    );
    assert_eq!(pick(&["label=tier"]), vec!["aaa1", "bbb2"]);
    assert_eq!(pick(&["label=tier=back"]), vec!["bbb2"]);
    assert_eq!(pick(&["id=ccc"]), vec!["ccc3"]);
    assert_eq!(pick(&["exited=1"]), vec!["bbb2"]);
    assert_eq!(pick(&["status=created"]), vec!["ccc3"]);
    assert!(PsFilters::parse(&["bogus=1".to_string()]).is_err());
    assert!(PsFilters::parse(&["status=sleeping".to_string()]).is_err());
    assert!(PsFilters::parse(&["noequals".to_string()]).is_err());
}

#[test]
fn ancestor_filter_uses_resolved_names() {
    let rows = rows(recs(&[container("a", 1, &[], &["x"])]), &[]);
    let f = PsFilters::parse(&["ancestor=busybox".to_string()]).unwrap();
    assert!(f.keep(&rows[0], &["docker.io/library/busybox:latest".to_string()]));
    assert!(!f.keep(&rows[0], &["docker.io/library/alpine:latest".to_string()]));
}

#[test]
fn labels_hide_bookkeeping_and_restore_empty_values() {
    let c = container(
        "c",
        1,
        &[
            (labels::NAME, "n"),
            (labels::EMPTY_VALUED, "flag,other"),
            ("team", "blue"),
        ],
        &["x"],
    );
    let r = &rows(recs(&[c]), &[])[0];
    let keys: Vec<&str> = r.record.labels.keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["flag", "other", "team"]);
    assert_eq!(r.record.labels["flag"], "");
    let f = PsFilters::parse(&["label=flag".to_string()]).unwrap();
    assert!(f.keep(r, &[]));
}

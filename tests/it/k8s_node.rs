//! A Kubernetes node's containers as an operator sees them with berth in
//! `-n k8s.io`: pods made through CRI by crictl, as the kubelet makes them
//! (sandboxes, CRI labels, logs under /var/log/pods, systemd cgroups).
//!
//! They need containerd's CRI plugin and crictl (`BERTH_TEST_CRICTL`): the
//! cgroup v2 guest row has both (scripts/guest); the host rows leave this
//! module out by name (scripts/test), and here a missing crictl fails.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Ns, Out, wait_for};

/// The pods one test made in `k8s.io`, removed through CRI at the end.
struct Node {
    ns: Ns,
    crictl: String,
    pods: std::cell::RefCell<Vec<String>>,
    dir: tempfile::TempDir,
}

impl Node {
    fn new(test: &str) -> Node {
        let crictl = std::env::var("BERTH_TEST_CRICTL").unwrap_or_else(|_| {
            panic!(
                "k8s_node tests need containerd's CRI plugin and crictl (BERTH_TEST_CRICTL): \
                 they run in the guest row, `scripts/guest test k8s_node::`"
            )
        });
        Node {
            ns: Ns::new(test),
            crictl,
            pods: Default::default(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn crictl(&self, args: &[&str]) -> String {
        let o = Command::new(&self.crictl).args(args).output().unwrap();
        let out = Out::from(o);
        assert_eq!(out.code, 0, "crictl {args:?}: {}", out.stderr);
        out.stdout.trim().to_string()
    }

    fn berth(&self, args: &[&str]) -> Out {
        Out::from(self.ns.cmd_in("k8s.io").args(args).output().unwrap())
    }

    fn berth_stdin(&self, args: &[&str], input: &str) -> Out {
        let mut child = self
            .ns
            .cmd_in("k8s.io")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        Out::from(child.wait_with_output().unwrap())
    }

    fn file(&self, name: &str, v: serde_json::Value) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, v.to_string()).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// A pod `pod` in Kubernetes namespace `k8s_ns` with one container
    /// `ctr` running `script`, as the kubelet asks for it on a systemd
    /// node; the container's id.
    fn pod(&self, k8s_ns: &str, pod: &str, ctr: &str, script: &str) -> String {
        let uid = format!(
            "{:08x}-0000-4000-8000-{:012x}",
            std::process::id(),
            rand_u48()
        );
        let labels = serde_json::json!({
            "io.kubernetes.pod.name": pod,
            "io.kubernetes.pod.namespace": k8s_ns,
            "io.kubernetes.pod.uid": uid,
        });
        let sandbox = serde_json::json!({
            "metadata": {"name": pod, "namespace": k8s_ns, "uid": uid, "attempt": 0},
            "hostname": pod,
            "log_directory": format!("/var/log/pods/{k8s_ns}_{pod}_{uid}"),
            "labels": labels,
            "linux": {
                "cgroup_parent": format!("kubepods-besteffort-pod{}.slice", uid.replace('-', "_")),
                "security_context": {"namespace_options": {"network": 0, "pid": 1, "ipc": 0}},
            },
        });
        let mut ctr_labels = labels.clone();
        ctr_labels["io.kubernetes.container.name"] = ctr.into();
        let container = serde_json::json!({
            "metadata": {"name": ctr, "attempt": 0},
            "image": {"image": self.ns.env.image("busybox")},
            "command": ["/bin/sh", "-c", script],
            "log_path": format!("{ctr}/0.log"),
            "labels": ctr_labels,
            "linux": {"security_context": {"namespace_options": {"network": 0, "pid": 1, "ipc": 0}}},
        });
        let p = self.file(&format!("{k8s_ns}-{pod}.json"), sandbox);
        let c = self.file(&format!("{k8s_ns}-{pod}-{ctr}.json"), container);
        // The kubelet pulls first (CRI's create does not).
        self.crictl(&["pull", &self.ns.env.image("busybox")]);
        let pod_id = self.crictl(&["runp", &p]);
        self.pods.borrow_mut().push(pod_id.clone());
        let id = self.crictl(&["create", &pod_id, &c, &p]);
        self.crictl(&["start", &id]);
        id
    }
}

fn rand_u48() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (t << 8 | N.fetch_add(1, Ordering::SeqCst)) & 0xffff_ffff_ffff
}

impl Drop for Node {
    fn drop(&mut self) {
        for p in self.pods.borrow().iter() {
            let _ = Command::new(&self.crictl).args(["stopp", p]).output();
            let _ = Command::new(&self.crictl).args(["rmp", "-f", p]).output();
        }
    }
}

const TICK: &str = "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done";

#[test]
fn pods_as_an_operator_sees_them() {
    let node = Node::new("k8s-views");
    let tag = std::process::id();
    let (ns_a, ns_b, pod) = (
        format!("team-a-{tag}"),
        format!("team-b-{tag}"),
        format!("web-{tag}"),
    );
    let id = node.pod(&ns_a, &pod, "app", TICK);
    let twin = node.pod(&ns_b, &pod, "app", TICK);
    let name = format!("k8s://{ns_a}/{pod}/app");

    // The table: pod and pod namespace columns, sandboxes left out.
    let ps = node.berth(&["ps", "--no-trunc"]);
    assert_eq!(
        crate::common::node_table_row(ps.ok(), &id),
        [pod.as_str(), ns_a.as_str(), name.as_str()]
    );
    assert!(
        !ps.stdout.contains(&format!("k8s://{ns_a}/{pod}\n")),
        "{}",
        ps.stdout
    );

    // Filters by pod and pod namespace; a filter (or -a) shows the sandbox.
    let fmt = "{{.Names}} {{.Pod}} {{.Namespace}} {{.State}}";
    let filtered = node.berth(&[
        "ps",
        "--filter",
        &format!("pod={pod}"),
        "--filter",
        &format!("k8s-namespace={ns_a}"),
        "--format",
        fmt,
    ]);
    let mut lines: Vec<&str> = filtered.ok().lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            format!("k8s://{ns_a}/{pod} {pod} {ns_a} running"),
            format!("{name} {pod} {ns_a} running"),
        ]
    );
    let all = node.berth(&["ps", "-a", "--format", "{{.Names}}"]);
    assert!(all.ok().lines().any(|l| l == format!("k8s://{ns_b}/{pod}")));

    // By the name ps shows, by POD/CONTAINER when it is unique, by id.
    node.berth(&["logs", &format!("{pod}/app")])
        .code(1)
        .stderr_has(&format!("{pod}/app is in several pod namespaces"));
    let logs = wait_for("the pod's log", 60, || {
        let out = node.berth(&["logs", &name]);
        out.stdout.contains("tick 1").then_some(out)
    });
    assert!(
        logs.stdout.starts_with("tick 0\ntick 1\n"),
        "{}",
        logs.stdout
    );
    let host = node.berth(&["exec", &name, "cat", "/etc/hostname"]);
    assert_eq!(host.ok(), format!("{pod}\n"));
    let inspected = node.berth(&["inspect", "-f", "{{.Id}}", &twin[..12]]);
    assert_eq!(inspected.ok().trim(), twin);
    let top = node.berth(&["top", &name]);
    assert!(
        top.ok().contains("sleep") || top.stdout.contains("sh -c"),
        "{}",
        top.stdout
    );
    let stats = node.berth(&[
        "stats",
        "--no-stream",
        "--format",
        "{{.ID}} {{.MemUsage}}",
        &name,
    ]);
    assert!(stats.ok().starts_with(&id[..12]), "{}", stats.stdout);

    // The images the kubelet pulled, one row each (CRI keeps three names
    // per image: the tag, repo@digest and the id).
    let images = node.berth(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"]);
    let busybox = format!("{} ", node.ns.env.image("busybox"));
    let row = images
        .ok()
        .lines()
        .find(|l| l.starts_with(&busybox))
        .expect("busybox listed");
    let image_id = row.split(' ').nth(1).unwrap();
    let same: Vec<&str> = images
        .stdout
        .lines()
        .filter(|l| l.ends_with(image_id))
        .collect();
    assert_eq!(same, [row], "{}", images.stdout);
}

#[test]
fn stopping_a_kubelet_container_asks_first() {
    let node = Node::new("k8s-guard");
    let tag = std::process::id();
    let (k8s_ns, pod) = (format!("guard-{tag}"), format!("db-{tag}"));
    let id = node.pod(&k8s_ns, &pod, "pg", TICK);
    let short = format!("{pod}/pg");
    let warning = format!(
        "WARNING: container k8s://{k8s_ns}/{pod}/pg belongs to pod {k8s_ns}/{pod}: the kubelet \
         will recreate it; to remove the pod run `kubectl delete pod {pod} -n {k8s_ns}`"
    );
    // No -f and no yes: nothing happens.
    for verb in [&["stop"][..], &["kill"], &["rm"]] {
        let mut args = verb.to_vec();
        args.push(&short);
        let out = node.berth(&args);
        out.code(1).stderr_has(&warning).stderr_has("left alone");
    }
    let state = || {
        node.crictl(&[
            "inspect",
            "-o",
            "go-template",
            "--template",
            "{{.status.state}}",
            &id,
        ])
    };
    assert_eq!(state(), "CONTAINER_RUNNING");
    // A "y" goes ahead, as -f does (the warning still said).
    node.berth_stdin(&["kill", &short], "y\n")
        .code(0)
        .stderr_has(&warning);
    wait_for("the container to exit", 60, || {
        (state() == "CONTAINER_EXITED").then_some(())
    });
    // The plugin deleted the task: the exit is the one it recorded.
    let shown = node.berth(&[
        "ps",
        "-a",
        "--filter",
        &format!("pod={pod}"),
        "--filter",
        "status=exited",
        "--format",
        "{{.Names}} {{.Status}}",
    ]);
    let line = shown.ok().trim().to_string();
    let want = format!("k8s://{k8s_ns}/{pod}/pg Exited (137) ");
    assert!(line.starts_with(&want), "{line}");
    // Berth's own containers in k8s.io are no kubelet's: no question.
    node.berth(&[
        "run",
        "-d",
        "--name",
        &format!("mine-{tag}"),
        "--network",
        "none",
        &node.ns.env.image("busybox"),
        "sleep",
        "60",
    ])
    .code(0);
    let rm = node.berth(&["rm", "-f", &format!("mine-{tag}")]);
    assert!(!rm.code(0).stderr.contains("WARNING"), "{}", rm.stderr);
}

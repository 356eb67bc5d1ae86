//! Containers the kubelet made through CRI (namespace `k8s.io`): who they
//! belong to, from the labels the CRI plugin puts on them, and the names
//! an operator uses for them (`k8s://ns/pod/container`, `pod/container`).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Kubernetes' labels, present on containers created through CRI.
pub const POD_NAME: &str = "io.kubernetes.pod.name";
pub const POD_NAMESPACE: &str = "io.kubernetes.pod.namespace";
pub const POD_UID: &str = "io.kubernetes.pod.uid";
pub const CONTAINER_NAME: &str = "io.kubernetes.container.name";
/// The CRI plugin's `sandbox` (the pod's pause container) or `container`.
pub const KIND: &str = "io.cri-containerd.kind";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kube {
    /// The Kubernetes namespace.
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    /// The container's name in the pod spec (None for the sandbox).
    pub container: Option<String>,
    /// The pod's sandbox (pause) container.
    pub sandbox: bool,
}

impl Kube {
    /// From a container's labels: None unless it names a pod.
    pub fn from_labels(labels: &HashMap<String, String>) -> Option<Kube> {
        let get = |k: &str| labels.get(k).filter(|v| !v.is_empty()).cloned();
        let (namespace, pod) = (get(POD_NAMESPACE)?, get(POD_NAME)?);
        let sandbox = labels.get(KIND).is_some_and(|k| k == "sandbox");
        Some(Kube {
            namespace,
            pod,
            pod_uid: get(POD_UID).unwrap_or_default(),
            container: if sandbox { None } else { get(CONTAINER_NAME) },
            sandbox,
        })
    }

    /// The name `ps` shows: `k8s://ns/pod/container`, `k8s://ns/pod` for a
    /// sandbox (nerdctl's names).
    pub fn name(&self) -> String {
        match &self.container {
            Some(c) => format!("k8s://{}/{}/{c}", self.namespace, self.pod),
            None => format!("k8s://{}/{}", self.namespace, self.pod),
        }
    }

    /// Whether `input` is `POD/CONTAINER` for this container.
    pub fn is_called(&self, input: &str) -> bool {
        match (input.split_once('/'), &self.container) {
            (Some((pod, ctr)), Some(c)) => pod == self.pod && ctr == c,
            _ => false,
        }
    }

    /// What to run instead of stopping or removing it by hand.
    pub fn advice(&self) -> String {
        format!(
            "container {} belongs to pod {}/{}: the kubelet will recreate it; \
             to remove the pod run `kubectl delete pod {} -n {}`",
            self.name(),
            self.namespace,
            self.pod,
            self.pod,
            self.namespace
        )
    }
}

/// How the CRI plugin saw a container end: its `status` checkpoint
/// (`<containerd root>/io.containerd.grpc.v1.cri/containers/<id>/status`,
/// JSON with nanosecond times), read when the task is gone (the plugin
/// deletes exited tasks). The exit code and when, None while it has not
/// finished or the file cannot be read.
pub fn cri_exit(containerd_root: &Path, id: &str) -> Option<(i64, SystemTime)> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Status {
        #[serde(default)]
        finished_at: i64,
        #[serde(default)]
        exit_code: i32,
    }
    let path = containerd_root
        .join("io.containerd.grpc.v1.cri/containers")
        .join(id)
        .join("status");
    let s: Status = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let finished = u64::try_from(s.finished_at).ok().filter(|n| *n > 0)?;
    Some((
        i64::from(s.exit_code),
        SystemTime::UNIX_EPOCH + Duration::from_nanos(finished),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pods_containers_and_sandboxes_from_cri_labels() {
        let c = Kube::from_labels(&labels(&[
            (POD_NAMESPACE, "kube-system"),
            (POD_NAME, "coredns-1"),
            (POD_UID, "u1"),
            (CONTAINER_NAME, "coredns"),
            (KIND, "container"),
        ]))
        .unwrap();
        assert_eq!(c.name(), "k8s://kube-system/coredns-1/coredns");
        assert!(c.is_called("coredns-1/coredns"));
        assert!(!c.is_called("coredns-1/other"));
        assert!(!c.is_called("coredns-1"));
        assert!(
            c.advice()
                .contains("kubectl delete pod coredns-1 -n kube-system")
        );
        let s = Kube::from_labels(&labels(&[
            (POD_NAMESPACE, "kube-system"),
            (POD_NAME, "coredns-1"),
            (CONTAINER_NAME, "POD"),
            (KIND, "sandbox"),
        ]))
        .unwrap();
        assert!(s.sandbox);
        assert_eq!(s.name(), "k8s://kube-system/coredns-1");
        assert!(Kube::from_labels(&labels(&[(POD_NAME, "x")])).is_none());
    }

    #[test]
    fn the_cri_plugins_status_file_gives_the_exit() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("io.containerd.grpc.v1.cri/containers/c1");
        std::fs::create_dir_all(&dir).unwrap();
        let status = r#"{"Version":"v1","Pid":0,"CreatedAt":1,"StartedAt":2,"FinishedAt":1765000000000000000,"ExitCode":137,"Reason":"Error","Message":"","Resources":null,"Restore":false}"#;
        std::fs::write(dir.join("status"), status).unwrap();
        let (code, at) = cri_exit(root.path(), "c1").unwrap();
        assert_eq!(code, 137);
        assert_eq!(
            at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            1_765_000_000
        );
        std::fs::write(
            dir.join("status"),
            status.replace("1765000000000000000", "0"),
        )
        .unwrap();
        assert!(cri_exit(root.path(), "c1").is_none());
        assert!(cri_exit(root.path(), "nope").is_none());
    }
}

//! Finding a container from what the user typed: full id, name, or a
//! unique id prefix, in docker's order.

use super::record::ContainerRecord;
use crate::error::{Error, Result};

/// The container `input` names among `containers` (records, or rows
/// that carry one).
pub fn find<'a, T: AsRef<ContainerRecord>>(containers: &'a [T], input: &str) -> Result<&'a T> {
    if input.is_empty() {
        return Err(Error::invalid("container name or id must not be empty"));
    }
    if let Some(c) = containers.iter().find(|c| c.as_ref().id == input) {
        return Ok(c);
    }
    let name = input.strip_prefix('/').unwrap_or(input);
    // berth's names, then the names ps shows for others' containers
    // (Kubernetes': `k8s://ns/pod/container`).
    if let Some(c) = containers
        .iter()
        .find(|c| c.as_ref().named_by_berth && c.as_ref().name == name)
        .or_else(|| containers.iter().find(|c| c.as_ref().name == input))
    {
        return Ok(c);
    }
    // Kubernetes' `pod/container`, in whichever pod namespace has it.
    if input.contains('/') {
        let is_called = |c: &&T| c.as_ref().kube.as_ref().is_some_and(|k| k.is_called(input));
        let mut hits = containers.iter().filter(is_called);
        match (hits.next(), hits.next()) {
            (Some(c), None) => return Ok(c),
            (Some(a), Some(b)) => {
                return Err(Error::invalid(format!(
                    "{input} is in several pod namespaces: name one ({}, {})",
                    a.as_ref().name,
                    b.as_ref().name
                )));
            }
            _ => {}
        }
    }
    let mut prefixed = containers
        .iter()
        .filter(|c| c.as_ref().id.starts_with(input));
    match (prefixed.next(), prefixed.next()) {
        (Some(c), None) => Ok(c),
        (Some(_), Some(_)) => Err(Error::invalid(format!(
            "multiple IDs found with provided prefix: {input}"
        ))),
        _ => Err(Error::not_found(format!("No such container: {input}"))),
    }
}

impl AsRef<ContainerRecord> for ContainerRecord {
    fn as_ref(&self) -> &ContainerRecord {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, name: Option<&str>) -> ContainerRecord {
        let mut c = containerd_client::services::v1::Container {
            id: id.into(),
            ..Default::default()
        };
        if let Some(n) = name {
            c.labels.insert(super::super::labels::NAME.into(), n.into());
        }
        ContainerRecord::from(&c)
    }

    fn pod(id: &str, ns: &str, pod: &str, ctr: &str) -> ContainerRecord {
        let k = super::super::kube::Kube {
            namespace: ns.into(),
            pod: pod.into(),
            pod_uid: String::new(),
            container: Some(ctr.into()),
            sandbox: false,
        };
        let mut c = c(id, None);
        c.name = k.name();
        c.kube = Some(k);
        c
    }

    #[test]
    fn kubernetes_names_and_pod_slash_container() {
        let list = vec![
            pod("k1", "default", "web", "nginx"),
            pod("k2", "shop", "web", "nginx"),
            pod("k3", "shop", "db", "pg"),
        ];
        assert_eq!(find(&list, "k8s://shop/web/nginx").unwrap().id, "k2");
        assert_eq!(find(&list, "db/pg").unwrap().id, "k3");
        assert_eq!(
            find(&list, "web/nginx").unwrap_err().message(),
            "web/nginx is in several pod namespaces: name one (k8s://default/web/nginx, k8s://shop/web/nginx)"
        );
        assert!(find(&list, "db/nope").is_err());
    }

    #[test]
    fn docker_lookup_order() {
        let list = vec![
            c("abc123", Some("web")),
            c("abd456", Some("abc")),
            c("web999", None),
        ];
        assert_eq!(find(&list, "abc123").unwrap().id, "abc123");
        // A name beats an id prefix.
        assert_eq!(find(&list, "abc").unwrap().id, "abd456");
        assert_eq!(find(&list, "/web").unwrap().id, "abc123");
        assert_eq!(find(&list, "web9").unwrap().id, "web999");
        assert_eq!(
            find(&list, "ab").unwrap_err().message(),
            "multiple IDs found with provided prefix: ab"
        );
        assert_eq!(
            find(&list, "zzz").unwrap_err().message(),
            "No such container: zzz"
        );
    }
}

//! A registry that drops connections or disappears (the fault proxy in
//! front of the plain test registry): pull resumes a layer from the byte it
//! stopped at, within a run and in the next run; push starts a cut upload
//! again; both give up with one clear error when the registry stays away.

use std::process::Command;

use crate::common::Ns;
use crate::common::proxy::{Direction, Fault, FaultProxy};

/// A unique random image pushed to the plain registry: the busybox layer
/// plus one 4 MiB layer nothing has seen, so it must really be downloaded.
/// Returns its repository and the random layer's digest.
fn fresh_image(ns: &Ns, what: &str) -> (String, String) {
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_007;
    let repo = format!("berth-test/flaky-{what}-{}", std::process::id());
    let cache = tempfile::tempdir().unwrap();
    let mkimage =
        std::env::var("BERTH_TEST_MKIMAGE").expect("BERTH_TEST_MKIMAGE (scripts/testenv env)");
    let out = Command::new("python3")
        .args([
            &mkimage,
            "big",
            "--registry",
            &ns.env.registry,
            "--name",
            &repo,
        ])
        .args([
            "--layers",
            "1",
            "--layer-mib",
            "4",
            "--seed",
            &unique.to_string(),
        ])
        .arg("--cache-dir")
        .arg(cache.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mkimage big: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::read_dir(cache.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .expect("mkimage wrote the layer's metadata");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(meta.path()).unwrap()).unwrap();
    (repo, meta["digest"].as_str().unwrap().to_string())
}

/// The offsets of the ranged requests made for a blob.
fn ranges_asked(proxy: &FaultProxy, digest: &str) -> Vec<u64> {
    proxy
        .heads()
        .iter()
        .filter(|h| h.contains(digest))
        .filter_map(|h| {
            h.lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("range: bytes=")
                        .map(str::to_string)
                })
                .and_then(|r| r.trim_end_matches('-').parse().ok())
        })
        .collect()
}

#[test]
fn pull_resumes_a_cut_layer_where_it_stopped() {
    let ns = Ns::new("flaky-pull");
    let (repo, layer) = fresh_image(&ns, "pull");
    let proxy = FaultProxy::start(&ns.env.registry);
    proxy.arm(Fault {
        matching: format!("/blobs/{layer}"),
        direction: Direction::Response,
        after: 2 << 20,
        vanish: false,
    });
    let image = format!("{}/{repo}:latest", proxy.host());
    let out = ns.berth(&["pull", &image]);
    out.ok();
    assert_eq!(proxy.fired(), 1, "the layer's download was cut");
    let short = &layer["sha256:".len().."sha256:".len() + 12];
    assert!(
        out.stderr.contains(&format!("{short}: Retrying in 0.5s")),
        "{}",
        out.stderr
    );
    let ranges = ranges_asked(&proxy, &layer);
    assert_eq!(ranges.len(), 1, "one ranged request: {ranges:?}");
    assert!(
        ranges[0] > 0 && ranges[0] <= 2 << 20,
        "it resumed at the byte it had: {ranges:?}"
    );
    // containerd checked size and digest at commit; the image runs.
    ns.berth(&["run", "--rm", &image, "test", "-s", "/big/layer-1.bin"])
        .ok();
}

#[test]
fn pull_gives_up_when_the_registry_vanishes_and_the_next_pull_resumes() {
    let ns = Ns::new("flaky-pull-gone");
    let (repo, layer) = fresh_image(&ns, "gone");
    let proxy = FaultProxy::start(&ns.env.registry);
    proxy.arm(Fault {
        matching: format!("/blobs/{layer}"),
        direction: Direction::Response,
        after: 2 << 20,
        vanish: true,
    });
    let image = format!("{}/{repo}:latest", proxy.host());
    let out = ns.berth(&["pull", "-q", &image]);
    out.code(1);
    assert!(
        out.stderr.contains("gave up after 5 tries") && !out.stderr.contains("panicked"),
        "{}",
        out.stderr
    );
    assert_eq!(
        ns.berth(&["images", "-q", &image]).ok(),
        "",
        "no half-pulled image is named"
    );
    proxy.revive();
    let again = ns.berth(&["pull", &image]);
    again.ok();
    assert!(
        again.stderr.contains("Resuming download at byte"),
        "the lease kept what arrived: {}",
        again.stderr
    );
    let ranges = ranges_asked(&proxy, &layer);
    assert!(
        ranges.last().is_some_and(|&r| r > 0),
        "the second pull asked for the rest only: {ranges:?}"
    );
    ns.berth(&["run", "--rm", &image, "test", "-s", "/big/layer-1.bin"])
        .ok();
}

/// An image in the store with one random 3 MiB layer no registry has.
pub(crate) fn random_local_image(ns: &Ns, name: &str, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut data = vec![0u8; 3 << 20];
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut x: u64 = (nanos ^ seed) | 1;
    for b in data.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    std::fs::write(dir.path().join("noise.bin"), &data).unwrap();
    let tar = dir.path().join("rootfs.tar");
    let ok = Command::new("tar")
        .arg("-cf")
        .arg(&tar)
        .arg("-C")
        .arg(dir.path())
        .arg("noise.bin")
        .status()
        .unwrap()
        .success();
    assert!(ok);
    ns.berth(&["import", tar.to_str().unwrap(), name]).ok();
}

#[test]
fn push_starts_a_cut_upload_again_and_gives_up_when_the_registry_is_gone() {
    let ns = Ns::new("flaky-push");
    let proxy = FaultProxy::start(&ns.env.registry);
    let image = format!(
        "{}/berth-test/flaky-push-{}:1",
        proxy.host(),
        std::process::id()
    );
    random_local_image(&ns, &image, 1);
    proxy.arm(Fault {
        matching: "PUT /v2/berth-test/flaky-push-".into(),
        direction: Direction::Request,
        after: 1 << 20,
        vanish: false,
    });
    let out = ns.berth(&["push", &image]);
    let text = out.ok().to_string();
    assert_eq!(proxy.fired(), 1);
    assert!(text.contains(": Retrying in 0.5s"), "{text}");
    assert!(text.contains(": Pushed"), "{text}");
    // The registry checked the digest of what it got; the manifest is there.
    let digest = text
        .lines()
        .find_map(|l| l.split(": digest: ").nth(1))
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let direct = image.replace(&proxy.host(), &ns.env.registry);
    let other = Ns::new("flaky-push-check");
    other.berth(&["pull", "-q", &direct]).ok();
    let got = other
        .berth(&[
            "image",
            "inspect",
            "-f",
            "{{index .RepoDigests 0}}",
            &direct,
        ])
        .ok()
        .to_string();
    assert!(got.trim().ends_with(&digest), "{got} vs {digest}");

    // Now it disappears mid-upload and stays away.
    let second = format!(
        "{}/berth-test/flaky-push-{}:2",
        proxy.host(),
        std::process::id()
    );
    random_local_image(&ns, &second, 2);
    proxy.arm(Fault {
        matching: "PUT /v2/berth-test/flaky-push-".into(),
        direction: Direction::Request,
        after: 1 << 20,
        vanish: true,
    });
    let gone = ns.berth(&["push", &second]);
    gone.code(1);
    assert!(
        gone.stderr.contains("gave up after 5 tries") && !gone.stderr.contains("panicked"),
        "{}",
        gone.stderr
    );
    proxy.revive();
    let back = ns.berth(&["push", &second]).ok().to_string();
    assert!(back.contains(": digest: "), "{back}");
}

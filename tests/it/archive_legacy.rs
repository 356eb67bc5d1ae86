//! `load` of docker's legacy archive layout (`docker save` before 25,
//! podman's docker-archive): `<id>.json` configs, `<id>/layer.tar`
//! uncompressed layers, a repeated layer as a symlink to the first, the
//! legacy `json`/`VERSION` files, `repositories`, and manifest.json last.

use std::io::Read;

use sha2::Digest;

use crate::archive::{Entry, load_bytes, tar_of};
use crate::common::Ns;

fn hex_of(data: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(data))
}

/// The busybox test image's config and its one layer, uncompressed.
fn busybox_parts(ns: &Ns) -> (serde_json::Value, Vec<u8>) {
    let image = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("b.tar");
    ns.berth(&["save", "-o", archive.to_str().unwrap(), &image])
        .ok();
    let ok = std::process::Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.path())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let read = |p: &str| std::fs::read(dir.path().join(p)).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&read("manifest.json")).unwrap();
    let config: serde_json::Value =
        serde_json::from_slice(&read(manifest[0]["Config"].as_str().unwrap())).unwrap();
    let gz = read(manifest[0]["Layers"][0].as_str().unwrap());
    let mut layer = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut layer)
        .unwrap();
    (config, layer)
}

#[test]
fn load_reads_dockers_legacy_layout() {
    let ns = Ns::new("load-legacy");
    let (mut config, layer) = busybox_parts(&ns);
    let diff = hex_of(&layer);
    // The same layer twice: docker writes the second as a symlink.
    config["rootfs"]["diff_ids"] =
        serde_json::json!([format!("sha256:{diff}"), format!("sha256:{diff}")]);
    let config = serde_json::to_vec(&config).unwrap();
    let config_hex = hex_of(&config);
    let dup = "d".repeat(64);
    let config_name = format!("./{config_hex}.json");
    let layer_name = format!("./{diff}/layer.tar");
    let (version, json) = (format!("./{diff}/VERSION"), format!("./{diff}/json"));
    let dup_name = format!("./{dup}/layer.tar");
    let dup_target = format!("../{diff}/layer.tar");
    let manifest = serde_json::json!([{
        "Config": format!("{config_hex}.json"),
        "RepoTags": ["legacy/app:1"],
        "Layers": [format!("{diff}/layer.tar"), format!("{dup}/layer.tar")],
    }])
    .to_string();
    let repositories = format!(r#"{{"legacy/app":{{"1":"{diff}"}}}}"#);
    let entries: Vec<Entry> = vec![
        (&config_name, b'0', "", &config),
        (&layer_name, b'0', "", &layer),
        (&version, b'0', "", b"1.0"),
        (&json, b'0', "", b"{}"),
        (&dup_name, b'2', &dup_target, b""),
        ("./repositories", b'0', "", repositories.as_bytes()),
        ("./manifest.json", b'0', "", manifest.as_bytes()),
    ];
    let archive = tar_of(&entries);
    assert_eq!(
        load_bytes(&ns, &archive).ok(),
        "Loaded image: legacy/app:1\n"
    );
    // docker's image id is the config's digest, whatever the layout.
    let id = ns
        .berth(&["image", "inspect", "-f", "{{.Id}}", "legacy/app:1"])
        .ok()
        .trim()
        .to_string();
    assert_eq!(id, format!("sha256:{config_hex}"));
    assert_eq!(
        ns.berth(&[
            "run",
            "--rm",
            "legacy/app:1",
            "echo",
            "from the legacy archive"
        ])
        .ok(),
        "from the legacy archive\n"
    );
    // A manifest.json naming a layer the archive lacks loads nothing.
    let fresh = Ns::new("load-legacy-missing");
    let short: Vec<Entry> = entries
        .iter()
        .filter(|e| e.0 != layer_name)
        .cloned()
        .collect();
    load_bytes(&fresh, &tar_of(&short))
        .code(1)
        .stderr_has(&format!(
            "manifest.json names \"{diff}/layer.tar\", which the archive does not hold"
        ));
    assert_eq!(fresh.berth(&["images", "-q"]).ok(), "");
}

/// The multi-platform test image as an OCI layout archive (from mkimage).
fn multiarch_archive(dir: &std::path::Path) -> std::path::PathBuf {
    let mkimage =
        std::env::var("BERTH_TEST_MKIMAGE").expect("BERTH_TEST_MKIMAGE (scripts/testenv env)");
    let layout = dir.join("layout");
    let ok = std::process::Command::new("python3")
        .arg(&mkimage)
        .args(["oci-layout"])
        .arg(&layout)
        .args([
            "--image",
            "multiarch",
            "--image-name",
            "docker.io/berth-test/multi:1",
        ])
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkimage oci-layout");
    let archive = dir.join("multi.tar");
    let ok = std::process::Command::new("tar")
        .arg("-cf")
        .arg(&archive)
        .arg("-C")
        .arg(&layout)
        .arg(".")
        .status()
        .unwrap()
        .success();
    assert!(ok);
    archive
}

#[test]
fn load_platform_unpacks_the_platform_asked_for() {
    let ns = Ns::new("load-platform");
    let dir = tempfile::tempdir().unwrap();
    let archive = multiarch_archive(dir.path());
    let path = archive.to_str().unwrap();
    let out = ns.berth(&["load", "--platform", "linux/s390x", "-i", path]);
    out.code(1)
        .stderr_has("no matching manifest for linux/s390x");
    assert_eq!(ns.berth(&["images", "-q"]).ok(), "", "nothing named");
    assert_eq!(
        ns.berth(&["load", "--platform", "linux/arm64", "-i", path])
            .ok(),
        "Loaded image: berth-test/multi:1\n"
    );
    // Named for every platform, as the archive has them; arm64's id is
    // its own config's.
    let id = |platform: &str| {
        ns.berth(&[
            "images",
            "--platform",
            platform,
            "--format",
            "{{.ID}}",
            "berth-test/multi:1",
        ])
        .ok()
        .trim()
        .to_string()
    };
    let (arm, amd) = (id("linux/arm64"), id("linux/amd64"));
    assert!(
        !arm.is_empty() && !amd.is_empty() && arm != amd,
        "{arm} vs {amd}"
    );
}

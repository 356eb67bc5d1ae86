//! tag, save and load: round trips through berth and ctr, gzip and stdin,
//! and hostile or broken archives refused whole.

use std::process::Command;

use sha2::Digest;

use crate::common::{Ns, Out};

/// An archive entry: (name, typeflag, link target, body).
pub(crate) type Entry<'a> = (&'a str, u8, &'a str, &'a [u8]);

/// A ustar archive of `entries` (magic `ustar\0`, version `00`, as Go's
/// and Python's writers put it; a NUL version is refused as ambiguous).
pub(crate) fn tar_of(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, kind, link, body) in entries {
        let mut h = vec![0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[124..135].copy_from_slice(format!("{:011o}", body.len()).as_bytes());
        h[156] = *kind;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| *b as u32).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        out.extend(h);
        out.extend_from_slice(body);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend(vec![0u8; 1024]);
    out
}

pub(crate) fn load_bytes(ns: &Ns, data: &[u8]) -> Out {
    ns.berth_stdin_bytes(&["load"], data)
}

fn digest(data: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(data))
}

#[test]
fn tag_names_the_same_image() {
    let ns = Ns::new("tag");
    let img = ns.pull("busybox");
    ns.berth(&["tag", &img, "mine:1"]).ok();
    let id = ns
        .berth(&["image", "inspect", "-f", "{{.Id}}", &img])
        .ok()
        .trim()
        .to_string();
    let short = &id["sha256:".len().."sha256:".len() + 12];
    ns.berth(&["image", "tag", short, "127.0.0.1:5000/other/name:2"])
        .ok();
    let rows = ns
        .berth(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])
        .ok()
        .to_string();
    for want in [
        format!("mine:1 {short}"),
        format!("127.0.0.1:5000/other/name:2 {short}"),
    ] {
        assert!(rows.contains(&want), "{rows}");
    }
    ns.berth(&["tag", "no-such-image:1", "x:1"])
        .code(1)
        .stderr_has("No such image: no-such-image:1");
    let bad = format!("x@sha256:{}", "a".repeat(64));
    ns.berth(&["tag", &img, &bad])
        .code(1)
        .stderr_has("refusing to create a tag with a digest reference");
}

#[test]
fn save_and_load_round_trip_through_berth_and_ctr() {
    let ns = Ns::new("save");
    let busybox = ns.pull("busybox");
    let multi = ns.pull("multilayer");
    ns.berth(&["tag", &busybox, "saved:1"]).ok();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("two.tar");
    ns.berth(&["save", "-o", archive.to_str().unwrap(), "saved:1", &multi])
        .ok();
    let other = Ns::new("load");
    let out = other.berth(&["load", "-i", archive.to_str().unwrap()]);
    assert_eq!(
        out.ok(),
        "Loaded image: saved:1\nLoaded image: 127.0.0.1:5000/berth-test/multilayer:latest\n"
    );
    assert_eq!(
        other
            .berth(&["run", "--rm", "saved:1", "echo", "loaded"])
            .ok(),
        "loaded\n"
    );
    // gzip on stdin, and stdout as the destination.
    let piped = ns.cmd().args(["save", "saved:1"]).output().unwrap();
    assert!(piped.status.success());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &piped.stdout).unwrap();
    let third = Ns::new("load-gz");
    assert_eq!(
        load_bytes(&third, &gz.finish().unwrap()).ok(),
        "Loaded image: saved:1\n"
    );
    // berth save -> ctr import, ctr export -> berth load.
    let ctr_ns = Ns::new("ctr-import");
    ctr_ns
        .ctr(&["images", "import", archive.to_str().unwrap()])
        .ok();
    let listed = ctr_ns.ctr(&["images", "ls", "-q"]).ok().to_string();
    assert!(listed.contains("docker.io/library/saved:1"), "{listed}");
    let exported = dir.path().join("ctr.tar");
    // ctr 2.x exports through the Transfer service and can exit before the
    // last bytes reach the file (seen under load: a tar that ends inside an
    // entry, and stays so). ctr's bug, not berth's: export again until the
    // file is a whole tar.
    // A tar cut at an entry boundary still lists: whole means its last
    // entries (ctr writes index.json after the blobs) are there too.
    let whole = || {
        let o = std::process::Command::new("tar")
            .arg("-tf")
            .arg(&exported)
            .stderr(std::process::Stdio::null())
            .output()
            .unwrap();
        o.status.success()
            && String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == "index.json")
    };
    let mut tries = 0;
    loop {
        ns.ctr(&["images", "export", exported.to_str().unwrap(), &multi])
            .ok();
        tries += 1;
        if crate::common::poll_for(3, whole) {
            break;
        }
        assert!(tries < 5, "ctr's export never gave a whole tar");
    }
    let fourth = Ns::new("load-ctr");
    fourth
        .berth(&["load", "-q", "-i", exported.to_str().unwrap()])
        .ok();
    fourth.berth(&["run", "--rm", &multi, "true"]).ok();
    // OCI format: no manifest.json.
    let oci = dir.path().join("oci.tar");
    ns.berth(&[
        "save",
        "--format",
        "oci",
        "-o",
        oci.to_str().unwrap(),
        "saved:1",
    ])
    .ok();
    let names = Command::new("tar").arg("-tf").arg(&oci).output().unwrap();
    let names = String::from_utf8_lossy(&names.stdout);
    assert!(
        names.contains("index.json") && !names.contains("manifest.json"),
        "{names}"
    );
    ns.berth(&[
        "save",
        "-o",
        dir.path().join("x.tar").to_str().unwrap(),
        "nope:1",
    ])
    .code(1)
    .stderr_has("No such image: nope:1");
    assert!(
        !dir.path().join("x.tar").exists(),
        "a failed save leaves no file"
    );
}

#[test]
fn hostile_and_broken_archives_are_refused_whole() {
    let ns = Ns::new("load-bad");
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let cfg_hex = digest(config);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{cfg_hex}","size":{}}},"layers":[]}}"#,
        config.len()
    );
    let man_hex = digest(manifest.as_bytes());
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{man_hex}","size":{},"annotations":{{"io.containerd.image.name":"docker.io/library/evil:1"}}}}]}}"#,
        manifest.len()
    );
    let cfg_path = format!("blobs/sha256/{cfg_hex}");
    let man_path = format!("blobs/sha256/{man_hex}");
    let good: Vec<Entry> = vec![
        (cfg_path.as_str(), b'0', "", config.as_slice()),
        (man_path.as_str(), b'0', "", manifest.as_bytes()),
        ("index.json", b'0', "", index.as_bytes()),
    ];
    // The well-formed archive loads: the hostile ones differ by one entry.
    let escape = std::env::temp_dir().join(format!("berth-escape-{}", std::process::id()));
    let escape_str = escape.to_str().unwrap().to_string();
    let traversal = format!("../../../..{escape_str}");
    let wrong = format!("blobs/sha256/{}", "0".repeat(64));
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "traversal",
            vec![(traversal.as_str(), b'0', "", b"x")],
            "points outside the archive",
        ),
        (
            "absolute",
            vec![(escape_str.as_str(), b'0', "", b"x")],
            "points outside the archive",
        ),
        (
            "symlink",
            vec![("blobs/link", b'2', "/etc", b"")],
            "points outside the archive",
        ),
        (
            "hardlink",
            vec![("blobs/hard", b'1', "../../etc/passwd", b"")],
            "points outside the archive",
        ),
        (
            "wrong digest",
            vec![(wrong.as_str(), b'0', "", b"not what the name says")],
            "blob sha256:0000",
        ),
    ];
    for (what, extra, message) in cases {
        let mut entries = extra.clone();
        entries.extend(good.iter().cloned());
        let out = load_bytes(&ns, &tar_of(&entries));
        out.code(1)
            .stderr_has("invalid image archive")
            .stderr_has(message);
        assert!(!escape.exists(), "{what}: nothing written outside");
    }
    let mut truncated = tar_of(&good);
    truncated.truncate(700);
    load_bytes(&ns, &truncated)
        .code(1)
        .stderr_has("invalid image archive");
    // A blob the index needs and neither the archive nor the store has (a
    // namespace of its own: the cases above left the good blobs in ns's
    // store, where they would count).
    let missing: Vec<_> = good.iter().filter(|e| e.0 != cfg_path).cloned().collect();
    let fresh = Ns::new("load-missing");
    load_bytes(&fresh, &tar_of(&missing))
        .code(1)
        .stderr_has("is missing");
    assert_eq!(fresh.berth(&["images", "-q"]).ok(), "");
    load_bytes(&ns, b"this is not a tar archive at all")
        .code(1)
        .stderr_has("invalid image archive");
    assert_eq!(
        ns.berth(&["images", "-q"]).ok(),
        "",
        "no half-imported image"
    );
    assert_eq!(
        load_bytes(&ns, &tar_of(&good)).ok(),
        "Loaded image: evil:1\n"
    );
}

#[test]
fn export_writes_a_containers_filesystem() {
    let ns = Ns::new("export");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "--name",
        "done",
        &img,
        "sh",
        "-c",
        "echo data > /made.txt && ln -s made.txt /link",
    ])
    .ok();
    let piped = ns.cmd().args(["export", "done"]).output().unwrap();
    assert!(piped.status.success());
    let dir = tempfile::tempdir().unwrap();
    let tar = dir.path().join("fs.tar");
    std::fs::write(&tar, &piped.stdout).unwrap();
    let listing = Command::new("tar").arg("-tvf").arg(&tar).output().unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout).to_string();
    assert!(
        listing.contains(" made.txt\n") && listing.contains(" link -> made.txt\n"),
        "{listing}"
    );
    assert!(
        listing.contains(" bin/busybox\n"),
        "the image's files too: {listing}"
    );
    let out = Command::new("tar")
        .arg("-xOf")
        .arg(&tar)
        .arg("made.txt")
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"data\n");
    // A running container, to a file.
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "live",
        &img,
        "sh",
        "-c",
        "echo live > /live.txt && sleep 60",
    ])
    .ok();
    crate::common::wait_for("/live.txt", 10, || {
        let file = dir.path().join("live.tar");
        ns.berth(&["export", "-o", file.to_str().unwrap(), "live"])
            .ok();
        let names = Command::new("tar").arg("-tf").arg(&file).output().unwrap();
        String::from_utf8_lossy(&names.stdout)
            .contains("live.txt")
            .then_some(())
    });
    ns.berth(&["export", "-o", "/tmp/never.tar", "no-such-container"])
        .code(1)
        .stderr_has("No such container");
    assert!(!std::path::Path::new("/tmp/never.tar").exists());
    ns.berth(&["rm", "-f", "live"]).ok();
}

#[test]
fn import_makes_an_image_from_a_filesystem_tarball() {
    let ns = Ns::new("import");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "--name",
        "src",
        &img,
        "sh",
        "-c",
        "echo imported > /hello",
    ])
    .ok();
    let fs = ns.cmd().args(["export", "src"]).output().unwrap();
    assert!(fs.status.success());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &fs.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fs.tgz");
    std::fs::write(&file, gz.finish().unwrap()).unwrap();
    let id = ns
        .berth(&[
            "import",
            "-c",
            "CMD [\"cat\", \"/hello\"]",
            "-c",
            "ENV MODE=imported",
            "-m",
            "from a test",
            file.to_str().unwrap(),
            "fromtar:1",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        ns.berth(&["image", "inspect", "-f", "{{.Id}}", "fromtar:1"])
            .ok()
            .trim(),
        id
    );
    assert_eq!(ns.berth(&["run", "--rm", "fromtar:1"]).ok(), "imported\n");
    assert_eq!(
        ns.berth(&["run", "--rm", "fromtar:1", "sh", "-c", "echo $MODE"])
            .ok(),
        "imported\n"
    );
    let comment = ns
        .berth(&["history", "--format", "{{.Comment}}", "fromtar:1"])
        .ok()
        .to_string();
    assert_eq!(comment, "from a test\n");
    // From stdin, plain, untagged.
    let out = ns.berth_stdin_bytes(&["import", "-"], &fs.stdout);
    assert!(out.ok().starts_with("sha256:"));
    ns.berth_stdin(&["import", "-"], "not a tarball")
        .code(1)
        .stderr_has("not a tar archive");
    ns.berth(&["import", "-c", "RUN make", file.to_str().unwrap()])
        .code(1)
        .stderr_has("not a valid change command");
}

/// berth reads blobs from containerd's content directory when it can, and
/// through containerd when it cannot (berth in a container without that
/// directory, here: a tmpfs over it in a mount namespace of its own); both
/// give the same archive.
#[test]
fn save_reads_through_containerd_when_the_content_directory_is_hidden() {
    let ns = Ns::new("save-hidden");
    let image = ns.pull("multilayer");
    let root = ns
        .berth(&["info", "-f", "{{.DockerRootDir}}"])
        .ok()
        .trim()
        .to_string();
    let content = format!("{root}/io.containerd.content.v1.content");
    assert!(
        std::path::Path::new(&content).join("blobs").is_dir(),
        "{content}"
    );
    let dir = tempfile::tempdir().unwrap();
    let (direct, hidden) = (dir.path().join("direct.tar"), dir.path().join("hidden.tar"));
    ns.berth(&["save", "-o", direct.to_str().unwrap(), &image])
        .ok();
    let cmd = ns.cmd();
    let berth = format!("{} {}", crate::common::berth_bin().display(), {
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        args.join(" ")
    });
    let script = format!(
        "mount -t tmpfs none {content} && ! test -d {content}/blobs && {berth} save -o {} {image}",
        hidden.display()
    );
    let out = std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&direct).unwrap(),
        std::fs::read(&hidden).unwrap(),
        "the same archive either way"
    );
}

//! `build --output`: every exporter type, each checked by what it wrote.

use std::process::Command;

use crate::build::{buildkit_host, context, ns_for_build};

fn tar_list(path: &std::path::Path) -> Vec<String> {
    let o = Command::new("tar").arg("-tf").arg(path).output().unwrap();
    assert!(o.status.success(), "{} is a tar", path.display());
    let mut v: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

#[test]
fn every_output_type() {
    let ns = ns_for_build("build-out", &buildkit_host());
    let base = ns.env.image("busybox");
    let ctx = context(&[(
        "Dockerfile",
        &format!(
            "FROM {base} AS b\nRUN mkdir /o && echo made > /o/made.txt && ln -s made.txt /o/link\nFROM scratch\nCOPY --from=b /o/ /\n"
        ),
    )]);
    let c = ctx.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    // type=local (and the -o DIR shorthand).
    let local = out.path().join("local");
    ns.berth(&[
        "build",
        "-q",
        "-o",
        &format!("type=local,dest={}", local.display()),
        c,
    ])
    .ok();
    assert_eq!(
        std::fs::read_to_string(local.join("made.txt")).unwrap(),
        "made\n"
    );
    assert_eq!(
        std::fs::read_link(local.join("link")).unwrap().to_str(),
        Some("made.txt")
    );
    let short = out.path().join("short");
    ns.berth(&["build", "-q", "-o", short.to_str().unwrap(), c])
        .ok();
    assert!(short.join("made.txt").is_file());
    // type=tar to a file and to stdout.
    let tar = out.path().join("fs.tar");
    ns.berth(&[
        "build",
        "-q",
        "-o",
        &format!("type=tar,dest={}", tar.display()),
        c,
    ])
    .ok();
    assert_eq!(tar_list(&tar), ["link", "made.txt"]);
    let piped = ns
        .cmd()
        .args(["build", "-q", "-o", "-", c])
        .output()
        .unwrap();
    assert!(piped.status.success());
    let stdout_tar = out.path().join("stdout.tar");
    std::fs::write(&stdout_tar, &piped.stdout).unwrap();
    assert_eq!(tar_list(&stdout_tar), ["link", "made.txt"]);
    // type=docker / type=oci archives.
    let docker = out.path().join("img-docker.tar");
    ns.berth(&[
        "build",
        "-q",
        "-t",
        "arch:1",
        "-o",
        &format!("type=docker,dest={}", docker.display()),
        c,
    ])
    .ok();
    let entries = tar_list(&docker);
    assert!(
        entries.contains(&"manifest.json".to_string())
            && entries.contains(&"index.json".to_string()),
        "{entries:?}"
    );
    let oci = out.path().join("img-oci.tar");
    ns.berth(&[
        "build",
        "-q",
        "-o",
        &format!("type=oci,dest={}", oci.display()),
        c,
    ])
    .ok();
    let entries = tar_list(&oci);
    assert!(
        entries.contains(&"oci-layout".to_string())
            && !entries.contains(&"manifest.json".to_string()),
        "{entries:?}"
    );
    assert!(
        !std::fs::read_dir(out.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".berth-")),
        "no temporary files left beside the outputs"
    );
    // type=docker without dest: loaded into containerd.
    ns.berth(&["build", "-q", "-t", "loaded:1", "-o", "type=docker", c])
        .ok();
    let images = ns
        .berth(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .ok()
        .to_string();
    assert!(images.contains("loaded:1"), "{images}");
}

#[test]
fn image_output_pushes_to_a_registry() {
    let ns = ns_for_build("build-push", &buildkit_host());
    let base = ns.env.image("busybox");
    let ctx = context(&[(
        "Dockerfile",
        &format!("FROM {base}\nRUN echo pushed-{} > /p\n", std::process::id()),
    )]);
    let name = format!(
        "{}/berth-test/built-{}:1",
        ns.env.registry,
        std::process::id()
    );
    let spec = format!("type=image,name={name},push=true,registry.insecure=true");
    ns.berth(&["build", "-q", "-o", &spec, ctx.path().to_str().unwrap()])
        .ok();
    let other = crate::common::Ns::new("build-push-pull");
    other.berth(&["pull", "-q", &name]).ok();
    assert_eq!(
        other.berth(&["run", "--rm", &name, "cat", "/p"]).ok(),
        format!("pushed-{}\n", std::process::id())
    );
}

/// `FROM scratch` alone: BuildKit writes `null` for the layers, diff ids
/// and history; the image lists, inspects, saves and runs like docker's.
#[test]
fn an_image_without_layers_is_an_image() {
    let ns = ns_for_build("build-empty", &buildkit_host());
    let ctx = context(&[("Dockerfile", "FROM scratch\nENV A=1\n")]);
    let id = ns
        .berth(&["build", "-q", "-t", "empty:1", ctx.path().to_str().unwrap()])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        ns.berth(&["images", "-q", "--no-trunc", "empty:1"])
            .ok()
            .trim(),
        id
    );
    assert_eq!(
        ns.berth(&[
            "image",
            "inspect",
            "-f",
            "{{.RootFS.Layers}} {{.Config.Env}}",
            "empty:1"
        ])
        .ok(),
        "[] [PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin A=1]\n"
    );
    let saved = ns.berth(&["save", "empty:1"]);
    saved.ok();
    assert!(saved.stdout_bytes.len() > 1024, "a tar of the image");
    // docker: nothing to execute in an empty root is exit 127.
    ns.berth(&["run", "--rm", "empty:1", "true"])
        .code(127)
        .stderr_has("executable file not found");
}

//! push to the local registries: cross-repository mounts, blobs the
//! registry has skipped, uploads streamed from containerd, the digest kept,
//! Basic auth through login.

use crate::common::Ns;

fn digest_line(out: &str) -> String {
    out.lines()
        .find(|l| l.contains(": digest: "))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn push_mounts_skips_uploads_and_keeps_the_digest() {
    let ns = Ns::new("push");
    let base = ns.pull("busybox");
    let target = format!(
        "{}/berth-test/pushed-{}:1",
        ns.env.registry,
        std::process::id()
    );
    ns.berth(&["tag", &base, &target]).ok();
    let first = ns.berth(&["push", &target]).ok().to_string();
    let repo = target.rsplit_once(':').unwrap().0;
    assert!(
        first.starts_with(&format!("The push refers to repository [{repo}]\n")),
        "{first}"
    );
    assert!(
        first.contains("Mounted from berth-test/busybox"),
        "pulled blobs are mounted: {first}"
    );
    let digest = digest_line(&first);
    let stored = ns
        .berth(&["image", "inspect", "-f", "{{index .RepoDigests 0}}", &base])
        .ok()
        .to_string();
    assert!(
        stored.trim().ends_with(&digest),
        "the stored digest is kept: {stored} vs {digest}"
    );
    let again = ns.berth(&["push", &target]).ok().to_string();
    assert!(
        again.contains("Layer already exists") && !again.contains("Pushed"),
        "{again}"
    );
    assert_eq!(digest_line(&again), digest);
    // Blobs without a source to mount from are uploaded.
    let other = Ns::new("push-load");
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("b.tar");
    ns.berth(&["save", "-o", archive.to_str().unwrap(), &base])
        .ok();
    other
        .berth(&["load", "-q", "-i", archive.to_str().unwrap()])
        .ok();
    let fresh = format!(
        "{}/berth-test/uploaded-{}:2",
        ns.env.registry,
        std::process::id()
    );
    other.berth(&["tag", &base, &fresh]).ok();
    let up = other.berth(&["push", &fresh]).ok().to_string();
    assert!(up.contains(": Pushed"), "{up}");
    // And what was pushed pulls and runs elsewhere.
    let third = Ns::new("push-pull");
    third.berth(&["pull", "-q", &fresh]).ok();
    assert_eq!(
        third
            .berth(&["run", "--rm", &fresh, "echo", "round trip"])
            .ok(),
        "round trip\n"
    );
    // ctr pulls what berth pushed, to the same digest.
    let ctr_ns = Ns::new("push-ctr");
    ctr_ns.ctr(&["images", "pull", "--plain-http", &fresh]).ok();
    let pushed = digest_line(&up);
    let listed = ctr_ns.ctr(&["images", "ls"]).ok().to_string();
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with(&fresh) && l.contains(&pushed)),
        "{listed} lacks {pushed}"
    );
    let q = other.berth(&["push", "-q", &fresh]).ok().to_string();
    assert_eq!(q.trim(), fresh);
    ns.berth(&["push", "never-made:1"])
        .code(1)
        .stderr_has("An image does not exist locally with the tag: never-made:1");
}

#[test]
fn push_to_the_auth_registry_needs_login() {
    let mut ns = Ns::new("push-auth");
    let cfg = tempfile::tempdir().unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), cfg.path().display().to_string()));
    let base = ns.pull("busybox");
    let target = format!(
        "{}/berth-test/private-{}:1",
        ns.env.auth_registry,
        std::process::id()
    );
    ns.berth(&["tag", &base, &target]).ok();
    ns.berth(&["push", &target]).code(1);
    let (user, pass) = (ns.env.auth_user.clone(), ns.env.auth_password.clone());
    ns.berth_stdin(
        &[
            "login",
            "-u",
            &user,
            "--password-stdin",
            &ns.env.auth_registry,
        ],
        &pass,
    )
    .ok();
    let out = ns.berth(&["push", &target]).ok().to_string();
    assert!(out.contains(": digest: sha256:"), "{out}");
    let mut other = Ns::new("push-auth-pull");
    other
        .vars
        .push(("DOCKER_CONFIG".into(), cfg.path().display().to_string()));
    other.berth(&["pull", "-q", &target]).ok();
}

#[test]
fn multi_platform_images_push_what_is_there() {
    let ns = Ns::new("push-multi");
    let multi = ns.env.image("multiarch");
    ns.berth(&["pull", "-q", &multi]).ok();
    let target = format!(
        "{}/berth-test/multi-{}:1",
        ns.env.registry,
        std::process::id()
    );
    ns.berth(&["tag", &multi, &target]).ok();
    // Only this platform is in the store: --all-platforms cannot be met.
    ns.berth(&["push", "--all-platforms", &target])
        .code(1)
        .stderr_has("not every platform");
    let out = ns.berth(&["push", &target]).ok().to_string();
    let amd64 = std::env::var("BERTH_TEST_IMAGE_MULTIARCH_AMD64_DIGEST")
        .expect("scripts/testenv env exports the multiarch image's amd64 digest");
    assert_eq!(
        digest_line(&out),
        amd64,
        "the host's manifest, byte for byte"
    );
}

#[test]
fn push_on_a_terminal_draws_a_line_per_layer() {
    let ns = Ns::new("push-tty");
    let image = format!(
        "{}/berth-test/tty-{}:1",
        ns.env.registry,
        std::process::id()
    );
    crate::flaky_registry::random_local_image(&ns, &image, 3);
    let (code, text) = ns.in_pty(&format!("{{berth}} push {image}"));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\u{1b}["), "drawn, not printed: {text:?}");
    assert!(text.contains(": Pushed"), "{text}");
    assert!(text.contains("1: digest: sha256:"), "{text}");
    assert!(
        !text.contains("Preparing\n"),
        "no plain lines on a terminal: {text:?}"
    );
}

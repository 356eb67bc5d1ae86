//! Registry host configuration from containerd-style hosts.toml files:
//! mirrors first, the upstream (`server`) last, falling through when a
//! mirror fails; pushes go to the upstream.

use crate::common::Ns;

fn hosts_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (host, toml) in files {
        std::fs::create_dir_all(d.path().join(host)).unwrap();
        std::fs::write(d.path().join(host).join("hosts.toml"), toml).unwrap();
    }
    d
}

#[test]
fn mirrors_then_upstream() {
    let mut ns = Ns::new("hosts");
    let reg = ns.env.registry.clone();
    // registry.test does not resolve and its server is dead: only the
    // mirror (our plain registry) can serve it.
    let dir = hosts_dir(&[
        (
            "registry.test",
            &format!(
                "server = \"http://127.0.0.1:1\"\n[host.\"http://{reg}\"]\n  capabilities = [\"pull\", \"resolve\"]\n"
            ),
        ),
        (
            reg.as_str(),
            "[host.\"http://127.0.0.1:1\"]\n  capabilities = [\"pull\", \"resolve\"]\n",
        ),
    ]);
    ns.vars
        .push(("BERTH_HOSTS_DIR".into(), dir.path().display().to_string()));
    ns.berth(&["pull", "-q", "registry.test/berth-test/busybox:latest"])
        .ok();
    assert_eq!(
        ns.berth(&[
            "run",
            "--rm",
            "registry.test/berth-test/busybox:latest",
            "echo",
            "mirrored"
        ])
        .ok(),
        "mirrored\n"
    );
    // A dead mirror in front of a live upstream: the pull falls through.
    ns.berth(&["pull", "-q", &ns.env.image("multilayer")]).ok();
    // Pushes go to the upstream, here the dead server: a clear error.
    ns.berth(&[
        "tag",
        "registry.test/berth-test/busybox:latest",
        "registry.test/x/y:1",
    ])
    .ok();
    ns.berth(&["push", "registry.test/x/y:1"])
        .code(1)
        .stderr_has("http://127.0.0.1:1/v2/x/y");
    // --hosts-dir says the same as the environment.
    let mut plain = Ns::new("hosts-flag");
    plain.vars.clear();
    let flag = dir.path().display().to_string();
    plain
        .berth(&[
            "--hosts-dir",
            &flag,
            "pull",
            "-q",
            "registry.test/berth-test/busybox:latest",
        ])
        .ok();
    // A broken file is one clear line.
    let bad = hosts_dir(&[("registry.test", "server = \"ftp://nope\"\n")]);
    let flag = bad.path().display().to_string();
    plain
        .berth(&["--hosts-dir", &flag, "pull", "registry.test/a/b:1"])
        .code(1)
        .stderr_has("hosts.toml");
}

/// The TLS registry from testenv (its own CA): trusted through hosts.toml's
/// `ca`, refused without it (with a hint), accepted with `skip_verify`.
#[test]
fn tls_registry_through_ca_and_skip_verify() {
    let mut ns = Ns::new("hosts-tls");
    let reg = std::env::var("BERTH_TEST_TLS_REGISTRY").unwrap_or_else(|_| "127.0.0.1:5443".into());
    let ca = std::env::var("BERTH_TEST_TLS_CA").expect("scripts/testenv env exports the test CA");
    let with_ca = hosts_dir(&[(
        reg.as_str(),
        &format!("server = \"https://{reg}\"\nca = \"{ca}\"\n"),
    )]);
    ns.vars.push((
        "BERTH_HOSTS_DIR".into(),
        with_ca.path().display().to_string(),
    ));
    let base = ns.pull("busybox");
    let name = format!("{reg}/tls-{}/busybox:1", std::process::id());
    ns.berth(&["tag", &base, &name]).ok();
    ns.berth(&["push", &name]).ok();
    let mut other = Ns::new("hosts-tls-2");
    other.vars.push((
        "BERTH_HOSTS_DIR".into(),
        with_ca.path().display().to_string(),
    ));
    other.berth(&["pull", "-q", &name]).ok();
    other.berth(&["run", "--rm", &name, "true"]).ok();
    let untrusted = hosts_dir(&[(reg.as_str(), &format!("server = \"https://{reg}\"\n"))]);
    let mut third = Ns::new("hosts-tls-3");
    third.vars.push((
        "BERTH_HOSTS_DIR".into(),
        untrusted.path().display().to_string(),
    ));
    third
        .berth(&["pull", &name])
        .code(1)
        .stderr_has("UnknownIssuer")
        .stderr_has("Hint: trust the registry's CA");
    let skip = hosts_dir(&[(
        reg.as_str(),
        &format!("server = \"https://{reg}\"\nskip_verify = true\n"),
    )]);
    third.vars.clear();
    third
        .vars
        .push(("BERTH_HOSTS_DIR".into(), skip.path().display().to_string()));
    third.berth(&["pull", "-q", &name]).ok();
}

/// The mutual-TLS registry from testenv: a client certificate through
/// hosts.toml's `client` (relative to the host's directory), refused
/// without one, and docker's loose certs.d files (`*.crt`, `NAME.cert` +
/// `NAME.key`) in a directory without hosts.toml.
#[test]
fn client_certificates_from_hosts_toml_and_loose_files() {
    let var = |n: &str| std::env::var(n).unwrap_or_else(|_| panic!("{n} (scripts/testenv env)"));
    let reg = var("BERTH_TEST_MTLS_REGISTRY");
    let (ca, cert, key) = (
        var("BERTH_TEST_TLS_CA"),
        var("BERTH_TEST_TLS_CLIENT_CERT"),
        var("BERTH_TEST_TLS_CLIENT_KEY"),
    );
    let copy_into = |dir: &std::path::Path, names: [&str; 3]| {
        std::fs::create_dir_all(dir).unwrap();
        for (from, to) in [&ca, &cert, &key].into_iter().zip(names) {
            std::fs::copy(from, dir.join(to)).unwrap();
        }
    };
    let with_client = hosts_dir(&[(
        reg.as_str(),
        &format!(
            "server = \"https://{reg}\"\nca = \"ca.pem\"\nclient = [[\"me.cert\", \"me.key\"]]\n"
        ),
    )]);
    copy_into(
        &with_client.path().join(&reg),
        ["ca.pem", "me.cert", "me.key"],
    );
    let mut ns = Ns::new("hosts-mtls");
    ns.vars.push((
        "BERTH_HOSTS_DIR".into(),
        with_client.path().display().to_string(),
    ));
    let base = ns.pull("busybox");
    let name = format!("{reg}/mtls-{}/busybox:1", std::process::id());
    ns.berth(&["tag", &base, &name]).ok();
    ns.berth(&["push", &name]).ok();

    let no_client = hosts_dir(&[(
        reg.as_str(),
        &format!("server = \"https://{reg}\"\nca = \"{ca}\"\n"),
    )]);
    let mut refused = Ns::new("hosts-mtls-2");
    refused.vars.push((
        "BERTH_HOSTS_DIR".into(),
        no_client.path().display().to_string(),
    ));
    refused.berth(&["pull", "-q", &name]).code(1);

    let loose = tempfile::tempdir().unwrap();
    copy_into(
        &loose.path().join(&reg),
        ["testenv.crt", "client.cert", "client.key"],
    );
    let mut other = Ns::new("hosts-mtls-3");
    other
        .vars
        .push(("BERTH_HOSTS_DIR".into(), loose.path().display().to_string()));
    other.berth(&["pull", "-q", &name]).ok();
    other.berth(&["run", "--rm", &name, "true"]).ok();
}

/// hosts.toml's `[header]` goes with every request (seen by the proxy).
#[test]
fn headers_from_hosts_toml_are_sent() {
    let mut ns = Ns::new("hosts-header");
    let proxy = crate::common::proxy::FaultProxy::start(&ns.env.registry);
    let host = proxy.host();
    let dir = hosts_dir(&[(
        host.as_str(),
        &format!("server = \"http://{host}\"\n[header]\n  x-berth-test = [\"one\", \"two\"]\n"),
    )]);
    ns.vars
        .push(("BERTH_HOSTS_DIR".into(), dir.path().display().to_string()));
    ns.berth(&["pull", "-q", &format!("{host}/berth-test/busybox:latest")])
        .ok();
    let heads = proxy.heads();
    assert!(!heads.is_empty());
    for h in &heads {
        let lower = h.to_ascii_lowercase();
        assert!(lower.contains("x-berth-test: one, two\r\n"), "{h}");
    }
}

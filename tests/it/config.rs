//! berth's config file (`BERTH_CONFIG`, default /etc/berth/berth.toml):
//! defaults below flags and environment, insecure registries added to the
//! flag's, a broken file refused with docker's usage exit code.

use std::process::Command;

use crate::common::{Ns, Out, berth_bin};

/// berth with only the config file to say the namespace.
fn berth_with_config(
    ns: &Ns,
    config: &std::path::Path,
    args: &[&str],
    namespace_env: Option<&str>,
) -> Out {
    let mut c = Command::new(berth_bin());
    c.env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .env("BERTH_CONFIG", config)
        .env_remove("CONTAINERD_NAMESPACE");
    if let Some(n) = namespace_env {
        c.env("CONTAINERD_NAMESPACE", n);
    }
    Out::from(c.args(args).output().unwrap())
}

#[test]
fn the_config_file_gives_defaults_that_flags_and_environment_override() {
    let ns = Ns::new("config");
    let by_env = Ns::new("config-env");
    let by_flag = Ns::new("config-flag");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("berth.toml");
    // 0.0.0.0 reaches the plain registry on loopback but is no loopback
    // name, so only insecure_registries makes berth speak plain HTTP to it.
    let image = ns.env.registry.replace("127.0.0.1", "0.0.0.0") + "/berth-test/busybox:latest";
    std::fs::write(&file, format!("namespace = \"{}\"\n", ns.name)).unwrap();
    berth_with_config(&ns, &file, &["pull", "-q", &image], None)
        .code(1)
        .stderr_has("https://0.0.0.0");
    std::fs::write(
        &file,
        format!(
            "namespace = \"{}\"\ninsecure_registries = [\"{}\"]\n",
            ns.name,
            image.split('/').next().unwrap()
        ),
    )
    .unwrap();
    berth_with_config(&ns, &file, &["pull", "-q", &image], None).ok();
    assert_ne!(
        ns.berth(&["images", "-q"]).ok(),
        "",
        "pulled into the config's namespace"
    );
    berth_with_config(&ns, &file, &["pull", "-q", &image], Some(&by_env.name)).ok();
    assert_ne!(
        by_env.berth(&["images", "-q"]).ok(),
        "",
        "CONTAINERD_NAMESPACE wins"
    );
    berth_with_config(
        &ns,
        &file,
        &["-n", &by_flag.name, "pull", "-q", &image],
        Some(&by_env.name),
    )
    .ok();
    assert_ne!(
        by_flag.berth(&["images", "-q"]).ok(),
        "",
        "-n wins over both"
    );

    std::fs::write(&file, "namespase = \"typo\"\n").unwrap();
    berth_with_config(&ns, &file, &["images"], None)
        .code(125)
        .stderr_has("config file")
        .stderr_has("unknown field `namespase`");
    let missing = dir.path().join("absent.toml");
    berth_with_config(&ns, &missing, &["images"], None)
        .code(125)
        .stderr_has("absent.toml");
}

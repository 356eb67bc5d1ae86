//! login/logout against the htpasswd registry: config.json kept the way
//! docker keeps it, a credential helper used when configured, and the
//! password never shown.

use std::os::unix::fs::PermissionsExt;

use crate::common::Ns;

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn login_stores_credentials_that_pull_then_uses() {
    let mut ns = Ns::new("login");
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("docker-config");
    ns.vars
        .push(("DOCKER_CONFIG".into(), cfg.display().to_string()));
    let reg = ns.env.auth_registry.clone();
    let user = ns.env.auth_user.clone();
    let pass = ns.env.auth_password.clone();
    let image = format!("{reg}/berth-test/busybox:latest");
    // A wrong password: refused by the registry, nothing stored, never shown.
    let bad = ns.berth_stdin(
        &["login", "-u", &user, "--password-stdin", &reg],
        "wrong-pass-77\n",
    );
    bad.code(1)
        .stderr_has("unauthorized: incorrect username or password");
    assert!(!bad.stderr.contains("wrong-pass-77") && !bad.stdout.contains("wrong-pass-77"));
    assert!(!cfg.join("config.json").exists());
    // Other keys of an existing config survive.
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.json"),
        r#"{"psFormat": "table {{.ID}}", "auths": {}}"#,
    )
    .unwrap();
    let ok = ns.berth_stdin(
        &["login", "-u", &user, "--password-stdin", &reg],
        &format!("{pass}\n"),
    );
    assert_eq!(ok.ok(), "Login Succeeded\n");
    assert!(!ok.stderr.contains(&pass));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cfg.join("config.json")).unwrap()).unwrap();
    assert_eq!(doc["psFormat"], "table {{.ID}}");
    assert!(doc["auths"][&reg]["auth"].is_string());
    assert_eq!(mode(&cfg.join("config.json")), 0o600);
    ns.berth(&["pull", "-q", &image]).ok();
    // -p works, with docker's warning.
    let warned = ns.berth(&["login", "-u", &user, "-p", &pass, &reg]);
    warned.ok();
    assert!(
        warned
            .stderr
            .contains("Using --password via the CLI is insecure")
    );
    assert_eq!(
        ns.berth(&["logout", &reg]).ok(),
        format!("Removing login credentials for {reg}\n")
    );
    assert_eq!(
        ns.berth(&["logout", &reg]).ok(),
        format!("Not logged in to {reg}\n")
    );
    ns.berth(&["rmi", &image]).ok();
    ns.berth(&["pull", "-q", &image]).code(1);
    // No terminal and no -u: docker's refusal.
    ns.berth(&["login", &reg])
        .code(1)
        .stderr_has("Cannot perform an interactive login from a non TTY device");
}

#[test]
fn a_new_config_directory_is_private() {
    let mut ns = Ns::new("login-dir");
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("fresh");
    ns.vars
        .push(("DOCKER_CONFIG".into(), cfg.display().to_string()));
    let reg = ns.env.auth_registry.clone();
    let (user, pass) = (ns.env.auth_user.clone(), ns.env.auth_password.clone());
    ns.berth_stdin(&["login", "-u", &user, "--password-stdin", &reg], &pass)
        .ok();
    assert_eq!(mode(&cfg), 0o700);
    assert_eq!(mode(&cfg.join("config.json")), 0o600);
}

#[test]
fn a_credential_helper_holds_the_secret() {
    let mut ns = Ns::new("login-helper");
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("cfg");
    let bin = home.path().join("bin");
    let store = home.path().join("store");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&store).unwrap();
    // A helper speaking docker's protocol, keeping entries as files.
    let helper = format!(
        "#!/bin/sh\nset -e\ncase \"$1\" in\n\
         store) cat > {s}/entry.json ;;\n\
         get) read server || true; [ -f {s}/entry.json ] || {{ echo 'credentials not found in native keychain'; exit 1; }}; cat {s}/entry.json ;;\n\
         erase) read server || true; echo \"$server\" > {s}/erased; rm -f {s}/entry.json ;;\n\
         esac\n",
        s = store.display()
    );
    let path = bin.join("docker-credential-berthtest");
    std::fs::write(&path, helper).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(cfg.join("config.json"), r#"{"credsStore": "berthtest"}"#).unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), cfg.display().to_string()));
    ns.vars.push((
        "PATH".into(),
        format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
    ));
    let reg = ns.env.auth_registry.clone();
    let (user, pass) = (ns.env.auth_user.clone(), ns.env.auth_password.clone());
    let out = ns.berth_stdin(&["login", "-u", &user, "--password-stdin", &reg], &pass);
    assert_eq!(out.ok(), "Login Succeeded\n");
    assert!(!out.stderr.contains("unencrypted"), "{}", out.stderr);
    let config = std::fs::read_to_string(cfg.join("config.json")).unwrap();
    assert!(
        !config.contains(&pass),
        "the secret is not in config.json: {config}"
    );
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(store.join("entry.json")).unwrap()).unwrap();
    assert_eq!(
        (entry["ServerURL"].as_str(), entry["Username"].as_str()),
        (Some(reg.as_str()), Some(user.as_str()))
    );
    // pull gets the credentials back from the helper.
    ns.berth(&["pull", "-q", &format!("{reg}/berth-test/busybox:latest")])
        .ok();
    ns.berth(&["logout", &reg]).ok();
    assert_eq!(
        std::fs::read_to_string(store.join("erased"))
            .unwrap()
            .trim(),
        reg
    );
}

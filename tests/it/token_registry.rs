//! The registry with `auth: token` (Docker Hub's flow) from testenv, its
//! tokens signed by scripts/tokenserver.py: login, push, a cross-repository
//! mount (a token with two scopes), pull.

use crate::common::Ns;

fn token_registry() -> String {
    std::env::var("BERTH_TEST_TOKEN_REGISTRY").unwrap_or_else(|_| "127.0.0.1:5002".into())
}

#[test]
fn bearer_tokens_for_login_push_mount_and_pull() {
    let mut ns = Ns::new("token");
    let cfg = tempfile::tempdir().unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), cfg.path().display().to_string()));
    let reg = token_registry();
    let (user, pass) = (ns.env.auth_user.clone(), ns.env.auth_password.clone());
    let base = ns.pull("busybox");
    let first = format!("{reg}/tok-{}/one:1", std::process::id());
    let second = format!("{reg}/tok-{}/two:1", std::process::id());
    ns.berth(&["tag", &base, &first]).ok();
    // No credentials: the token grants nothing, the push is refused.
    ns.berth(&["push", &first]).code(1);
    let bad = ns.berth_stdin(
        &["login", "-u", &user, "--password-stdin", &reg],
        "not-the-password\n",
    );
    bad.code(1)
        .stderr_has("unauthorized: incorrect username or password");
    assert!(!bad.stderr.contains("not-the-password"));
    ns.berth_stdin(&["login", "-u", &user, "--password-stdin", &reg], &pass)
        .ok();
    let pushed = ns.berth(&["push", &first]).ok().to_string();
    assert!(pushed.contains(": Pushed"), "{pushed}");
    // Pulled back by another namespace, then pushed to a second repository:
    // its blob is mounted from the first, which needs pull on one and push
    // on the other in one token.
    let mut other = Ns::new("token-2");
    other
        .vars
        .push(("DOCKER_CONFIG".into(), cfg.path().display().to_string()));
    other.berth(&["pull", "-q", &first]).ok();
    other.berth(&["tag", &first, &second]).ok();
    let mounted = other.berth(&["push", &second]).ok().to_string();
    let first_repo = first
        .trim_start_matches(&format!("{reg}/"))
        .trim_end_matches(":1");
    assert!(
        mounted.contains(&format!("Mounted from {first_repo}")),
        "{mounted}"
    );
    other.berth(&["run", "--rm", &first, "true"]).ok();
    // Logged out: the pull is refused with docker's words.
    other.berth(&["logout", &reg]).ok();
    let third = {
        let mut n = Ns::new("token-3");
        n.vars
            .push(("DOCKER_CONFIG".into(), cfg.path().display().to_string()));
        n
    };
    third
        .berth(&["pull", &second])
        .code(1)
        .stderr_has("pull access denied");
}

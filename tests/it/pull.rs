//! `berth pull` against the local registries, and interop with ctr.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::common::{Ns, wait_for};

#[test]
fn pulls_an_oci_image_that_ctr_accepts_and_runs() {
    let ns = Ns::new("pull-oci");
    let img = ns.env.image("busybox");
    let out = ns.berth(&["pull", &img]);
    assert_eq!(out.ok(), format!("{img}\n"));
    out.stderr_has("latest: Pulling from berth-test/busybox")
        .stderr_has(": Pull complete")
        .stderr_has("Digest: sha256:")
        .stderr_has(&format!("Status: Downloaded newer image for {img}"));
    let check = ns.ctr(&["images", "check"]);
    let line = check
        .ok()
        .lines()
        .find(|l| l.starts_with(&img))
        .unwrap_or_default()
        .to_string();
    assert!(
        line.contains("complete (2/2)") && line.trim_end().ends_with("true"),
        "{line}"
    );
    assert_eq!(
        ns.ctr(&["run", "--rm", &img, "ctr-run", "echo", "ran-by-ctr"])
            .ok(),
        "ran-by-ctr\n"
    );
}

#[test]
fn runs_images_pulled_by_ctr() {
    let ns = Ns::new("pull-ctr");
    let img = ns.env.image("multilayer");
    ns.ctr(&["images", "pull", "--plain-http", &img]).ok();
    assert_eq!(
        ns.berth(&["run", "--rm", &img]).ok(),
        "multilayer default-arg\n"
    );
}

#[test]
fn repeated_pull_is_up_to_date_and_quiet_prints_the_name() {
    let ns = Ns::new("pull-again");
    let img = ns.env.image("busybox");
    ns.berth(&["pull", "-q", &img]).ok();
    let out = ns.berth(&["pull", &img]);
    out.ok();
    out.stderr_has("Already exists")
        .stderr_has("Status: Image is up to date");
    let q = ns.berth(&["pull", "-q", &img]);
    assert_eq!(q.ok(), format!("{img}\n"));
    assert_eq!(q.stderr, "");
}

#[test]
fn docker_media_types_and_multi_layer_images() {
    let ns = Ns::new("pull-docker");
    let img = ns.env.image("busybox-docker");
    ns.berth(&["pull", "-q", &img]).ok();
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "echo", "docker-v2"]).ok(),
        "docker-v2\n"
    );
    let multi = ns.env.image("multilayer");
    let out = ns.berth(&["pull", &multi]);
    out.ok();
    // The shared busybox layer is not downloaded twice.
    assert_eq!(
        out.stderr.matches("Already exists").count(),
        1,
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("Pull complete").count(),
        2,
        "{}",
        out.stderr
    );
}

#[test]
fn index_resolves_to_the_requested_platform() {
    let ns = Ns::new("pull-index");
    let img = ns.env.image("multiarch");
    ns.berth(&["pull", "-q", &img]).ok();
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "echo", "amd64-ok"]).ok(),
        "amd64-ok\n"
    );
    let arm = Ns::new("pull-index-arm");
    arm.berth(&["pull", "-q", "--platform", "linux/arm64", &img])
        .ok();
    // Only the arm64 manifest came: its id resolves for arm64, not for amd64.
    let id = |p: &str| {
        arm.berth(&[
            "images",
            "--no-trunc",
            "--platform",
            p,
            "--format",
            "{{.ID}}",
        ])
        .ok()
        .trim()
        .to_string()
    };
    let index_digest = arm
        .berth(&["images", "--format", "{{.Digest}}"])
        .ok()
        .trim()
        .to_string();
    assert_ne!(id("linux/arm64"), index_digest);
    assert_eq!(
        id("linux/amd64"),
        index_digest,
        "amd64 content must be absent"
    );
    arm.berth(&["pull", "--platform", "linux/s390x", &img])
        .code(1)
        .stderr_has("no matching manifest for linux/s390x");
}

#[test]
fn digests_pin_the_image() {
    let ns = Ns::new("pull-digest");
    let img = ns.env.image("busybox");
    let out = ns.berth(&["pull", &img]);
    let digest = out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Digest: "))
        .expect("digest line")
        .to_string();
    let pinned = format!("{}/berth-test/busybox@{digest}", ns.env.registry);
    assert_eq!(
        ns.berth(&["pull", "-q", &pinned]).ok(),
        format!("{pinned}\n")
    );
    assert_eq!(
        ns.berth(&["run", "--rm", &pinned, "echo", "pinned"]).ok(),
        "pinned\n"
    );
}

#[test]
fn bad_references_and_missing_images() {
    let ns = Ns::new("pull-bad");
    ns.berth(&["pull", "Upper/Case"])
        .code(1)
        .stderr_has("must be lowercase");
    ns.berth(&["pull", "a b"])
        .code(1)
        .stderr_has("invalid reference format");
    let missing = ns.berth(&[
        "pull",
        "-q",
        &format!("{}/berth-test/no-such-image", ns.env.registry),
    ]);
    missing.code(1);
    assert_eq!(
        missing.stderr,
        format!(
            "Error response from daemon: manifest for {}/berth-test/no-such-image:latest not found: manifest unknown\n",
            ns.env.registry
        )
    );
    // Nothing listens on port 1: the error says the connection was refused
    // and what to check, not merely the name that was typed.
    let refused = ns.berth(&["pull", "-q", "127.0.0.1:1/x/y"]);
    refused.code(1);
    let lines: Vec<&str> = refused.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", refused.stderr);
    assert!(
        lines[0].starts_with("Error: 127.0.0.1:1: ") && lines[0].contains("Connection refused"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "Hint: check that the registry is reachable; use --insecure-registry for a plain-HTTP registry"
    );
    ns.berth(&["pull", "--platform", "linux//", &ns.env.image("busybox")])
        .code(1)
        .stderr_has("invalid platform");
}

fn docker_config(dir: &std::path::Path, registry: &str, user: &str, password: &str) {
    use base64::Engine;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let cfg = serde_json::json!({"auths": {registry: {"auth": auth}}});
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
}

#[test]
fn auth_registry_with_good_bad_and_no_credentials() {
    let mut ns = Ns::new("pull-auth");
    let img = format!("{}/berth-test/busybox:latest", ns.env.auth_registry);
    let dir = tempfile::tempdir().unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), dir.path().display().to_string()));
    // No credentials at all.
    ns.berth(&["pull", &img])
        .code(1)
        .stderr_has("pull access denied");
    // Wrong password: refused, and the password never appears in output.
    docker_config(
        dir.path(),
        &ns.env.auth_registry,
        &ns.env.auth_user,
        "wrong-secret-123",
    );
    let out = ns.berth(&["pull", &img]);
    out.code(1).stderr_has("pull access denied");
    assert!(!out.stderr.contains("wrong-secret-123") && !out.stdout.contains("wrong-secret-123"));
    // Right password.
    let (user, pass) = (ns.env.auth_user.clone(), ns.env.auth_password.clone());
    docker_config(dir.path(), &ns.env.auth_registry, &user, &pass);
    assert_eq!(ns.berth(&["pull", "-q", &img]).ok(), format!("{img}\n"));
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "echo", "authed"]).ok(),
        "authed\n"
    );
}

/// A TCP proxy to the registry that slows responses to `rate` bytes/s.
fn throttled_proxy(upstream: String, rate: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(client) = conn else { continue };
            let Ok(server) = TcpStream::connect(&upstream) else {
                continue;
            };
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c_read, &mut s_write);
            });
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 16 * 1024];
                let pause = Duration::from_secs_f64(buf.len() as f64 / rate as f64);
                loop {
                    match s_read.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            if c_write.write_all(&buf[..n]).is_err() {
                                break;
                            }
                            std::thread::sleep(pause);
                        }
                    }
                }
            });
        }
    });
    port
}

#[test]
fn an_interrupted_pull_resumes_where_it_stopped() {
    let ns = Ns::new("pull-resume");
    let port = throttled_proxy(ns.env.registry.clone(), 3 << 20);
    let img = format!("127.0.0.1:{port}/berth-test/large:latest");
    let mut child = ns
        .cmd()
        .args(["pull", &img])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until part of a layer is in containerd's ingest, then kill -9.
    let (written, total) = wait_for("a partial ingest", 60, || {
        ingests(&ns)
            .into_iter()
            .find(|&(offset, total)| offset > 0 && offset < total)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let out = ns.berth(&["pull", &img]);
    out.ok();
    let resumed: u64 = out
        .stderr
        .lines()
        .find_map(|l| l.split("Resuming download at byte ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no resume line in:\n{}", out.stderr));
    // The ingest only grew after it was seen: the pull went on from there,
    // not from the start, and not past the end.
    assert!(
        written <= resumed && resumed < total,
        "seen {written} of {total}, resumed at {resumed}"
    );
    let check = ns.ctr(&["images", "check"]);
    assert!(check.ok().contains("complete"), "{}", check.stdout);
    assert_eq!(ns.berth(&["run", "--rm", &img, "true"]).code, 0);
}

/// (offset, total) of every ingest in progress in the namespace, read
/// from containerd with berth's client.
fn ingests(ns: &Ns) -> Vec<(u64, u64)> {
    use containerd_client::services::v1::ListStatusesRequest;
    ns.with_client(async |c| {
        c.content()
            .list_statuses(ListStatusesRequest::default())
            .await
            .unwrap()
            .into_inner()
            .statuses
            .iter()
            .map(|s| (s.offset as u64, s.total as u64))
            .collect()
    })
}

#[test]
fn run_unpacks_an_image_that_was_only_fetched() {
    let ns = Ns::new("pull-fetch-only");
    let img = ns.env.image("multilayer");
    ns.ctr(&["content", "fetch", "--plain-http", &img]).ok();
    assert_eq!(
        ns.ctr(&["snapshots", "ls"]).ok().lines().count(),
        1,
        "nothing unpacked yet"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", &img]).ok(),
        "multilayer default-arg\n"
    );
    let check = ns.ctr(&["images", "check"]);
    assert!(
        check
            .ok()
            .lines()
            .any(|l| l.starts_with(&img) && l.trim_end().ends_with("true")),
        "{}",
        check.stdout
    );
}

/// A registry front that wants a Bearer token: 401 with a challenge naming
/// its own token endpoint, which hands out a token for the right Basic
/// credentials; authorized requests go on to the plain test registry.
fn token_registry(upstream: String, user: &'static str, password: &'static str) -> u16 {
    use base64::Engine;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    );
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut client) = conn else { continue };
            let (upstream, basic) = (upstream.clone(), basic.clone());
            std::thread::spawn(move || {
                let _ = serve_token_request(&mut client, &upstream, port, &basic);
            });
        }
    });
    port
}

fn serve_token_request(
    client: &mut TcpStream,
    upstream: &str,
    port: u16,
    basic: &str,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let auth = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("authorization: ")
                .or(l.strip_prefix("Authorization: "))
        })
        .unwrap_or("")
        .trim()
        .to_string();
    let reply = |c: &mut TcpStream, status: &str, extra: &str, body: &str| {
        write!(
            c,
            "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    if path.starts_with("/token") {
        if auth == basic && path.contains("scope=repository%3Aberth-test%2Fbusybox%3Apull") {
            return reply(
                client,
                "200 OK",
                "Content-Type: application/json\r\n",
                r#"{"token":"tok-42"}"#,
            );
        }
        return reply(client, "401 Unauthorized", "", "");
    }
    if auth != "Bearer tok-42" {
        let challenge = format!(
            "WWW-Authenticate: Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"test\"\r\n"
        );
        return reply(
            client,
            "401 Unauthorized",
            &challenge,
            r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#,
        );
    }
    // Authorized: forward to the registry with the token removed.
    let forwarded: String = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("authorization:"))
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\r\n"))
        .collect();
    let mut server = TcpStream::connect(upstream)?;
    write!(server, "{forwarded}Connection: close\r\n\r\n")?;
    std::io::copy(&mut server, client)?;
    Ok(())
}

#[test]
fn bearer_token_registry_with_good_bad_and_no_credentials() {
    let mut ns = Ns::new("pull-token");
    let port = token_registry(ns.env.registry.clone(), "tokenuser", "tokenpass");
    let img = format!("127.0.0.1:{port}/berth-test/busybox:latest");
    let dir = tempfile::tempdir().unwrap();
    ns.vars
        .push(("DOCKER_CONFIG".into(), dir.path().display().to_string()));
    ns.berth(&["pull", &img])
        .code(1)
        .stderr_has("pull access denied for 127.0.0.1:");
    docker_config(
        dir.path(),
        &format!("127.0.0.1:{port}"),
        "tokenuser",
        "nope-secret-9",
    );
    let bad = ns.berth(&["pull", &img]);
    bad.code(1).stderr_has("pull access denied");
    assert!(!bad.stderr.contains("nope-secret-9"));
    docker_config(
        dir.path(),
        &format!("127.0.0.1:{port}"),
        "tokenuser",
        "tokenpass",
    );
    assert_eq!(ns.berth(&["pull", "-q", &img]).ok(), format!("{img}\n"));
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "echo", "token-ok"]).ok(),
        "token-ok\n"
    );
}

/// The Jenkins situation: no CA certificates where berth runs. Plain-HTTP
/// registries still work; a TLS registry gets one line saying what to mount.
#[test]
fn no_ca_store_is_no_problem_for_plain_http_and_one_line_for_tls() {
    let mut ns = Ns::new("pull-no-ca");
    let empty = tempfile::tempdir().unwrap();
    let nothing = empty.path().join("none.pem");
    ns.vars
        .push(("SSL_CERT_FILE".into(), nothing.display().to_string()));
    ns.vars
        .push(("SSL_CERT_DIR".into(), empty.path().display().to_string()));
    let img = ns.env.image("busybox");
    assert_eq!(ns.berth(&["pull", "-q", &img]).ok(), format!("{img}\n"));
    let tls = ns.berth(&["pull", "registry.example.invalid/team/app:1"]);
    tls.code(1);
    assert_eq!(
        tls.stderr
            .lines()
            .filter(|l| l.starts_with("Error: "))
            .collect::<Vec<_>>(),
        [
            "Error: no CA certificates were found on this system, so TLS registries cannot be verified"
        ]
    );
    tls.stderr_has("-v /etc/ssl/certs:/etc/ssl/certs:ro");
}

/// Every way berth unpacks gives containerd's own result: one committed
/// snapshot per layer named by its chain id, each on the one below, with
/// whiteouts in effect (multilayer's top layer deletes /data/b.txt).
#[test]
fn every_unpack_strategy_builds_the_same_snapshot_chain() {
    let img = crate::common::env().image("multilayer");
    for strategy in ["sequential", "relocate", "rebase"] {
        let mut ns = Ns::new(&format!("pull-unpack-{strategy}"));
        ns.vars.push(("BERTH_UNPACK".into(), strategy.into()));
        ns.berth(&["pull", "-q", &img]).ok();
        let ls = ns.ctr(&["snapshots", "ls"]);
        let mut chain: Vec<(String, String)> = ls
            .ok()
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                match f.as_slice() {
                    [key, "Committed"] => (key.to_string(), String::new()),
                    [key, parent, "Committed"] => (key.to_string(), parent.to_string()),
                    other => panic!("{strategy}: unexpected snapshot line {other:?}"),
                }
            })
            .collect();
        assert_eq!(chain.len(), 3, "{strategy}: {}", ls.stdout);
        // Walk from the base: each snapshot's parent is the previous one.
        chain.sort_by_key(|(_, parent)| !parent.is_empty());
        let base = chain.remove(0);
        assert_eq!(base.1, "", "{strategy}");
        let mut below = base.0;
        for _ in 0..2 {
            let (k, _) = chain
                .iter()
                .find(|(_, p)| *p == below)
                .unwrap_or_else(|| panic!("{strategy}: nothing on {below}: {}", ls.stdout))
                .clone();
            below = k;
        }
        assert_eq!(
            ns.berth(&["run", "--rm", "--entrypoint", "ls", &img, "/data"])
                .ok(),
            "a.txt\n",
            "{strategy}"
        );
    }
}

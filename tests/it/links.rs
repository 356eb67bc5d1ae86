//! `--link NAME[:ALIAS]`, docker's legacy links on the default bridge: the
//! pair talks by alias, `/etc/hosts` and the variables are docker's.

use crate::common::{Ns, wait_for};

#[test]
fn a_linked_pair_talks_by_alias() {
    let ns = Ns::new("links");
    let img = ns.pull("busybox");
    let db = ns
        .berth(&[
            "run",
            "-d",
            "--name",
            "mydb",
            "--expose",
            "80",
            "-e",
            "DB_VERSION=7",
            &img,
            "httpd",
            "-f",
            "-p",
            "80",
            "-h",
            "/etc",
        ])
        .ok()
        .trim()
        .to_string();
    let ip = ns
        .berth(&["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "mydb"])
        .ok()
        .trim()
        .to_string();
    assert!(!ip.is_empty());

    // The alias answers: the linked container's own hostname file, served.
    let served = wait_for("the linked server", 20, || {
        let o = ns.berth(&[
            "run",
            "--rm",
            "--link",
            "mydb:db",
            &img,
            "wget",
            "-qO-",
            "http://db/hostname",
        ]);
        (o.code == 0).then_some(o.stdout)
    });
    assert_eq!(served, format!("{}\n", &db[..12]));

    // docker's hosts line (alias, hostname, name) after --add-host's, and
    // docker's variables (the linked container's PATH and HOME left out).
    let web = ns.berth(&[
        "run",
        "--name",
        "web",
        "--add-host",
        "extra:10.9.9.9",
        "--link",
        "mydb:db",
        &img,
        "sh",
        "-c",
        "tail -n 3 /etc/hosts; env | grep ^DB_ | sort",
    ]);
    let web_id = ns
        .berth(&["inspect", "-f", "{{.Id}}", "web"])
        .ok()
        .trim()
        .to_string();
    let expected = format!(
        "10.9.9.9\textra\n\
         {ip}\tdb {short} mydb\n\
         {own}\t{web_short}\n\
         DB_ENV_DB_VERSION=7\n\
         DB_NAME=/web/db\n\
         DB_PORT=tcp://{ip}:80\n\
         DB_PORT_80_TCP=tcp://{ip}:80\n\
         DB_PORT_80_TCP_ADDR={ip}\n\
         DB_PORT_80_TCP_PORT=80\n\
         DB_PORT_80_TCP_PROTO=tcp\n",
        short = &db[..12],
        own = ns
            .berth(&["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web"])
            .ok()
            .trim(),
        web_short = &web_id[..12],
    );
    assert_eq!(web.ok(), expected);
    // inspect names the link as docker does.
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{json .HostConfig.Links}}", "web"])
            .ok(),
        "[\"/mydb:/web/db\"]\n"
    );
    // rm --link: the link goes, both containers stay; the next start's
    // /etc/hosts is without it.
    assert_eq!(ns.berth(&["rm", "--link", "/web/db"]).ok(), "/web/db\n");
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{json .HostConfig.Links}}", "web"])
            .ok(),
        "null\n"
    );
    let again = ns.berth(&["start", "-a", "web"]).ok().to_string();
    assert!(
        again.contains("10.9.9.9\textra\n") && !again.contains("\tdb "),
        "{again}"
    );
    ns.berth(&["rm", "--link", "/web/db"])
        .code(1)
        .stderr_has("No such container: /web/db");
    ns.berth(&["rm", "--link", "mydb"])
        .code(1)
        .stderr_has("Conflict, cannot remove the default link name of the container");
    // A link without an alias is the name; the variables are NAME's.
    let plain = ns.berth(&[
        "run",
        "--rm",
        "--link",
        "mydb",
        &img,
        "sh",
        "-c",
        "echo $MYDB_NAME",
    ]);
    assert!(plain.ok().starts_with('/') && plain.stdout.trim_end().ends_with("/mydb"));
}

#[test]
fn links_refused_as_docker_refuses_them() {
    let ns = Ns::new("links-refused");
    let img = ns.pull("busybox");
    ns.berth(&["create", "--name", "idle", &img, "true"]).ok();
    let out = ns.berth(&["run", "--name", "wb", "--link", "idle:db", &img, "true"]);
    out.code(125);
    assert_eq!(
        out.stderr,
        "berth: Error response from daemon: Cannot link to a non running container: /idle AS /wb/db\n\n\
         Run 'berth run --help' for more information\n"
    );
    let out = ns.berth(&["run", "--rm", "--link", "nosuch", &img, "true"]);
    out.code(125);
    assert!(
        out.stderr
            .starts_with("berth: Error response from daemon: could not get container for nosuch\n"),
        "{}",
        out.stderr
    );
    let out = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "host",
        "--link",
        "idle",
        &img,
        "true",
    ]);
    out.code(125);
    assert!(
        out.stderr.contains(
            "conflicting options: host type networking can't be used with links. This would result in undefined behavior"
        ),
        "{}",
        out.stderr
    );
    // Nothing was made by the refused runs.
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
}

#[test]
fn on_a_user_network_a_link_is_an_alias() {
    let ns = Ns::new("links-user");
    let img = ns.pull("busybox");
    let net = format!("ln-{}", std::process::id());
    ns.berth(&["network", "create", &net]).ok();
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "udb",
        "--network",
        &net,
        &img,
        "sleep",
        "300",
    ])
    .ok();
    let out = ns.berth(&[
        "run",
        "--rm",
        "--network",
        &net,
        "--link",
        "udb:store",
        &img,
        "sh",
        "-c",
        "ping -c1 -W2 store >/dev/null && echo reached; env | grep -c ^STORE_ || true",
    ]);
    assert_eq!(out.ok(), "reached\n0\n");
    ns.berth(&["rm", "-f", "udb"]).ok();
    ns.berth(&["network", "rm", &net]).ok();
}

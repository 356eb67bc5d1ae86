//! Shell completion in real shells (bash, fish; zsh through its script's
//! protocol) against a real containerd: the registration script berth
//! prints, sourced as a user would, then what the shell offers on <TAB>.

use std::process::Command;
use std::time::Instant;

use crate::common::{Ns, berth_bin};

/// A shell command with berth on PATH and this test's containerd and
/// data root, as a user's shell would have them.
fn shell(ns: &Ns, program: &str, script: &str) -> Command {
    let dir = berth_bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new(program);
    c.arg("-c")
        .arg(script)
        .env("PATH", path)
        .env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .env("BERTH_CONFIG", "/dev/null")
        .env_remove("CONTAINERD_NAMESPACE")
        .env_remove("BERTH_CGROUP_MANAGER");
    c
}

/// What bash offers for <TAB> at the end of `line`: the function berth's
/// script registered, called as bash's programmable completion calls it.
fn bash(ns: &Ns, line: &str) -> (Vec<String>, String) {
    let cmd = line.split(' ').next().unwrap();
    let script = format!(
        r#"source <({cmd} completion bash)
COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
fn=$(complete -p {cmd} | sed -E 's/.* -F ([^ ]+) .*/\1/')
"$fn" {cmd} "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    let o = shell(ns, "bash", &script).output().unwrap();
    let mut got: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_end().to_string())
        .collect();
    got.sort();
    (got, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// What fish offers (`complete -C`), candidates without descriptions.
fn fish(ns: &Ns, line: &str) -> Vec<String> {
    let script = format!("berth completion fish | source; complete -C '{line}'");
    let o = shell(ns, "fish", &script).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut got: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    got.sort();
    got
}

#[test]
fn completion_offers_what_containerd_holds() {
    let ns = Ns::new("comp");
    let img = ns.pull("busybox");
    ns.sleeper("comp-alpha", &img);
    ns.berth(&["create", "--name", "comp-beta", &img, "true"])
        .ok();
    ns.berth(&["volume", "create", "compvol"]).ok();
    let net = format!("{}-net", ns.name);
    ns.berth(&["network", "create", "--subnet", "10.234.7.0/24", &net])
        .ok();
    let n = &ns.name;

    let (running, err) = bash(&ns, &format!("berth -n {n} exec comp-"));
    assert_eq!(
        (running, err.as_str()),
        (vec!["comp-alpha".to_string()], "")
    );
    assert_eq!(
        bash(&ns, &format!("berth -n {n} start comp-")).0,
        ["comp-beta"]
    );
    assert_eq!(
        bash(&ns, &format!("berth -n {n} rm comp-")).0,
        ["comp-alpha", "comp-beta"]
    );
    // An empty word: the containers, and (clap's way) the verb's flags.
    let kill = bash(&ns, &format!("berth --namespace={n} kill ")).0;
    let values: Vec<&String> = kill.iter().filter(|c| !c.starts_with('-')).collect();
    assert_eq!(values, ["comp-alpha"], "{kill:?}");
    assert!(kill.contains(&"--signal".to_string()), "{kill:?}");
    let networks = bash(&ns, &format!("berth -n {n} run --network ")).0;
    let mut want = vec!["bridge", "host", net.as_str(), "none"];
    want.sort();
    assert_eq!(networks, want);
    assert_eq!(
        bash(&ns, &format!("berth -n {n} network rm {n}")).0,
        [net.as_str()]
    );
    assert_eq!(
        bash(&ns, &format!("berth -n {n} volume rm c")).0,
        ["compvol"]
    );
    assert_eq!(
        bash(&ns, &format!("berth -n {n} run -v comp")).0,
        ["compvol:"]
    );
    assert_eq!(
        bash(&ns, &format!("berth -n {n} run --restart ")).0,
        ["always", "no", "on-failure", "unless-stopped"]
    );
    assert_eq!(
        bash(&ns, &format!("berth -n {n} kill -s SIGK")).0,
        ["SIGKILL"]
    );
    let images = bash(&ns, &format!("berth -n {n} rmi 127.0.0.1")).0;
    assert_eq!(images, [img.as_str()]);
    // The namespace on the command line: another one has none of these.
    assert_eq!(
        bash(&ns, "berth -n bt-comp-nothing-here exec comp-").0,
        Vec::<String>::new()
    );
    // Namespaces for -n (this one exists: it holds containers).
    assert!(bash(&ns, "berth -n bt-comp").0.contains(n));
    assert!(bash(&ns, "berth -n ").0.contains(n));

    // clap's usual variable in a job's environment is not a completion
    // request: berth runs.
    let o = ns
        .cmd()
        .env("COMPLETE", "bash")
        .args(["ps", "--format", "{{.Names}}"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "comp-alpha\n");

    // fish, from its own `complete -C`.
    assert_eq!(
        fish(&ns, &format!("berth -n {n} exec comp-")),
        ["comp-alpha"]
    );
    assert_eq!(
        fish(&ns, &format!("berth -n {n} volume inspect comp")),
        ["compvol"]
    );
}

#[test]
fn completion_with_containerd_down_is_quick_and_quiet() {
    let ns = Ns::new("comp-down");
    let dir = tempfile::tempdir().unwrap();
    // A socket nobody answers on, and none at all.
    let silent = dir.path().join("silent.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&silent).unwrap();
    for address in [silent.to_str().unwrap(), "/nonexistent/containerd.sock"] {
        let start = Instant::now();
        let (got, err) = bash(
            &ns,
            &format!("berth -a {address} -n {} exec comp-", ns.name),
        );
        let took = start.elapsed();
        assert!(got.is_empty(), "{got:?}");
        assert_eq!(err, "");
        assert!(took.as_secs() < 3, "took {took:?}");
    }
}

#[test]
fn completion_scripts_for_each_shell_and_for_docker() {
    let ns = Ns::new("comp-docker");
    let img = ns.pull("busybox");
    ns.sleeper("comp-dock", &img);
    // Installed under docker's name: the script completes `docker`.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(berth_bin(), dir.path().join("docker")).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source <(docker completion bash); complete -p docker; \
             COMP_LINE='docker -n {n} exec comp-'; COMP_POINT=${{#COMP_LINE}}; \
             COMP_WORDS=(docker -n {n} exec comp-); COMP_CWORD=4; \
             fn=$(complete -p docker | sed -E 's/.* -F ([^ ]+) .*/\\1/'); \
             \"$fn\" docker comp- exec; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            n = ns.name
        ))
        .env("PATH", path)
        .env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .env("BERTH_CONFIG", "/dev/null")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(" docker\n"), "{out}");
    assert!(out.ends_with("comp-dock\n"), "{out}");
    // zsh: its script asks berth the same way (`BERTH_COMPLETE=zsh`); the answer
    // to the words it passes.
    let script = ns.berth(&["completion", "zsh"]);
    assert!(
        script.ok().contains("BERTH_COMPLETE=\"zsh\""),
        "{}",
        script.stdout
    );
    let zsh = Command::new(berth_bin())
        .args(["--", "berth", "-n", &ns.name, "exec", "comp-"])
        .env("BERTH_COMPLETE", "zsh")
        .env("_CLAP_COMPLETE_INDEX", "4")
        .env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .env("BERTH_CONFIG", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&zsh.stdout).trim(), "comp-dock");
}

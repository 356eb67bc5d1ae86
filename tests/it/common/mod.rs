//! Shared harness for integration tests: the real `berth` binary against
//! the real containerd started by `scripts/testenv up`, each test in its own
//! namespace, which is emptied and deleted afterwards.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

pub mod cleanup;
pub mod proxy;
pub mod pty;

/// Where the test environment lives (see docs/testing.md).
pub struct TestEnv {
    pub address: String,
    pub registry: String,
    pub auth_registry: String,
    pub auth_user: String,
    pub auth_password: String,
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

pub fn env() -> TestEnv {
    static CHECKED: std::sync::Once = std::sync::Once::new();
    let e = TestEnv {
        address: var("CONTAINERD_ADDRESS", "/run/containerd/containerd.sock"),
        registry: var("BERTH_TEST_REGISTRY", "127.0.0.1:5000"),
        auth_registry: var("BERTH_TEST_AUTH_REGISTRY", "127.0.0.1:5001"),
        auth_user: var("BERTH_TEST_AUTH_USER", "berthuser"),
        auth_password: var("BERTH_TEST_AUTH_PASSWORD", "berthpass"),
    };
    CHECKED.call_once(|| {
        if let Err(why) = environment_problem(&e) {
            // Never skip, and never sixty panics: one line, then stop the
            // whole test binary.
            // Written to the stream itself: libtest captures eprintln!.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\nintegration tests cannot run: {why}; run `scripts/test` (as root), \
                 or `scripts/testenv up` first (unit tests only: `cargo test --lib --bins`)"
            );
            std::process::exit(2);
        }
    });
    e
}

/// Why the real environment is unusable, if it is.
fn environment_problem(e: &TestEnv) -> Result<(), String> {
    if !nix::unistd::geteuid().is_root() {
        return Err("they need root".into());
    }
    match std::os::unix::net::UnixStream::connect(&e.address) {
        Ok(_) => {}
        Err(err) => return Err(format!("containerd socket {}: {err}", e.address)),
    }
    std::net::TcpStream::connect(&e.registry)
        .map(drop)
        .map_err(|err| format!("test registry {}: {err}", e.registry))?;
    // The cgroup v2 guest (scripts/guest) has no BuildKit daemon: it runs
    // no build test (one that tried would fail on the missing socket).
    let buildkits = if std::env::var_os("BERTH_TEST_GUEST").is_some() {
        [].as_slice()
    } else {
        [
            (
                "BERTH_TEST_BUILDKIT_HOST",
                "unix:///run/buildkit/buildkitd.sock",
            ),
            (
                "BERTH_TEST_BUILDKIT_OCI_HOST",
                "unix:///run/berth-testenv/buildkit-oci/buildkitd.sock",
            ),
        ]
        .as_slice()
    };
    for &(name, default) in buildkits {
        let host = var(name, default);
        let path = host.trim_start_matches("unix://");
        std::os::unix::net::UnixStream::connect(path)
            .map(drop)
            .map_err(|err| format!("buildkitd socket {path}: {err}"))?;
    }
    Ok(())
}

impl TestEnv {
    /// A test image on the plain registry, e.g. `image("busybox")`.
    pub fn image(&self, name: &str) -> String {
        format!("{}/berth-test/{name}:latest", self.registry)
    }
}

pub fn berth_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_berth"))
}

/// The result of one berth invocation.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// stdout as it came (a tar stream, say).
    pub stdout_bytes: Vec<u8>,
}

impl Out {
    pub fn from(o: Output) -> Out {
        use std::os::unix::process::ExitStatusExt;
        Out {
            code: o
                .status
                .code()
                .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0)),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            stdout_bytes: o.stdout,
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Tests share containerd; a fault test that restarts it runs alone. A
/// test holds a share for its namespace's life; the exclusive holder waits
/// until no test holds one, and new shares wait while it runs. (A thread
/// never waits for a share while holding one, so nothing deadlocks.)
struct Gate {
    state: std::sync::Mutex<(usize, bool)>,
    changed: std::sync::Condvar,
}

static GATE: Gate = Gate {
    state: std::sync::Mutex::new((0, false)),
    changed: std::sync::Condvar::new(),
};

pub enum DaemonUse {
    Shared,
    Exclusive,
}

impl DaemonUse {
    fn take(exclusive: bool) -> DaemonUse {
        let mut s = GATE.state.lock().unwrap_or_else(|e| e.into_inner());
        if exclusive {
            while s.0 > 0 || s.1 {
                s = GATE.changed.wait(s).unwrap_or_else(|e| e.into_inner());
            }
            s.1 = true;
            DaemonUse::Exclusive
        } else {
            while s.1 {
                s = GATE.changed.wait(s).unwrap_or_else(|e| e.into_inner());
            }
            s.0 += 1;
            DaemonUse::Shared
        }
    }
}

impl Drop for DaemonUse {
    fn drop(&mut self) {
        let mut s = GATE.state.lock().unwrap_or_else(|e| e.into_inner());
        match self {
            DaemonUse::Shared => s.0 -= 1,
            DaemonUse::Exclusive => s.1 = false,
        }
        GATE.changed.notify_all();
    }
}

/// A containerd namespace owned by one test; emptied and deleted on drop.
pub struct Ns {
    pub name: String,
    pub env: TestEnv,
    /// Extra environment for every berth call (e.g. DOCKER_CONFIG).
    pub vars: Vec<(String, String)>,
    /// berth's --data-root for this test (removed with it).
    pub data_root: tempfile::TempDir,
    /// Released last, after the namespace is purged.
    _daemon: DaemonUse,
}

impl Ns {
    pub fn new(test: &str) -> Ns {
        Ns::with(test, false)
    }

    /// A namespace for a test that must have containerd to itself (it
    /// restarts it): waits for every other test to finish.
    pub fn exclusive(test: &str) -> Ns {
        Ns::with(test, true)
    }

    fn with(test: &str, exclusive: bool) -> Ns {
        let env = env();
        let daemon = DaemonUse::take(exclusive);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let clean: String = test
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let name = format!("bt-{clean}-{}-{n}", std::process::id());
        Ns {
            name,
            env,
            vars: Vec::new(),
            data_root: tempfile::tempdir().expect("a data root"),
            _daemon: daemon,
        }
    }

    /// A berth command bound to this namespace.
    pub fn cmd(&self) -> Command {
        self.cmd_in(&self.name)
    }

    /// A berth command in another namespace (`k8s.io`), with this test's
    /// environment and data root; what it makes there is the test's to
    /// remove (the drop purges only this test's own namespace).
    pub fn cmd_in(&self, namespace: &str) -> Command {
        let mut c = Command::new(berth_bin());
        c.arg("-n").arg(namespace);
        c.env("CONTAINERD_ADDRESS", &self.env.address);
        c.env_remove("CONTAINERD_NAMESPACE");
        c.env("BERTH_DATA_ROOT", self.data_root.path());
        // The machine's /etc/berth/berth.toml has no say in tests.
        c.env("BERTH_CONFIG", "/dev/null");
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c.stdin(Stdio::null());
        c
    }

    pub fn berth(&self, args: &[&str]) -> Out {
        Out::from(self.cmd().args(args).output().expect("spawning berth"))
    }

    /// Runs berth with `input` on stdin.
    pub fn berth_stdin(&self, args: &[&str], input: &str) -> Out {
        self.berth_stdin_bytes(args, input.as_bytes())
    }

    /// Runs berth with `input` (any bytes) on stdin, written from its own
    /// thread so berth's output can never block the writing.
    pub fn berth_stdin_bytes(&self, args: &[&str], input: &[u8]) -> Out {
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning berth");
        let mut stdin = child.stdin.take().unwrap();
        let data = input.to_vec();
        // berth may stop reading early (a refused archive): ignore EPIPE.
        let writer = std::thread::spawn(move || {
            let _ = std::io::Write::write_all(&mut stdin, &data);
        });
        let out = Out::from(child.wait_with_output().unwrap());
        writer.join().unwrap();
        out
    }

    /// `run --rm --network none FLAGS IMAGE sh -c SCRIPT`: a flag checked
    /// from inside a container.
    pub fn run_sh(&self, flags: &[&str], image: &str, script: &str) -> Out {
        let mut args = vec!["run", "--rm", "--network", "none"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[image, "sh", "-c", script]);
        self.berth(&args)
    }

    /// `run -d --name NAME --network none IMAGE sleep 600`: a container to
    /// work on; its id.
    pub fn sleeper(&self, name: &str, image: &str) -> String {
        self.berth(&[
            "run",
            "-d",
            "--name",
            name,
            "--network",
            "none",
            image,
            "sleep",
            "600",
        ])
        .ok()
        .trim()
        .to_string()
    }

    /// Pulls a test image quietly; most tests start with this.
    pub fn pull(&self, name: &str) -> String {
        let image = self.env.image(name);
        self.berth(&["pull", "-q", &image]).ok();
        image
    }

    /// berth's directory for a container of this namespace.
    pub fn container_dir(&self, id: &str) -> PathBuf {
        self.data_root
            .path()
            .join(&self.name)
            .join("containers")
            .join(id)
    }

    pub fn ctr(&self, args: &[&str]) -> Out {
        // The ctr that matches the running containerd, when testenv says which.
        let ctr = std::env::var("BERTH_TEST_CTR").unwrap_or_else(|_| "ctr".to_string());
        Out::from(
            Command::new(ctr)
                .arg("--address")
                .arg(&self.env.address)
                .arg("-n")
                .arg(&self.name)
                .args(args)
                .output()
                .expect("spawning ctr"),
        )
    }
}

impl Drop for Ns {
    fn drop(&mut self) {
        let torn = cleanup::teardown_networks(self.data_root.path(), &self.name);
        let purged = cleanup::purge_namespace(&self.env.address, &self.name);
        // The networks the test made (machine-wide CNI files) go with it.
        let networks = remove_networks(self.data_root.path(), &self.name)
            .map_err(|e| format!("removing the namespace's networks: {}", e.message()));
        cleanup::remove_cgroups(&self.name);
        if let Err(e) = torn.and(purged).and(networks) {
            // Don't mask the test's own failure with a panic during unwinding.
            eprintln!("cleanup of namespace {} failed: {e}", self.name);
            if !std::thread::panicking() {
                panic!("cleanup of namespace {} failed: {e}", self.name);
            }
        }
    }
}

/// Every network the namespace made: those prune takes, then the
/// config-only ones it keeps (their followers are gone by then).
fn remove_networks(data_root: &std::path::Path, namespace: &str) -> berth::Result<()> {
    use berth::network::manage;
    manage::prune(data_root, namespace, &Default::default())?;
    for n in berth::network::store().list()? {
        if n.meta.namespace == namespace {
            manage::remove(data_root, namespace, &n.name)?;
        }
    }
    Ok(())
}

/// Polls `f` until it returns Some or the timeout passes.
/// The default `ps` table of a Kubernetes node: its header, and the last
/// three cells (POD, NAMESPACE, NAMES) of the row that starts with `id`.
pub fn node_table_row<'a>(table: &'a str, id: &str) -> Vec<&'a str> {
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "CONTAINER",
            "ID",
            "IMAGE",
            "COMMAND",
            "CREATED",
            "STATUS",
            "POD",
            "NAMESPACE",
            "NAMES"
        ],
        "{table}"
    );
    let row = table
        .lines()
        .find(|l| l.starts_with(id))
        .unwrap_or_else(|| panic!("no row for {id}:\n{table}"));
    let cells: Vec<&str> = row
        .split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    cells[cells.len() - 3..].to_vec()
}

/// The cgroup manager the berth under test uses: the environment's
/// `BERTH_CGROUP_MANAGER` (the guest row's second pass), else berth's own
/// choice for this host.
pub fn cgroup_manager() -> berth::container::cgroups::Manager {
    use berth::container::cgroups::Manager;
    match std::env::var("BERTH_CGROUP_MANAGER") {
        Ok(m) if !m.is_empty() => Manager::parse(&m).unwrap(),
        _ => Manager::detect(),
    }
}

pub fn wait_for<T>(what: &str, secs: u64, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Polls `f` until it holds (true) or `secs` pass (false).
pub fn poll_for(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    f()
}

/// A background berth process, killed when the test ends (even on panic),
/// before its namespace is purged.
pub struct Spawned(pub Option<std::process::Child>);

impl Spawned {
    pub fn id(&self) -> u32 {
        self.0.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// Waits for it to exit and returns its output.
    pub fn finish(mut self) -> Out {
        Out::from(self.0.take().unwrap().wait_with_output().unwrap())
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Ns {
    /// Runs `f` with berth's own client on this namespace, for fixtures
    /// and checks the CLI cannot make.
    pub fn with_client<T>(&self, f: impl AsyncFnOnce(&berth::Client) -> T) -> T {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let c = berth::Client::connect(self.env.address.as_ref(), &self.name, "overlayfs")
                .await
                .unwrap();
            f(&c).await
        })
    }

    /// Waits until `ps` lists a running container called `name`.
    pub fn wait_running(&self, name: &str) {
        wait_for(&format!("container {name} to run"), 30, || {
            let out = self.berth(&["ps", "--format", "{{.Names}}"]);
            out.stdout.lines().any(|l| l == name).then_some(())
        });
    }

    pub fn spawn(&self, args: &[&str]) -> Spawned {
        let child = self
            .cmd()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning berth");
        Spawned(Some(child))
    }
}

/// Go's text/tabwriter as docker configures it (minwidth 10, padding 3,
/// spaces; the last cell of a line is not padded), written here from its
/// documentation so the test does not trust berth's own tabwriter.
pub fn docker_table(rows: &[Vec<String>]) -> String {
    let cols = rows[0].len();
    let width = |c: usize| {
        let widest = rows.iter().map(|r| r[c].chars().count()).max().unwrap();
        (widest + 3).max(10)
    };
    let widths: Vec<usize> = (0..cols - 1).map(width).collect();
    let mut out = String::new();
    for r in rows {
        for (c, w) in widths.iter().enumerate() {
            out.push_str(&format!("{:<w$}", r[c], w = *w));
        }
        out.push_str(&r[cols - 1]);
        out.push('\n');
    }
    out
}

impl Ns {
    /// A listing's default table together with the rows it shows, as
    /// `--format json` gives them: taken before and after the table and
    /// equal, they are the rows the table was made of (a second ticking
    /// over between the calls means another try).
    pub fn table_and_rows(&self, args: &[&str]) -> (String, Vec<serde_json::Value>) {
        let json_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
        (0..5)
            .find_map(|_| {
                let before = self.berth(&json_args).ok().to_string();
                let table = self.berth(args).ok().to_string();
                let after = self.berth(&json_args).ok().to_string();
                (before == after).then(|| {
                    let rows = before
                        .lines()
                        .map(|l| serde_json::from_str(l).unwrap())
                        .collect();
                    (table, rows)
                })
            })
            .expect("five tries without a second ticking over")
    }
}

impl Ns {
    /// Runs a shell command line inside `script`'s pseudo-terminal with
    /// this namespace's environment; `{berth}` in it stands for this
    /// namespace's berth command. Returns the exit code and the terminal's
    /// output (carriage returns dropped).
    pub fn in_pty(&self, cmdline: &str) -> (i32, String) {
        let berth = format!("{} -n {}", berth_bin().display(), self.name);
        let cmdline = cmdline.replace("{berth}", &berth);
        let out = Command::new("script")
            .args(["-qec", &cmdline, "/dev/null"])
            .envs(self.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .stdin(Stdio::null())
            .output()
            .expect("spawning script");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).replace('\r', ""),
        )
    }
}

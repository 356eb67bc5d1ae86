//! The stdio keeper: a small berth process that owns an interactive
//! container's stdio, so that `attach` can join it later (docker's daemon
//! does this for docker). berth makes the task's FIFOs in the container's
//! directory and starts the keeper, which
//! - holds the container's stdin open (containerd's shim closes the
//!   process's stdin when the last writer of the stdin FIFO goes; with
//!   `stdin_once` it is closed when the first attached client's input ends),
//! - reads stdout/stderr, writes them to the json log as berth's logger
//!   does, and passes every chunk on to the attached clients,
//! - serves those clients on `attach.sock` in the same directory, and ends
//!   when the container's output ends.
//!
//! The client protocol: one byte first (`HELLO_STDIN` when the client's
//! input goes to the container); then both sides send docker's
//! multiplexed frames (`[stream, 0, 0, 0, len as u32 big-endian]` then the
//! bytes): the keeper stdout (1) and stderr (2), the client its input (0),
//! where an empty frame is the end of its input (a client that just goes
//! away has detached: the container's stdin stays open). The end of the
//! output closes the connection.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::sys::stat::Mode;

use super::task::Stdio;
use crate::error::{Error, Result};
use crate::logs::jsonfile::Writer;
use crate::logs::logger::Splitter;
use crate::logs::{Driver, Entry, LogConfig, Stream, json_log_name};

/// argv[1] of a keeper process.
pub const VERB: &str = "__stdio-keeper";
/// The client's first byte: its input goes to the container.
pub const HELLO_STDIN: u8 = 1;
const SOCKET: &str = "attach.sock";
const STDIN: &str = "stdin.fifo";
const STDOUT: &str = "stdout.fifo";
const STDERR: &str = "stderr.fifo";
/// A task that never opens its FIFOs (its creation failed): give up.
const OPEN_DEADLINE: Duration = Duration::from_secs(60);
/// A client that takes longer than this to take output is dropped.
const CLIENT_WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long held output waits for its client.
const HOLD_DEADLINE: Duration = Duration::from_secs(10);

/// What a keeper keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub dir: PathBuf,
    pub id: String,
    pub tty: bool,
    pub stdin: bool,
    pub stdin_once: bool,
    /// Output waits for the first client (an attached run joins right
    /// after the start), for at most `HOLD_DEADLINE`.
    pub hold: bool,
    pub log: LogConfig,
}

impl Spec {
    fn argv(&self) -> Vec<String> {
        let flag = |b: bool| if b { "1" } else { "0" }.to_string();
        vec![
            VERB.to_string(),
            self.dir.display().to_string(),
            self.id.clone(),
            flag(self.tty),
            flag(self.stdin),
            flag(self.stdin_once),
            flag(self.hold),
            match self.log.driver {
                Driver::JsonFile => "json-file".into(),
                Driver::None => "none".into(),
            },
            self.log.max_size.map(|s| s.to_string()).unwrap_or_default(),
            self.log.max_file.to_string(),
        ]
    }

    /// The spec a keeper's argv carries, if argv is a keeper's.
    pub fn parse(argv: &[String]) -> Option<Spec> {
        let [
            _,
            verb,
            dir,
            id,
            tty,
            stdin,
            once,
            hold,
            driver,
            size,
            files,
        ] = argv
        else {
            return None;
        };
        if verb != VERB {
            return None;
        }
        Some(Spec {
            dir: PathBuf::from(dir),
            id: id.clone(),
            tty: tty == "1",
            stdin: stdin == "1",
            stdin_once: once == "1",
            hold: hold == "1",
            log: LogConfig {
                driver: if driver == "none" {
                    Driver::None
                } else {
                    Driver::JsonFile
                },
                max_size: size.parse().ok(),
                max_file: files.parse().unwrap_or(1),
            },
        })
    }

    /// The task's stdio: the keeper's FIFOs.
    pub fn stdio(&self) -> Stdio {
        let path = |name: &str| self.dir.join(name).display().to_string();
        Stdio {
            stdin: if self.stdin {
                path(STDIN)
            } else {
                String::new()
            },
            stdout: path(STDOUT),
            stderr: if self.tty {
                String::new()
            } else {
                path(STDERR)
            },
        }
    }
}

/// A started keeper, ready for the task.
pub struct Spawned {
    pid: i32,
}

impl Spawned {
    /// The task was not created after all: the keeper goes.
    pub fn abandon(self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// Makes the FIFOs and starts a keeper (berth's binary `exe`) in a session
/// of its own, so it outlives this berth; returns once it is ready.
pub fn spawn(exe: &Path, spec: &Spec) -> Result<Spawned> {
    for name in [STDIN, STDOUT, STDERR] {
        let p = spec.dir.join(name);
        let _ = std::fs::remove_file(&p);
        nix::unistd::mkfifo(&p, Mode::from_bits_truncate(0o600))
            .map_err(|e| Error::io(format!("creating {}", p.display()), e.into()))?;
    }
    let mut cmd = std::process::Command::new(exe);
    cmd.args(spec.argv())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    // Its own session, none of berth's descriptors.
    crate::host::detach(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::io("starting berth's stdio keeper", e))?;
    let mut said = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut said);
    }
    let pid = child.id() as i32;
    // Reaped when it ends, for a long-running caller.
    std::thread::spawn(move || child.wait());
    if said.trim() != "ready" {
        let why = said.trim().strip_prefix("error: ").unwrap_or("it exited");
        return Err(Error::new(
            crate::error::ErrorKind::Io,
            format!("berth's stdio keeper for {}: {why}", spec.id),
        ));
    }
    Ok(Spawned { pid })
}

/// The socket's path, short enough for a unix address whatever `dir`'s
/// length: through the open directory's descriptor.
fn socket_path(dir: &File) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}/{SOCKET}", dir.as_raw_fd()))
}

/// Connects to the keeper of the container whose directory is `dir`; None
/// when it has none (it was started without `-i`/`-t`, or has ended).
pub fn connect(dir: &Path) -> io::Result<Option<UnixStream>> {
    let d = match File::open(dir) {
        Ok(d) => d,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    match UnixStream::connect(socket_path(&d)) {
        Ok(s) => Ok(Some(s)),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// docker's frame header for `len` bytes of `stream`.
pub fn header(stream: Stream, len: usize) -> [u8; 8] {
    let kind = match stream {
        Stream::Stdout => 1,
        Stream::Stderr => 2,
    };
    let n = (len as u32).to_be_bytes();
    [kind, 0, 0, 0, n[0], n[1], n[2], n[3]]
}

/// The keeper process; its exit code.
pub fn run(spec: Spec) -> i32 {
    match serve(&spec) {
        Ok(()) => 0,
        Err(e) => {
            // Before "ready", the starter reads this; after, nobody does.
            let _ = writeln!(io::stdout(), "error: {e}");
            1
        }
    }
}

type Clients = Arc<Mutex<Vec<UnixStream>>>;
type Stdin = Arc<Mutex<Option<File>>>;

fn serve(spec: &Spec) -> io::Result<()> {
    let dir = File::open(&spec.dir)?;
    let stdin: Stdin = Arc::new(Mutex::new(if spec.stdin {
        // Read-write: the open does not wait for the shim, and the FIFO
        // never sees its last writer go while the keeper lives.
        Some(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(spec.dir.join(STDIN))?,
        )
    } else {
        None
    }));
    let _ = std::fs::remove_file(spec.dir.join(SOCKET));
    let listener = UnixListener::bind(socket_path(&dir))?;
    let log = match spec.log.driver {
        Driver::JsonFile => {
            let path = spec.dir.join(json_log_name(&spec.id));
            Some(Arc::new(Mutex::new(Writer::open(
                &path,
                spec.log.max_size,
                spec.log.max_file,
            )?)))
        }
        Driver::None => None,
    };
    announce_ready();
    let clients: Clients = Arc::default();
    {
        let (clients, stdin, once) = (clients.clone(), stdin.clone(), spec.stdin_once);
        std::thread::spawn(move || accept(listener, clients, stdin, once));
    }
    let opened = Arc::new(AtomicBool::new(false));
    watchdog(opened.clone(), spec.dir.join(SOCKET));
    let start_pump = |name: &'static str, stream: Stream| {
        let (path, clients, log, opened, hold) = (
            spec.dir.join(name),
            clients.clone(),
            log.clone(),
            opened.clone(),
            spec.hold,
        );
        std::thread::spawn(move || {
            // Blocks until the shim opens its end (at the task's creation).
            let from = File::open(path)?;
            opened.store(true, Ordering::SeqCst);
            if hold {
                wait_for_client(&clients);
            }
            pump(from, stream, &clients, log.as_deref());
            Ok::<_, io::Error>(())
        })
    };
    let err = (!spec.tty).then(|| start_pump(STDERR, Stream::Stderr));
    let _ = start_pump(STDOUT, Stream::Stdout).join();
    if let Some(err) = err {
        // Both streams end at the exit; don't hang on a stray writer.
        for _ in 0..50 {
            if err.is_finished() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = std::fs::remove_file(spec.dir.join(SOCKET));
    for c in clients
        .lock()
        .map(|mut c| std::mem::take(&mut *c))
        .unwrap_or_default()
    {
        let _ = c.shutdown(std::net::Shutdown::Both);
    }
    Ok(())
}

/// Tells the starter the keeper is ready, then lets go of its pipe.
fn announce_ready() {
    let _ = io::stdout().write_all(b"ready\n");
    let _ = io::stdout().flush();
    if let Ok(null) = File::options().write(true).open("/dev/null") {
        // SAFETY: replaces fd 1 with /dev/null; both descriptors are valid.
        unsafe { libc::dup2(null.as_raw_fd(), 1) };
    }
}

/// Until the first client has joined (or `HOLD_DEADLINE` passed); the
/// output stays in the FIFO meanwhile.
fn wait_for_client(clients: &Clients) {
    let since = std::time::Instant::now();
    while since.elapsed() < HOLD_DEADLINE && clients.lock().is_ok_and(|c| c.is_empty()) {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Gives up when the task never opens its FIFOs.
fn watchdog(opened: Arc<AtomicBool>, socket: PathBuf) {
    std::thread::spawn(move || {
        std::thread::sleep(OPEN_DEADLINE);
        if !opened.load(Ordering::SeqCst) {
            let _ = std::fs::remove_file(socket);
            std::process::exit(1);
        }
    });
}

/// Copies one stream to the log and to every client, until it ends.
fn pump(mut from: File, stream: Stream, clients: &Clients, log: Option<&Mutex<Writer>>) {
    let mut split = Splitter::new(stream);
    let mut buf = vec![0u8; 32 * 1024];
    let mut emit = |e: Entry| {
        if let Some(Ok(mut w)) = log.map(Mutex::lock) {
            let _ = w.write(&e);
        }
    };
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        broadcast(clients, stream, &buf[..n]);
        split.push(&buf[..n], &mut emit);
    }
    split.finish(&mut emit);
}

fn broadcast(clients: &Clients, stream: Stream, data: &[u8]) {
    let Ok(mut list) = clients.lock() else {
        return;
    };
    let head = header(stream, data.len());
    list.retain_mut(|c| c.write_all(&head).and_then(|_| c.write_all(data)).is_ok());
}

fn accept(listener: UnixListener, clients: Clients, stdin: Stdin, once: bool) {
    for conn in listener.incoming() {
        let Ok(mut conn) = conn else { continue };
        let mut hello = [0u8; 1];
        let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
        if conn.read_exact(&mut hello).is_err() {
            continue;
        }
        let _ = conn.set_read_timeout(None);
        let _ = conn.set_write_timeout(Some(CLIENT_WRITE_TIMEOUT));
        let Ok(writer) = conn.try_clone() else {
            continue;
        };
        if let Ok(mut list) = clients.lock() {
            list.push(writer);
        }
        if hello[0] & HELLO_STDIN != 0 {
            let stdin = stdin.clone();
            std::thread::spawn(move || feed_stdin(conn, &stdin, once));
        }
    }
}

/// A client's input frames into the container's stdin; with `once`, the
/// end of its input closes the container's stdin.
fn feed_stdin(mut conn: UnixStream, stdin: &Stdin, once: bool) {
    let mut head = [0u8; 8];
    let mut buf = Vec::new();
    loop {
        if conn.read_exact(&mut head).is_err() {
            // Gone without saying its input ended: detached.
            return;
        }
        let len = u32::from_be_bytes([head[4], head[5], head[6], head[7]]) as usize;
        if len == 0 {
            break;
        }
        buf.resize(len, 0);
        if conn.read_exact(&mut buf).is_err() {
            return;
        }
        let Ok(mut guard) = stdin.lock() else { return };
        let Some(f) = guard.as_mut() else { return };
        if f.write_all(&buf).is_err() {
            return;
        }
    }
    if once && let Ok(mut guard) = stdin.lock() {
        guard.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_round_trips() {
        let spec = Spec {
            dir: PathBuf::from("/var/lib/berth/ns/containers/abc"),
            id: "abc".into(),
            tty: true,
            stdin: true,
            stdin_once: false,
            hold: true,
            log: LogConfig {
                driver: Driver::JsonFile,
                max_size: Some(1024),
                max_file: 3,
            },
        };
        let mut argv = vec!["/usr/bin/berth".to_string()];
        argv.extend(spec.argv());
        assert_eq!(Spec::parse(&argv), Some(spec.clone()));
        let none = Spec {
            log: LogConfig {
                driver: Driver::None,
                max_size: None,
                max_file: 1,
            },
            tty: false,
            ..spec
        };
        let mut argv = vec!["berth".to_string()];
        argv.extend(none.argv());
        assert_eq!(Spec::parse(&argv), Some(none.clone()));
        assert_eq!(
            none.stdio(),
            Stdio {
                stdin: "/var/lib/berth/ns/containers/abc/stdin.fifo".into(),
                stdout: "/var/lib/berth/ns/containers/abc/stdout.fifo".into(),
                stderr: "/var/lib/berth/ns/containers/abc/stderr.fifo".into(),
            }
        );
        assert_eq!(Spec::parse(&["berth".into(), "ps".into()]), None);
    }

    #[test]
    fn frames_carry_dockers_header() {
        assert_eq!(header(Stream::Stdout, 5), [1, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(header(Stream::Stderr, 258), [2, 0, 0, 0, 0, 0, 1, 2]);
    }
}

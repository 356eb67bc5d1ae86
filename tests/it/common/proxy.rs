//! A TCP proxy in front of a test registry that breaks on purpose: it cuts
//! one request body or one response after so many bytes, or vanishes
//! altogether (listener closed, every connection dropped) until revived on
//! the same port. It asks for one request per connection (`Connection:
//! close`), so every request is seen and recorded by its head.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Client to registry (a request body).
    Request,
    /// Registry to client (a response, headers included).
    Response,
}

/// Fires once, on the first request whose head contains `matching` and whose
/// `direction` carries more than `after` bytes.
#[derive(Clone, Debug)]
pub struct Fault {
    pub matching: String,
    pub direction: Direction,
    pub after: usize,
    /// After the cut, stop listening too (the registry "disappears").
    pub vanish: bool,
}

#[derive(Default)]
struct Shared {
    /// Each with whether it has fired.
    faults: Vec<(Fault, bool)>,
    heads: Vec<String>,
    live: Vec<TcpStream>,
    fired: usize,
}

pub struct FaultProxy {
    pub port: u16,
    upstream: String,
    shared: Arc<Mutex<Shared>>,
    running: Arc<AtomicBool>,
}

impl FaultProxy {
    pub fn start(upstream: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding the fault proxy");
        let port = listener.local_addr().unwrap().port();
        let proxy = FaultProxy {
            port,
            upstream: upstream.to_string(),
            shared: Arc::default(),
            running: Arc::new(AtomicBool::new(false)),
        };
        proxy.serve(listener);
        proxy
    }

    /// `127.0.0.1:<port>`: the registry as berth should name it.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn arm(&self, fault: Fault) {
        self.shared.lock().unwrap().faults.push((fault, false));
    }

    /// How many faults have fired so far.
    pub fn fired(&self) -> usize {
        self.shared.lock().unwrap().fired
    }

    /// Every request head seen so far.
    pub fn heads(&self) -> Vec<String> {
        self.shared.lock().unwrap().heads.clone()
    }

    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// Listens again on the same port after vanishing.
    pub fn revive(&self) {
        assert!(!self.is_running(), "the proxy is still running");
        let listener = crate::common::wait_for("the proxy's port to be free", 10, || {
            TcpListener::bind(("127.0.0.1", self.port)).ok()
        });
        self.serve(listener);
    }

    fn serve(&self, listener: TcpListener) {
        listener.set_nonblocking(true).unwrap();
        self.running.store(true, Ordering::SeqCst);
        let (shared, running, upstream) = (
            self.shared.clone(),
            self.running.clone(),
            self.upstream.clone(),
        );
        std::thread::spawn(move || {
            while running.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let (shared, running, upstream) =
                            (shared.clone(), running.clone(), upstream.clone());
                        std::thread::spawn(move || {
                            let _ = relay(client, &upstream, &shared, &running);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
    }

    fn vanish(shared: &Mutex<Shared>, running: &AtomicBool) {
        running.store(false, Ordering::SeqCst);
        for s in shared.lock().unwrap().live.drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        FaultProxy::vanish(&self.shared, &self.running);
    }
}

/// Reads up to the end of the request head; returns it and any body bytes
/// that came with it.
fn read_head(client: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = client.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok((String::from_utf8_lossy(&buf).into_owned(), rest));
        }
    }
}

/// The head with keep-alive replaced by `Connection: close`.
fn one_shot(head: &str) -> String {
    let mut out: Vec<&str> = head
        .trim_end()
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    out.push("Connection: close");
    format!("{}\r\n\r\n", out.join("\r\n"))
}

fn relay(
    mut client: TcpStream,
    upstream: &str,
    shared: &Arc<Mutex<Shared>>,
    running: &Arc<AtomicBool>,
) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    let (head, early) = read_head(&mut client)?;
    let mut server = TcpStream::connect(upstream)?;
    let fault = {
        let mut s = shared.lock().unwrap();
        s.heads.push(head.clone());
        s.live.push(client.try_clone()?);
        s.live.push(server.try_clone()?);
        s.faults
            .iter()
            .position(|(f, fired)| !fired && head.contains(&f.matching))
    };
    server.write_all(one_shot(&head).as_bytes())?;
    let start = |from: TcpStream, to: TcpStream, dir: Direction, first: Vec<u8>| {
        let (shared, running) = (shared.clone(), running.clone());
        let armed = fault.filter(|&i| shared.lock().unwrap().faults[i].0.direction == dir);
        std::thread::spawn(move || pump(from, to, first, armed, &shared, &running))
    };
    let up = start(
        client.try_clone()?,
        server.try_clone()?,
        Direction::Request,
        early,
    );
    let down = start(server, client, Direction::Response, Vec::new());
    let _ = up.join();
    let _ = down.join();
    Ok(())
}

/// Copies one direction; an armed fault cuts both sockets once more than
/// its byte count has passed (if it has not fired elsewhere meanwhile).
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    first: Vec<u8>,
    armed: Option<usize>,
    shared: &Mutex<Shared>,
    running: &AtomicBool,
) {
    let mut passed = 0usize;
    let mut pending = first;
    let mut buf = [0u8; 16384];
    loop {
        if let Some(i) = armed {
            let fire = {
                let mut s = shared.lock().unwrap();
                let (f, fired) = s.faults[i].clone();
                let now = !fired && passed + pending.len() > f.after;
                if now {
                    s.faults[i].1 = true;
                    s.fired += 1;
                }
                now.then_some(f)
            };
            if let Some(f) = fire {
                let allowed = f.after.saturating_sub(passed).min(pending.len());
                let _ = to.write_all(&pending[..allowed]);
                let _ = to.flush();
                std::thread::sleep(Duration::from_millis(50));
                let _ = from.shutdown(Shutdown::Both);
                let _ = to.shutdown(Shutdown::Both);
                if f.vanish {
                    FaultProxy::vanish(shared, running);
                }
                return;
            }
        }
        if !pending.is_empty() {
            if to.write_all(&pending).is_err() {
                break;
            }
            passed += pending.len();
        }
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        pending = buf[..n].to_vec();
    }
    let _ = to.shutdown(Shutdown::Write);
}

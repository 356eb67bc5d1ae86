//! berth in a container with only containerd's socket: the verbs that need
//! the host (its network namespaces, CNI, berth's files, the shims' FIFOs,
//! its processes) run as berth's helper task there (`berth::host`).

use std::io::IsTerminal;

use berth::container::ops::AttachIo;
use tokio::sync::mpsc;

use berth::host::Place;

use crate::ctx::Ctx;
use crate::{Command, ContainerCommand};

/// The verbs that touch more of the host than containerd's socket.
fn needs_host(command: &Command) -> bool {
    use ContainerCommand as C;
    match command {
        // docker's daemon pulls, pushes and checks a login from the host's
        // network (the credentials stay the caller's).
        Command::Pull(_) | Command::Push(_) | Command::Login(_) => true,
        Command::Image(i) => matches!(
            i,
            crate::ImageCommand::Pull(_) | crate::ImageCommand::Push(_)
        ),
        Command::Run(_)
        | Command::Create(_)
        | Command::Start(_)
        | Command::Stop(_)
        | Command::Restart(_)
        | Command::Kill(_)
        | Command::Rm(_)
        | Command::Logs(_)
        | Command::Exec(_)
        | Command::Top(_)
        | Command::Attach(_)
        | Command::Export(_)
        | Command::Cp(_)
        | Command::Stats(_)
        | Command::Commit(_)
        | Command::Diff(_)
        // A container's network state and ports are in berth's files.
        | Command::Inspect(_)
        | Command::Port(_)
        // A restart policy's log driver is berth's binary on the host.
        | Command::Update(_)
        | Command::Network(_)
        | Command::Volume(_) => true,
        Command::System(c) => matches!(
            c,
            crate::SystemCommand::Df(_) | crate::SystemCommand::Prune(_)
        ),
        Command::Container(c) => matches!(
            c,
            C::Run(_)
                | C::Create(_)
                | C::Start(_)
                | C::Stop(_)
                | C::Restart(_)
                | C::Kill(_)
                | C::Rm(_)
                | C::Logs(_)
                | C::Exec(_)
                | C::Top(_)
                | C::Attach(_)
                | C::Export(_)
                | C::Cp(_)
                | C::Stats(_)
                | C::Commit(_)
                | C::Diff(_)
                | C::Inspect(_)
                | C::Port(_)
                | C::Update(_)
                | C::Prune(_)
        ),
        _ => false,
    }
}

/// The helper gets a terminal only where the verb may hand one on (a
/// terminal joins stderr to stdout).
fn wants_terminal(command: &Command) -> bool {
    use ContainerCommand as C;
    match command {
        Command::Run(a) | Command::Container(C::Run(a)) => a.tty(),
        Command::Exec(a) | Command::Container(C::Exec(a)) => a.tty(),
        Command::Start(_) | Command::Attach(_) => true,
        Command::Container(C::Start(_) | C::Attach(_)) => true,
        _ => false,
    }
}

/// Runs this whole command line on the host when berth runs in a
/// container of the containerd it talks to and the verb needs the host;
/// None to run it here.
pub async fn elsewhere(ctx: &Ctx, command: &Command) -> Option<berth::Result<u8>> {
    let off = std::env::var(berth::host::HELPER_ENV).is_ok_and(|v| v == "off");
    if berth::host::in_helper() || off || !needs_host(command) {
        return None;
    }
    // Errors here are the verb's to report, in its own words.
    let client = ctx.client().await.ok()?;
    let caller = match berth::host::locate(client).await.ok()? {
        Place::Host => return None,
        Place::Container(c) => c,
        Place::Foreign => return Some(Ok(refuse(&ctx.global.address))),
    };
    tracing::debug!(
        "berth runs in container {}/{} (pid {}): the verb runs on the host",
        caller.namespace,
        caller.id,
        caller.pid
    );
    let tty = wants_terminal(command)
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let (tx, control) = mpsc::channel(16);
    crate::signals::forward(tx, !tty, tty);
    let _raw = tty.then(crate::terminal::RawGuard::stdin).flatten();
    let io = berth::host::HelperIo {
        attach: AttachIo {
            stdin: Some(Box::new(tokio::io::stdin())),
            stdout: Box::new(tokio::io::stdout()),
            stderr: Box::new(tokio::io::stderr()),
            detach_keys: None,
        },
        tty: tty.then(|| crate::terminal::size().unwrap_or((80, 24))),
        control,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    Some(
        berth::host::run_on_host(client, &caller, &args, io)
            .await
            .map(|code| u8::try_from(code).unwrap_or(u8::MAX)),
    )
}

/// berth in a container that this containerd does not run: the host's part
/// of the verb is out of reach. One line, exit 125, whatever the verb.
fn refuse(address: &std::path::Path) -> u8 {
    let e = berth::Error::new(
        berth::ErrorKind::Unavailable,
        format!(
            "berth runs in a container that the containerd at {} does not run, so it cannot \
             reach the host's network namespaces, CNI plugins and its files there",
            address.display()
        ),
    )
    .hinted(format!(
        "run berth in a container of that containerd (berth then runs this verb on the host \
         as a helper task), or on the host; or mount the host's /run/containerd, /run/netns, \
         /var/lib/berth and berth's binary at the same paths and set {}=off",
        berth::host::HELPER_ENV
    ));
    crate::output::print_error(&e, crate::output::Family::Other);
    125
}

//! `berth login` and `berth logout`: credentials checked against the
//! registry, then kept in docker's config.json or its credential helper.

use std::io::{BufRead, IsTerminal, Read, Write};

use berth::image::registry::login;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Registry (default: Docker Hub)
    server: Option<String>,
    /// Username
    #[arg(short = 'u', long)]
    username: Option<String>,
    /// Password (insecure: prefer --password-stdin)
    #[arg(short = 'p', long)]
    password: Option<String>,
    /// Read the password from stdin
    #[arg(long = "password-stdin")]
    password_stdin: bool,
}

#[derive(ClapArgs, Debug)]
pub struct LogoutArgs {
    /// Registry (default: Docker Hub)
    server: Option<String>,
}

fn prompt(label: &str) -> berth::Result<String> {
    eprint!("{label}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| berth::Error::invalid(format!("reading {label}: {e}")))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Reads a password from the terminal without echoing it.
fn prompt_hidden(label: &str) -> berth::Result<String> {
    use nix::sys::termios::{self, LocalFlags, SetArg};
    let stdin = std::io::stdin();
    let saved = termios::tcgetattr(&stdin).ok();
    if let Some(t) = &saved {
        let mut quiet = t.clone();
        quiet.local_flags.remove(LocalFlags::ECHO);
        let _ = termios::tcsetattr(&stdin, SetArg::TCSANOW, &quiet);
    }
    let read = prompt(label);
    if let Some(t) = &saved {
        let _ = termios::tcsetattr(&stdin, SetArg::TCSANOW, t);
    }
    eprintln!();
    read
}

fn credentials(args: &Args) -> berth::Result<(String, String)> {
    if args.password.is_some() && args.password_stdin {
        return Err(berth::Error::invalid(
            "--password and --password-stdin are mutually exclusive",
        ));
    }
    if args.password_stdin && args.username.is_none() {
        return Err(berth::Error::invalid(
            "Must provide --username with --password-stdin",
        ));
    }
    let interactive = std::io::stdin().is_terminal();
    let username = match &args.username {
        Some(u) => u.clone(),
        None if interactive => prompt("Username: ")?,
        None => {
            return Err(berth::Error::invalid(
                "Cannot perform an interactive login from a non TTY device",
            ));
        }
    };
    let password = if let Some(p) = &args.password {
        eprintln!("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        p.clone()
    } else if args.password_stdin {
        let mut p = String::new();
        std::io::stdin()
            .read_to_string(&mut p)
            .map_err(|e| berth::Error::invalid(format!("reading the password from stdin: {e}")))?;
        p.trim_end_matches(['\n', '\r']).to_string()
    } else if interactive {
        prompt_hidden("Password: ")?
    } else {
        return Err(berth::Error::invalid(
            "Cannot perform an interactive login from a non TTY device",
        ));
    };
    if username.is_empty() || password.is_empty() {
        return Err(berth::Error::invalid(
            "Error: Username and password are required",
        ));
    }
    Ok((username, password))
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let host = login::server_host(args.server.as_deref());
    let (username, password) = credentials(&args)?;
    login::verify(&host, &ctx.global.insecure_registry, &username, &password).await?;
    let stored_in = login::store(&host, &username, &password)?;
    if !stored_in.starts_with("credential helper") {
        eprintln!("WARNING! Your password will be stored unencrypted in {stored_in}.");
    }
    println!("Login Succeeded");
    Ok(0)
}

pub async fn logout(_ctx: &Ctx, args: LogoutArgs) -> berth::Result<u8> {
    let host = login::server_host(args.server.as_deref());
    let shown = args
        .server
        .clone()
        .unwrap_or_else(|| "https://index.docker.io/v1/".into());
    if login::erase(&host)? {
        println!("Removing login credentials for {shown}");
    } else {
        println!("Not logged in to {shown}");
    }
    Ok(0)
}

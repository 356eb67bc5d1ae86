//! `berth version` and `berth -v`.

use berth::format::Value;
use berth::info::{COMMIT, VERSION};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{format_error, obj, s, write_stdout};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Format the output using the given Go template
    #[arg(short = 'f', long)]
    format: Option<String>,
}

/// The docker CLI whose behaviour berth matches (its recorded outputs are
/// the tests' fixtures): what berth says it is when run as `docker`, for
/// tools that parse `docker -v` and compare versions.
pub const DOCKER_CLI_VERSION: &str = "28.2.2";

/// Run through a link or copy named `docker`.
fn as_docker() -> bool {
    crate::output::program() == "docker"
}

/// berth's build, as docker's `build` field names one.
fn build() -> String {
    format!("berth-{VERSION}-{COMMIT}")
}

/// `berth -v`: one line, shaped like docker's so version parsers work;
/// as `docker`, docker's own line with the version berth matches.
pub fn short() -> String {
    if as_docker() {
        return format!("Docker version {DOCKER_CLI_VERSION}, build {}", build());
    }
    format!("berth version {VERSION}, build {COMMIT}")
}

fn os_arch() -> String {
    berth::image::platform::format(&berth::image::platform::host())
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let (version, commit) = match as_docker() {
        true => (DOCKER_CLI_VERSION.to_string(), build()),
        false => (VERSION.to_string(), COMMIT.to_string()),
    };
    let client_v = obj(
        "ClientVersion",
        vec![
            ("Version", s(&version)),
            ("GitCommit", s(&commit)),
            ("Os", s("linux")),
            ("Arch", s(berth::image::platform::host().architecture)),
        ],
        vec![],
    );
    // Print the client half even when the daemon is down, as docker does.
    let server = match ctx.client().await {
        Ok(c) => berth::server::server_version(c).await.map(Some),
        Err(e) => Err(e),
    };
    let server_v = match &server {
        Ok(Some(v)) => obj(
            "ServerVersion",
            vec![
                ("Version", s(&v.version)),
                ("Revision", s(&v.revision)),
                ("Name", s("containerd")),
            ],
            vec![],
        ),
        _ => Value::Nil,
    };
    let text = match &args.format {
        Some(f) => {
            let root = obj(
                "VersionInfo",
                vec![("Client", client_v), ("Server", server_v)],
                vec![],
            );
            berth::format::render_one(f, &root).map_err(format_error)?
        }
        None => {
            let mut t = format!(
                "Client:\n Version:           {version}\n Git commit:        {commit}\n OS/Arch:           {}\n",
                os_arch()
            );
            if let Ok(Some(v)) = &server {
                t.push_str(&format!(
                    "\nServer:\n containerd:\n  Version:          {}\n  GitCommit:        {}\n",
                    v.version, v.revision
                ));
            }
            t
        }
    };
    write_stdout(&text)?;
    server.map(|_| 0)
}

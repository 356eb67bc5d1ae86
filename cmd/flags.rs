//! `berth __flags` (internal, hidden): every flag of every command with
//! its status, for the docker→berth flag table (`scripts/flag-table`):
//! `yes` (shown in help), `rejected` (known, refused as not supported
//! yet), `ignored` (accepted and ignored as docker's BuildKit builder
//! does), `windows` (refused as docker's CLI refuses it against a Linux
//! daemon), `experimental` (refused as docker's CLI refuses it against a
//! daemon without experimental features), `swarm` (refused as docker's
//! daemon refuses it on a node that is not a swarm manager), `hidden` (accepted without being shown, e.g. docker's
//! `--disable-content-trust` which only its default value passes).

use clap::Command;

pub const VERB: &str = "__flags";

pub fn print(cmd: &Command) {
    let mut out = String::new();
    walk(cmd, "", &mut out);
    print!("{out}");
}

fn walk(cmd: &Command, path: &str, out: &mut String) {
    for sub in cmd.get_subcommands() {
        let here = if path.is_empty() {
            sub.get_name().to_string()
        } else {
            format!("{path} {}", sub.get_name())
        };
        for arg in sub.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            let status = match (arg.is_hide_set(), arg.get_help().map(|h| h.to_string())) {
                (false, _) => "yes",
                (true, Some(h)) if h == crate::unsupported::NOT_YET => "rejected",
                (true, Some(h)) if h == crate::unsupported::IGNORED => "ignored",
                (true, Some(h)) if h == crate::unsupported::WINDOWS_ONLY => "windows",
                (true, Some(h)) if h == crate::unsupported::EXPERIMENTAL_ONLY => "experimental",
                (true, Some(h)) if h == crate::unsupported::SWARM_ONLY => "swarm",
                (true, _) => "hidden",
            };
            out.push_str(&format!("{here} --{long} {status}\n"));
        }
        walk(sub, &here, out);
    }
}

//! `berth completion bash|zsh|fish`: the script that registers berth's
//! dynamic completion with the shell (the shell then asks berth itself,
//! `BERTH_COMPLETE=bash berth -- ...`, so candidates come from containerd; see
//! cmd/complete.rs). Also checked in under completions/ (a test fails when
//! they are stale).

use clap::{Args as ClapArgs, ValueEnum};
use clap_complete::Shell;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The shell to generate the script for
    shell: ShellArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ShellArg {
    Bash,
    Zsh,
    Fish,
}

pub fn exec(args: Args) -> berth::Result<u8> {
    let shell = match args.shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
    };
    // Installed as `docker`, the script completes `docker`.
    let argv0 = std::env::args().next().unwrap_or_default();
    let name = match std::path::Path::new(&argv0)
        .file_name()
        .and_then(|n| n.to_str())
    {
        Some("docker") => "docker",
        _ => "berth",
    };
    crate::output::write_stdout(&berth::complete::registration(shell, name))?;
    Ok(0)
}

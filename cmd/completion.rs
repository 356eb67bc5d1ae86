//! `berth completion bash|zsh|fish`. The generated scripts are also checked
//! in under completions/ (tests/completions.rs fails when they are stale).

use clap::{Args as ClapArgs, CommandFactory, ValueEnum};
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
    let mut cmd = crate::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "berth", &mut out);
    crate::output::write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

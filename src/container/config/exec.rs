//! `exec`'s flags: a new process in a running container, with the
//! container's process settings unless these override them.

use clap::Args;

use super::process::{env_list, parse_env};
use crate::error::Result;

#[derive(Args, Debug, Clone, Default)]
pub struct ExecOptions {
    /// Detached mode: run command in the background
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Set environment variables
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub env: Vec<String>,
    /// Read in a file of environment variables
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_file: Vec<String>,
    /// Keep STDIN open even if not attached
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Give extended privileges to the command
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub privileged: bool,
    /// Allocate a pseudo-TTY
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Username or UID (format: "<name|uid>[:<group|gid>]")
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory inside the container
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// The terminal's size (columns, rows) with -t, set by the caller.
    #[arg(skip)]
    pub console_size: Option<(u16, u16)>,
    /// CONTAINER COMMAND [ARG...]
    #[arg(
        required = true,
        num_args = 2..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_names = ["CONTAINER", "COMMAND"]
    )]
    pub container_and_command: Vec<String>,
}

impl ExecOptions {
    pub fn container(&self) -> &str {
        &self.container_and_command[0]
    }

    pub fn command(&self) -> &[String] {
        &self.container_and_command[1..]
    }

    /// `--env-file` entries, then `-e` ones (docker's order; later wins).
    pub fn env(&self) -> Result<Vec<String>> {
        env_list(&self.env_file, &self.env)
    }
}

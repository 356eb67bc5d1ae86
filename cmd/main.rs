//! The `berth` binary: parse flags, run one verb, map errors to docker's
//! exit codes (in exactly one place: `exit_code`).

mod attach;
mod build;
mod commit;
mod complete;
mod completion;
mod cp;
mod create;
mod ctx;
mod diff;
mod events;
mod exec;
mod export;
mod flags;
mod health_monitor;
mod history;
mod host;
mod image_prune;
mod images;
mod import;
mod info;
mod inspect;
mod kill;
mod load;
mod login;
mod logs;
mod man;
mod network;
mod output;
mod pause;
mod port;
mod progress;
mod prune;
mod ps;
mod pull;
mod push;
mod remove_on_exit;
mod rename;
mod rm;
mod rmi;
mod run;
mod save;
mod signals;
mod start;
mod stats;
mod stop;
mod system;
mod tag;
mod terminal;
mod top;
mod unsupported;
mod update;
mod version;
mod volume;
mod wait;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use output::Family;

use ctx::{Ctx, GlobalArgs};

#[derive(Parser, Debug)]
#[command(
    name = "berth",
    about = "A docker-compatible command-line frontend for containerd",
    disable_version_flag = true,
    arg_required_else_help = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    /// Print version information and quit
    #[arg(short = 'v', long = "version")]
    version: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show the berth and containerd versions
    Version(version::Args),
    /// Display system-wide information
    Info(info::Args),
    /// Get real time events from containerd (this namespace)
    Events(events::Args),
    /// Manage berth and containerd (docker's `system` commands)
    #[command(subcommand)]
    System(SystemCommand),
    /// Manage builds (BuildKit's cache)
    #[command(subcommand)]
    Builder(BuilderCommand),
    /// Download an image from a registry
    Pull(pull::Args),
    /// Build an image from a Dockerfile with BuildKit
    Build(Box<build::Args>),
    /// Upload an image to a registry
    Push(push::Args),
    /// Show the history of an image
    History(history::Args),
    /// Import the contents from a tarball to create a filesystem image
    Import(import::Args),
    /// Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
    Tag(tag::Args),
    /// Load an image from a tar archive or stdin
    Load(load::Args),
    /// Save one or more images to a tar archive (streamed to stdout by default)
    Save(save::Args),
    /// Log in to a registry
    Login(login::Args),
    /// Log out from a registry
    Logout(login::LogoutArgs),
    /// List images
    Images(images::Args),
    /// Remove one or more images
    Rmi(rmi::Args),
    /// Create and run a new container from an image
    Run(Box<run::Args>),
    /// List containers
    Ps(ps::Args),
    /// Remove one or more containers
    Rm(rm::Args),
    /// Create a new container
    Create(Box<create::Args>),
    /// Start one or more stopped containers
    Start(start::Args),
    /// Stop one or more running containers
    Stop(stop::Args),
    /// Restart one or more containers
    Restart(stop::Args),
    /// Kill one or more running containers
    Kill(kill::Args),
    /// Block until one or more containers stop, then print their exit codes
    Wait(wait::Args),
    /// Fetch the logs of a container
    Logs(logs::Args),
    /// Execute a command in a running container
    Exec(exec::Args),
    /// Return low-level information on containers and images
    Inspect(inspect::Args),
    /// Rename a container
    Rename(rename::Args),
    /// Update configuration of one or more containers (the restart policy)
    Update(Box<update::Args>),
    /// Pause all processes within one or more containers
    Pause(pause::Args),
    /// Unpause all processes within one or more containers
    Unpause(pause::Args),
    /// Display a live stream of container(s) resource usage statistics
    Stats(stats::Args),
    /// Display the running processes of a container
    Top(top::Args),
    /// Create a new image from a container's changes
    Commit(commit::Args),
    /// Copy files/folders between a container and the local filesystem
    Cp(cp::Args),
    /// Inspect changes to files or directories on a container's filesystem
    Diff(diff::Args),
    /// Export a container's filesystem as a tar archive
    Export(export::Args),
    /// List port mappings or a specific mapping for the container
    Port(port::Args),
    /// Attach to a running container (not supported yet)
    Attach(attach::Args),
    /// Manage images
    #[command(subcommand)]
    Image(ImageCommand),
    /// Manage containers
    #[command(subcommand)]
    Container(ContainerCommand),
    /// Manage networks
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// Manage volumes
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
    /// Generate the shell completion script
    Completion(completion::Args),
    /// (internal) `run -d --rm`: removes the container once it exits
    #[command(name = REMOVE_ON_EXIT, hide = true)]
    RemoveOnExit(remove_on_exit::Args),
    #[command(name = berth::container::ops::health::monitor::VERB, hide = true)]
    HealthMonitor(health_monitor::Args),
}

/// The hidden verb behind `run -d --rm`.
pub const REMOVE_ON_EXIT: &str = "__remove-on-exit";

#[derive(Subcommand, Debug)]
pub enum SystemCommand {
    /// Show disk usage (images, containers, volumes, build cache)
    Df(system::DfArgs),
    /// Remove unused data
    Prune(system::PruneArgs),
    /// Display system-wide information
    Info(info::Args),
    /// Get real time events from containerd (this namespace)
    Events(events::Args),
}

#[derive(Subcommand, Debug)]
pub enum BuilderCommand {
    /// Build an image from a Dockerfile with BuildKit (same as `berth build`)
    Build(Box<build::Args>),
    /// Remove build cache
    Prune(system::BuilderPruneArgs),
}

#[derive(Subcommand, Debug)]
pub enum ImageCommand {
    /// List images
    #[command(visible_alias = "list")]
    Ls(images::Args),
    /// Remove unused images
    Prune(image_prune::Args),
    /// Remove one or more images
    #[command(visible_alias = "remove")]
    Rm(rmi::Args),
    /// Download an image from a registry
    Pull(pull::Args),
    /// Build an image from a Dockerfile with BuildKit
    Build(Box<build::Args>),
    /// Upload an image to a registry
    Push(push::Args),
    /// Show the history of an image
    History(history::Args),
    /// Import the contents from a tarball to create a filesystem image
    Import(import::Args),
    /// Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
    Tag(tag::Args),
    /// Load an image from a tar archive or stdin
    Load(load::Args),
    /// Save one or more images to a tar archive (streamed to stdout by default)
    Save(save::Args),
    /// Display detailed information on one or more images
    Inspect(inspect::Args),
}

#[derive(Subcommand, Debug)]
pub enum ContainerCommand {
    /// List containers
    #[command(visible_aliases = ["list", "ps"])]
    Ls(ps::Args),
    /// Remove one or more containers
    #[command(visible_alias = "remove")]
    Rm(rm::Args),
    /// Create and run a new container from an image
    Run(Box<run::Args>),
    /// Create a new container
    Create(Box<create::Args>),
    /// Start one or more stopped containers
    Start(start::Args),
    /// Stop one or more running containers
    Stop(stop::Args),
    /// Restart one or more containers
    Restart(stop::Args),
    /// Kill one or more running containers
    Kill(kill::Args),
    /// Block until one or more containers stop, then print their exit codes
    Wait(wait::Args),
    /// Fetch the logs of a container
    Logs(logs::Args),
    /// Execute a command in a running container
    Exec(exec::Args),
    /// Display detailed information on one or more containers
    Inspect(inspect::Args),
    /// Rename a container
    Rename(rename::Args),
    /// Update configuration of one or more containers (the restart policy)
    Update(Box<update::Args>),
    /// Pause all processes within one or more containers
    Pause(pause::Args),
    /// Unpause all processes within one or more containers
    Unpause(pause::Args),
    /// Display a live stream of container(s) resource usage statistics
    Stats(stats::Args),
    /// Display the running processes of a container
    Top(top::Args),
    /// Create a new image from a container's changes
    Commit(commit::Args),
    /// Copy files/folders between a container and the local filesystem
    Cp(cp::Args),
    /// Inspect changes to files or directories on a container's filesystem
    Diff(diff::Args),
    /// Export a container's filesystem as a tar archive
    Export(export::Args),
    /// List port mappings or a specific mapping for the container
    Port(port::Args),
    /// Attach to a running container (not supported yet)
    Attach(attach::Args),
    /// Remove all stopped containers
    Prune(prune::Args),
}

fn main() -> ExitCode {
    // A shell asking for completions (`BERTH_COMPLETE=bash berth -- ...`).
    complete::answer_if_asked();
    // containerd's shim runs berth as a container's log driver.
    let mut argv: Vec<String> = std::env::args().collect();
    if let Some(inv) = berth::logs::logger::invocation(&argv) {
        std::process::exit(berth::logs::logger::run(inv));
    }
    // berth's stdio keeper of an interactive container (see its module).
    if let Some(spec) = berth::container::keeper::Spec::parse(&argv) {
        std::process::exit(berth::container::keeper::run(spec));
    }
    // berth's helper task on the host (see cmd/host.rs): joins the host
    // first, while this process has one thread.
    if argv.get(1).map(String::as_str) == Some(berth::host::HOST_VERB) {
        if let Err(e) = berth::host::enter() {
            output::print_error(&e, Family::Other);
            return ExitCode::from(125);
        }
        argv.remove(1);
    }
    if argv.get(1).map(String::as_str) == Some(man::VERB) {
        let dir = std::path::PathBuf::from(argv.get(2).map(String::as_str).unwrap_or("man/man1"));
        return match man::write(Cli::command(), "berth", &dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("berth {}: {}: {e}", man::VERB, dir.display());
                ExitCode::from(125)
            }
        };
    }
    if argv.get(1).map(String::as_str) == Some(flags::VERB) {
        flags::print(&Cli::command());
        return ExitCode::SUCCESS;
    }
    let matches = match Cli::command().try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => return ExitCode::from(output::print_flag_error(&e, &Cli::command())),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(125);
        }
    };
    if cli.version {
        println!("{}", version::short());
        return ExitCode::SUCCESS;
    }
    let Some(command) = cli.command else {
        let _ = Cli::command().print_help();
        return ExitCode::SUCCESS;
    };
    let mut global = match berth::config::load() {
        Ok(cfg) => cli.global.with_config(&matches, cfg),
        Err(e) => {
            output::print_error(&e, Family::Other);
            return ExitCode::from(125);
        }
    };
    if let Err(e) = global.settle() {
        output::print_error(&e, Family::Other);
        return ExitCode::from(125);
    }
    ctx::init_tracing(global.level());
    let family = match &command {
        Command::Run(_) | Command::Container(ContainerCommand::Run(_)) => Family::Run,
        Command::Create(_) | Command::Container(ContainerCommand::Create(_)) => Family::Create,
        Command::Build(_)
        | Command::Image(ImageCommand::Build(_))
        | Command::Builder(BuilderCommand::Build(_)) => Family::Build,
        _ => Family::Other,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: starting the async runtime: {e}");
            return ExitCode::from(125);
        }
    };
    let ctx = Ctx::new(global);
    let result = runtime.block_on(async {
        match host::elsewhere(&ctx, &command).await {
            Some(on_host) => on_host,
            None => dispatch(&ctx, command).await,
        }
    });
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            output::print_error(&e, family);
            output::exit_code(&e, family)
        }
    };
    // A blocked stdin reader must not keep the process alive.
    std::process::exit(code as i32);
}

/// Runs a verb; Ok carries the exit code (a container's own, for run).
async fn dispatch(ctx: &Ctx, command: Command) -> berth::Result<u8> {
    match command {
        Command::Version(a) => version::exec(ctx, a).await,
        Command::Info(a) | Command::System(SystemCommand::Info(a)) => info::exec(ctx, a).await,
        Command::Events(a) | Command::System(SystemCommand::Events(a)) => {
            events::exec(ctx, a).await
        }
        Command::System(SystemCommand::Df(a)) => system::df(ctx, a).await,
        Command::System(SystemCommand::Prune(a)) => system::prune(ctx, a).await,
        Command::Builder(BuilderCommand::Prune(a)) => system::builder_prune(ctx, a).await,
        Command::Pull(a) | Command::Image(ImageCommand::Pull(a)) => pull::exec(ctx, a).await,
        Command::Build(a)
        | Command::Image(ImageCommand::Build(a))
        | Command::Builder(BuilderCommand::Build(a)) => build::exec(ctx, *a).await,
        Command::Tag(a) | Command::Image(ImageCommand::Tag(a)) => tag::exec(ctx, a).await,
        Command::Push(a) | Command::Image(ImageCommand::Push(a)) => push::exec(ctx, a).await,
        Command::Import(a) | Command::Image(ImageCommand::Import(a)) => import::exec(ctx, a).await,
        Command::History(a) | Command::Image(ImageCommand::History(a)) => {
            history::exec(ctx, a).await
        }
        Command::Load(a) | Command::Image(ImageCommand::Load(a)) => load::exec(ctx, a).await,
        Command::Save(a) | Command::Image(ImageCommand::Save(a)) => save::exec(ctx, a).await,
        Command::Login(a) => login::exec(ctx, a).await,
        Command::Logout(a) => login::logout(ctx, a).await,
        Command::Images(a) | Command::Image(ImageCommand::Ls(a)) => images::exec(ctx, a).await,
        Command::Rmi(a) | Command::Image(ImageCommand::Rm(a)) => rmi::exec(ctx, a).await,
        Command::Run(a) | Command::Container(ContainerCommand::Run(a)) => run::exec(ctx, *a).await,
        Command::Ps(a) | Command::Container(ContainerCommand::Ls(a)) => ps::exec(ctx, a).await,
        Command::Rm(a) | Command::Container(ContainerCommand::Rm(a)) => rm::exec(ctx, a).await,
        Command::Completion(a) => completion::exec(a),
        Command::Create(a) | Command::Container(ContainerCommand::Create(a)) => {
            create::exec(ctx, *a).await
        }
        Command::Start(a) | Command::Container(ContainerCommand::Start(a)) => {
            start::exec(ctx, a).await
        }
        Command::Stop(a) | Command::Container(ContainerCommand::Stop(a)) => {
            stop::exec(ctx, a).await
        }
        Command::Restart(a) | Command::Container(ContainerCommand::Restart(a)) => {
            stop::restart(ctx, a).await
        }
        Command::Kill(a) | Command::Container(ContainerCommand::Kill(a)) => {
            kill::exec(ctx, a).await
        }
        Command::Wait(a) | Command::Container(ContainerCommand::Wait(a)) => {
            wait::exec(ctx, a).await
        }
        Command::Logs(a) | Command::Container(ContainerCommand::Logs(a)) => {
            logs::exec(ctx, a).await
        }
        Command::Exec(a) | Command::Container(ContainerCommand::Exec(a)) => {
            exec::exec(ctx, a).await
        }
        Command::Inspect(a) => inspect::exec(ctx, a, None).await,
        Command::Network(c) => network::exec(ctx, c).await,
        Command::Volume(c) => volume::exec(ctx, c).await,
        Command::Container(ContainerCommand::Inspect(a)) => {
            inspect::exec(ctx, a, Some(inspect::Kind::Container)).await
        }
        Command::Image(ImageCommand::Prune(a)) => image_prune::exec(ctx, a).await,
        Command::Image(ImageCommand::Inspect(a)) => {
            inspect::exec(ctx, a, Some(inspect::Kind::Image)).await
        }
        Command::Rename(a) | Command::Container(ContainerCommand::Rename(a)) => {
            rename::exec(ctx, a).await
        }
        Command::Update(a) | Command::Container(ContainerCommand::Update(a)) => {
            update::exec(ctx, *a).await
        }
        Command::Pause(a) | Command::Container(ContainerCommand::Pause(a)) => {
            pause::exec(ctx, a, true).await
        }
        Command::Unpause(a) | Command::Container(ContainerCommand::Unpause(a)) => {
            pause::exec(ctx, a, false).await
        }
        Command::Top(a) | Command::Container(ContainerCommand::Top(a)) => top::exec(ctx, a).await,
        Command::Stats(a) | Command::Container(ContainerCommand::Stats(a)) => {
            stats::exec(ctx, a).await
        }
        Command::Cp(a) | Command::Container(ContainerCommand::Cp(a)) => cp::exec(ctx, a).await,
        Command::Commit(a) | Command::Container(ContainerCommand::Commit(a)) => {
            commit::exec(ctx, a).await
        }
        Command::Diff(a) | Command::Container(ContainerCommand::Diff(a)) => {
            diff::exec(ctx, a).await
        }
        Command::Export(a) | Command::Container(ContainerCommand::Export(a)) => {
            export::exec(ctx, a).await
        }
        Command::Port(a) | Command::Container(ContainerCommand::Port(a)) => {
            port::exec(ctx, a).await
        }
        Command::Attach(a) | Command::Container(ContainerCommand::Attach(a)) => {
            attach::exec(ctx, a).await
        }
        Command::Container(ContainerCommand::Prune(a)) => prune::exec(ctx, a).await,
        Command::RemoveOnExit(a) => remove_on_exit::exec(ctx, a).await,
        Command::HealthMonitor(a) => health_monitor::exec(ctx, a).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own checks of the whole command tree (unique names, ...).
    #[test]
    fn the_command_tree_is_sound() {
        Cli::command().debug_assert();
    }
}

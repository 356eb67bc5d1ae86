//! `berth build`: flags in docker's syntax, one call to the library's
//! build, the image id (with -q) or nothing on stdout; progress on stderr.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use berth::build::options::{self, Output};
use berth::build::stdin::{self, StdinInput, TempDir};
use berth::build::{self as library, BuildRequest, Context, Dockerfile};
use berth::buildkit::Address;
use berth::image::ImageRef;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::progress::build::Progress;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Build context: a directory, a git URL, or - (a tar or a Dockerfile on stdin)
    context: String,
    /// Name and optionally a tag (name:tag); repeatable
    #[arg(short = 't', long = "tag", value_name = "NAME[:TAG]")]
    tags: Vec<String>,
    /// Dockerfile (default: PATH/Dockerfile; - reads it from stdin)
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    file: Option<String>,
    /// Build-time variable KEY=VALUE, or KEY to take it from the environment
    #[arg(long = "build-arg", value_name = "KEY[=VALUE]")]
    build_args: Vec<String>,
    /// Build stage to stop at
    #[arg(long)]
    target: Option<String>,
    /// Do not use the build cache
    #[arg(long = "no-cache")]
    no_cache: bool,
    /// Always look for newer versions of base images
    #[arg(long)]
    pull: bool,
    /// Target platform(s), comma-separated or repeated
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", value_delimiter = ',')]
    platform: Vec<String>,
    /// Image label KEY=VALUE; repeatable
    #[arg(long = "label", value_name = "KEY=VALUE")]
    labels: Vec<String>,
    /// Network for RUN steps: default, host or none
    #[arg(long, value_name = "MODE")]
    network: Option<String>,
    /// Host-to-IP mapping for RUN steps (host:ip); repeatable
    #[arg(long = "add-host", value_name = "HOST:IP")]
    add_hosts: Vec<String>,
    /// Size of /dev/shm for RUN steps
    #[arg(long = "shm-size", value_name = "bytes", value_parser = berth::units::ram_in_bytes)]
    shm_size: Option<i64>,
    /// Ulimit options for RUN steps (e.g. nofile=1024:2048)
    #[arg(long = "ulimit", value_name = "ulimit")]
    ulimit: Vec<String>,
    /// Progress output: auto, plain, tty or rawjson
    #[arg(long, default_value = "auto", value_parser = ["auto", "plain", "tty", "rawjson", "quiet"])]
    progress: String,
    /// Print only the image ID
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Write the image ID to this file
    #[arg(long, value_name = "FILE")]
    iidfile: Option<PathBuf>,
    /// Output: type=local,dest=DIR | type=tar,dest=FILE | type=docker[,dest=FILE] | type=oci[,dest=FILE] | type=image,name=...[,push=true] | DIR | -
    #[arg(short = 'o', long, value_name = "SPEC")]
    output: Vec<String>,
    /// Secret for RUN --mount=type=secret: id=ID,src=PATH | id=ID,env=VAR; repeatable
    #[arg(long = "secret", value_name = "SPEC")]
    secrets: Vec<String>,
    /// SSH agent to forward: default or ID=SOCKET; repeatable
    #[arg(long = "ssh", value_name = "ID[=SOCKET]")]
    ssh: Vec<String>,
    /// Cache source: type=registry,ref=... or a reference; repeatable
    #[arg(long = "cache-from", value_name = "SPEC")]
    cache_from: Vec<String>,
    /// Cache destination: type=registry,ref=...[,mode=max] or inline; repeatable
    #[arg(long = "cache-to", value_name = "SPEC")]
    cache_to: Vec<String>,
    /// BuildKit daemon address (unix:///path or tcp://host:port)
    #[arg(long = "buildkit-host", env = "BUILDKIT_HOST", value_name = "ADDRESS")]
    buildkit_host: Option<String>,
    /// Load the image into containerd (what berth does by default)
    #[arg(long)]
    load: bool,
    /// Shorthand for --output type=image,push=true
    #[arg(long)]
    push: bool,
    /// Parent cgroup of RUN steps
    #[arg(long = "cgroup-parent", value_name = "PATH")]
    cgroup_parent: Option<String>,
    /// Skip image verification (berth does not verify signatures; only true is accepted)
    #[arg(long = "disable-content-trust", default_value_t = true, action = clap::ArgAction::Set,
          num_args = 0..=1, require_equals = true, default_missing_value = "true", hide = true)]
    disable_content_trust: bool,
    #[command(flatten)]
    unsupported: Unsupported,
    #[command(flatten)]
    legacy: Legacy,
}

const NO_LIMITS: Option<&str> =
    Some("resource limits of the legacy builder are ignored: BuildKit gives RUN steps none");

// The legacy builder's flags docker's BuildKit builder accepts and ignores.
crate::ignored_flags!(Legacy {
    compress: Option<String> = "compress" [, num_args = 0..=1, require_equals = true, default_missing_value = "true"] => None;
    rm: Option<String> = "rm" [, num_args = 0..=1, require_equals = true, default_missing_value = "true"] => None;
    force_rm: Option<String> = "force-rm" [, num_args = 0..=1, require_equals = true, default_missing_value = "true"] => None;
    squash: Option<String> = "squash" [, num_args = 0..=1, require_equals = true, default_missing_value = "true"] =>
        Some("experimental flag squash is removed with BuildKit. You should squash inside build using a multi-stage Dockerfile for efficiency.");
    isolation: Option<String> = "isolation" [] => Some("isolation flag is deprecated with BuildKit.");
    security_opt: Vec<String> = "security-opt" [] =>
        Some("security-opt flag is deprecated. \"RUN --security=insecure\" should be used with BuildKit.");
    memory: Option<String> = "memory", 'm' [] => NO_LIMITS;
    memory_swap: Option<String> = "memory-swap" [] => NO_LIMITS;
    cpu_shares: Option<String> = "cpu-shares", 'c' [] => NO_LIMITS;
    cpu_period: Option<String> = "cpu-period" [] => NO_LIMITS;
    cpu_quota: Option<String> = "cpu-quota" [] => NO_LIMITS;
    cpuset_cpus: Option<String> = "cpuset-cpus" [] => NO_LIMITS;
    cpuset_mems: Option<String> = "cpuset-mems" [] => NO_LIMITS;
});

crate::unsupported_flags!(Unsupported {
    build_context: Vec<String> = "build-context";
    allow: Vec<String> = "allow";
    attest: Vec<String> = "attest";
    sbom: Option<String> = "sbom";
    provenance: Option<String> = "provenance";
    metadata_file: Option<String> = "metadata-file";
});

/// Temporary directories that must live as long as the build.
struct Keep(Vec<TempDir>);

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok()
}

fn is_remote(context: &str) -> bool {
    context.starts_with("git://")
        || context.starts_with("git@")
        || context.starts_with("github.com/")
        || ((context.starts_with("https://") || context.starts_with("http://"))
            && (context.contains(".git") || context.contains("github.com")))
}

fn pairs(list: &[String], what: &str) -> berth::Result<Vec<(String, String)>> {
    list.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    berth::Error::invalid(format!("invalid {what} {s:?}: expected KEY=VALUE"))
                })
        })
        .collect()
}

async fn context_and_dockerfile(
    args: &Args,
    keep: &mut Keep,
) -> berth::Result<(Context, Dockerfile)> {
    let stdin_file = args.file.as_deref() == Some("-");
    if args.context == "-" && stdin_file {
        return Err(berth::Error::invalid(
            "the context and the Dockerfile cannot both come from stdin",
        ));
    }
    let mut dockerfile = match args.file.as_deref() {
        None => Dockerfile::Default,
        Some("-") => {
            let dir = stdin::dockerfile(tokio::io::stdin()).await?;
            let path = dir.path().join("Dockerfile");
            keep.0.push(dir);
            Dockerfile::Path(path)
        }
        Some(p) if is_remote(&args.context) => Dockerfile::InContext(p.to_string()),
        Some(p) => Dockerfile::Path(PathBuf::from(p)),
    };
    let context = if args.context == "-" {
        match stdin::read(tokio::io::stdin()).await? {
            StdinInput::Context(dir) => {
                let c = Context::Local(dir.path().to_path_buf());
                if let Dockerfile::Path(p) = &dockerfile
                    && p.is_relative()
                {
                    // -f names a file inside the tar context.
                    dockerfile = Dockerfile::Path(dir.path().join(p));
                }
                keep.0.push(dir);
                c
            }
            StdinInput::Dockerfile(dir) => {
                dockerfile = Dockerfile::Path(dir.path().join("Dockerfile"));
                let c = Context::Local(dir.path().join("empty-context"));
                std::fs::create_dir(dir.path().join("empty-context"))
                    .map_err(|e| berth::Error::new(berth::ErrorKind::Io, e.to_string()))?;
                keep.0.push(dir);
                c
            }
        }
    } else if is_remote(&args.context) {
        Context::Remote(args.context.clone())
    } else {
        Context::Local(PathBuf::from(&args.context))
    };
    Ok((context, dockerfile))
}

fn output_of(args: &Args) -> berth::Result<Output> {
    if args.output.len() > 1 {
        return Err(berth::Error::unsupported(
            "several --output at once are not supported yet",
        ));
    }
    match (args.output.first(), args.push) {
        (Some(o), false) => options::parse_output(o),
        (None, true) => Ok(Output::Image(HashMap::from([(
            "push".to_string(),
            "true".to_string(),
        )]))),
        (Some(_), true) => Err(berth::Error::invalid(
            "--push and --output cannot be used together",
        )),
        (None, false) => Ok(Output::Containerd),
    }
}

async fn request(ctx: &Ctx, args: &Args, keep: &mut Keep) -> berth::Result<BuildRequest> {
    args.unsupported.check("build")?;
    if !args.disable_content_trust {
        return Err(berth::Error::unsupported(
            "content trust (image signing) is not supported yet",
        ));
    }
    let mut said = std::collections::HashSet::new();
    for w in args.legacy.warnings() {
        if said.insert(w.clone()) {
            eprintln!("{w}");
        }
    }
    if let Some(n) = args.network.as_deref()
        && !matches!(n, "default" | "host" | "none")
    {
        return Err(berth::Error::unsupported(format!(
            "build --network {n} is not supported yet (default, host and none are)"
        )));
    }
    let tags = args
        .tags
        .iter()
        .map(|t| ImageRef::parse(t).map(|r| r.name()))
        .collect::<berth::Result<Vec<_>>>()?;
    let (context, dockerfile) = context_and_dockerfile(args, keep).await?;
    let mut secrets = HashMap::new();
    for s in &args.secrets {
        let (id, data) = options::parse_secret(s, &env)?;
        secrets.insert(id, data);
    }
    let mut ssh = HashMap::new();
    for s in &args.ssh {
        let (id, path) = options::parse_ssh(s, &env)?;
        ssh.insert(id, path);
    }
    let addresses = match &args.buildkit_host {
        Some(h) if !h.is_empty() => vec![Address::parse(h)?],
        Some(_) => library::default_addresses(&ctx.global.namespace),
        None => library::default_addresses(&ctx.global.namespace),
    };
    let output = output_of(args)?;
    let wants_stdout = matches!(
        &output,
        Output::Tar(options::Dest::Stdout)
            | Output::Archive {
                dest: Some(options::Dest::Stdout),
                ..
            }
    );
    Ok(BuildRequest {
        addresses,
        context,
        dockerfile,
        tags,
        build_args: args
            .build_args
            .iter()
            .filter_map(|a| options::parse_build_arg(a, &env))
            .collect(),
        target: args.target.clone(),
        no_cache: args.no_cache,
        pull: args.pull,
        platforms: args.platform.clone(),
        labels: pairs(&args.labels, "label")?,
        network: args.network.clone(),
        shm_size: args.shm_size.filter(|s| *s > 0).map(|s| s as u64),
        cgroup_parent: args.cgroup_parent.clone().filter(|p| !p.is_empty()),
        ulimits: args
            .ulimit
            .iter()
            .map(|u| berth::container::config::limits::parse_ulimit(u).map(|_| u.clone()))
            .collect::<berth::Result<_>>()?,
        add_hosts: args.add_hosts.clone(),
        secrets,
        ssh,
        output,
        cache_from: args
            .cache_from
            .iter()
            .map(|c| options::parse_cache(c))
            .collect::<berth::Result<_>>()?,
        cache_to: args
            .cache_to
            .iter()
            .map(|c| options::parse_cache(c))
            .collect::<berth::Result<_>>()?,
        stdout: wants_stdout.then(|| Box::pin(tokio::io::stdout()) as library::Writer),
        insecure: ctx.global.insecure_registry.clone(),
    })
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let _ = args.load;
    let mut keep = Keep(Vec::new());
    let req = request(ctx, &args, &mut keep).await?;
    let needs_containerd = matches!(
        req.output,
        Output::Containerd | Output::Archive { dest: None, .. }
    ) || matches!(req.output, Output::Image(_));
    let client = if needs_containerd {
        match ctx.client().await {
            Ok(c) => Some(c),
            Err(e) if matches!(req.output, Output::Image(_)) => {
                tracing::debug!("no containerd: {e}");
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let mode = if args.quiet {
        "quiet"
    } else {
        args.progress.as_str()
    };
    let progress = Progress::new(mode, std::io::stderr().is_terminal());
    let result = library::build(client, req, progress.events()).await;
    progress.finish();
    let built = result?;
    drop(keep);
    if let Some(id) = &built.image_id {
        if args.quiet {
            println!("{id}");
        }
        if let Some(path) = &args.iidfile {
            std::fs::write(path, id).map_err(|e| {
                berth::Error::new(
                    berth::ErrorKind::Io,
                    format!("writing --iidfile {}: {e}", path.display()),
                )
            })?;
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_contexts() {
        assert!(is_remote("https://github.com/docker/buildx.git#main"));
        assert!(is_remote("git@github.com:org/repo.git"));
        assert!(!is_remote("."));
        assert!(!is_remote("/srv/app"));
    }
}

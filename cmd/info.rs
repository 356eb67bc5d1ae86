//! `berth info`: docker's summary, in docker's words where they fit.

use berth::format::Value;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{format_error, obj, s, write_stdout};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Format the output using the given Go template
    #[arg(short = 'f', long)]
    format: Option<String>,
}

fn int(n: usize) -> Value {
    Value::Int(n as i64)
}

fn host_facts() -> (String, String, String, usize, i64, String) {
    let uts = nix::sys::utsname::uname().ok();
    let kernel = uts
        .as_ref()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default();
    let arch = uts
        .as_ref()
        .map(|u| u.machine().to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = uts
        .as_ref()
        .map(|u| u.nodename().to_string_lossy().into_owned())
        .unwrap_or_default();
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_string())
            })
        })
        .unwrap_or_else(|| "linux".to_string());
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0);
    (kernel, arch, os, cpus, mem, name)
}

fn restart_text(c: &berth::server::ServerInfo) -> String {
    match (c.restart_monitor, c.restart_policies.is_empty()) {
        (false, _) => "no".into(),
        (true, true) => "yes (restarts always; no policies before containerd 1.7)".into(),
        (true, false) => format!("yes (policies: {})", c.restart_policies.join(", ")),
    }
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let sum = berth::info::summary(client).await?;
    let (kernel, arch, os, cpus, mem, name) = host_facts();
    let root = sum.root.clone().unwrap_or_default();
    let text = match &args.format {
        Some(f) => {
            let v = obj(
                "Info",
                vec![
                    ("ID", s(&sum.server_uuid)),
                    ("Containers", int(sum.containers)),
                    ("ContainersRunning", int(sum.running)),
                    ("ContainersPaused", int(sum.paused)),
                    ("ContainersStopped", int(sum.stopped)),
                    ("Images", int(sum.images)),
                    ("Driver", s(&sum.snapshotter)),
                    ("CgroupDriver", s(sum.cgroup_driver)),
                    ("CgroupVersion", s(sum.cgroup_version.to_string())),
                    ("KernelVersion", s(&kernel)),
                    ("OperatingSystem", s(&os)),
                    ("OSType", s("linux")),
                    ("Architecture", s(&arch)),
                    ("NCPU", int(cpus)),
                    ("MemTotal", Value::Int(mem)),
                    ("Name", s(&name)),
                    ("ServerVersion", s(&sum.server.version)),
                    ("DefaultRuntime", s(&sum.runtime)),
                    ("DockerRootDir", s(&root)),
                    ("Namespace", s(&sum.namespace)),
                    (
                        "Namespaces",
                        Value::List(sum.namespaces.iter().map(s).collect()),
                    ),
                    ("Address", s(&sum.address)),
                    (
                        "RestartMonitor",
                        Value::Bool(sum.capabilities.restart_monitor),
                    ),
                    (
                        "RestartPolicies",
                        Value::List(sum.capabilities.restart_policies.iter().map(s).collect()),
                    ),
                    ("TransferService", Value::Bool(sum.capabilities.transfer)),
                ],
                vec![],
            );
            berth::format::render_one(f, &v).map_err(format_error)?
        }
        None => format!(
            "Client:\n Version:    {}\n Debug Mode: {}\n\nServer:\n Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}\n Images: {}\n \
             Server Version: {}\n Storage Driver: {}\n Cgroup Driver: {}\n Cgroup Version: {}\n Default Runtime: {}\n Namespace: {}\n Namespaces: {}\n \
             Kernel Version: {}\n Operating System: {}\n OSType: linux\n Architecture: {}\n CPUs: {}\n Total Memory: {}\n \
             Name: {}\n ID: {}\n containerd Root Dir: {}\n containerd Address: {}\n \
             Restart Monitor: {}\n Transfer Service: {}\n",
            berth::info::VERSION,
            ctx.global.debug,
            sum.containers,
            sum.running,
            sum.paused,
            sum.stopped,
            sum.images,
            sum.server.version,
            sum.snapshotter,
            sum.cgroup_driver,
            sum.cgroup_version,
            sum.runtime,
            sum.namespace,
            sum.namespaces.join(", "),
            kernel,
            os,
            arch,
            cpus,
            berth::format::units::bytes_size(mem as f64),
            name,
            sum.server_uuid,
            root,
            sum.address,
            restart_text(&sum.capabilities),
            if sum.capabilities.transfer {
                "yes"
            } else {
                "no"
            },
        ),
    };
    write_stdout(&text)?;
    Ok(0)
}

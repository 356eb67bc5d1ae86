//! `berth update --restart POLICY CONTAINER...`: the restart policy of
//! existing containers. Resource limits come with the storage/security
//! issue and are refused until then.

use berth::container::config::RestartPolicy;
use berth::container::lifecycle;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::each_container;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])
    #[arg(long, value_name = "POLICY", value_parser = RestartPolicy::parse)]
    restart: Option<RestartPolicy>,
    #[command(flatten)]
    unsupported: ResourceFlags,
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
}

crate::unsupported_flags!(ResourceFlags {
    blkio_weight: Option<String> = "blkio-weight";
    cpu_period: Option<String> = "cpu-period";
    cpu_quota: Option<String> = "cpu-quota";
    cpu_rt_period: Option<String> = "cpu-rt-period";
    cpu_rt_runtime: Option<String> = "cpu-rt-runtime";
    cpu_shares: Option<String> = "cpu-shares", 'c';
    cpus: Option<String> = "cpus";
    cpuset_cpus: Option<String> = "cpuset-cpus";
    cpuset_mems: Option<String> = "cpuset-mems";
    kernel_memory: Option<String> = "kernel-memory";
    memory: Option<String> = "memory", 'm';
    memory_reservation: Option<String> = "memory-reservation";
    memory_swap: Option<String> = "memory-swap";
    pids_limit: Option<String> = "pids-limit";
});

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    args.unsupported.check("update")?;
    let Some(policy) = args.restart else {
        return Err(berth::Error::invalid(
            "you must provide one or more flags when using this command",
        ));
    };
    let client = ctx.client().await?;
    let data = ctx.data_root();
    each_container(client, &args.containers, async |rec, input| {
        lifecycle::update_restart(client, &data, rec, &policy).await?;
        Ok(Some(input.to_string()))
    })
    .await
}

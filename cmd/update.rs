//! `berth update [--restart POLICY] [resource flags] CONTAINER...`: the
//! restart policy and cgroup limits of existing containers, running or not.

use berth::container::config::ResourceFlags;
use berth::container::model::RestartPolicy;
use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::each_container;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])
    #[arg(long, value_name = "POLICY")]
    restart: Option<String>,
    #[command(flatten)]
    resources: ResourceFlags,
    #[command(flatten)]
    unsupported: Unsupported,
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
}

crate::unsupported_flags!(Unsupported {
    blkio_weight: Option<String> = "blkio-weight";
    cpu_rt_period: Option<String> = "cpu-rt-period";
    cpu_rt_runtime: Option<String> = "cpu-rt-runtime";
    kernel_memory: Option<String> = "kernel-memory";
});

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    args.unsupported.check("update")?;
    if args.restart.is_none() && !args.resources.given() {
        return Err(berth::Error::invalid(
            "you must provide one or more flags when using this command",
        ));
    }
    // Checked once, before any container is touched.
    let policy: Option<RestartPolicy> = args
        .restart
        .as_deref()
        .map(ops::parse_restart_policy)
        .transpose()?;
    let changes = ops::Changes {
        resources: args.resources.given().then_some(&args.resources),
        restart: policy.as_ref(),
    };
    let client = ctx.client().await?;
    let data = ctx.data_root();
    each_container(client, &args.containers, async |rec, input| {
        ops::update(client, &data, rec, &changes).await?;
        Ok(Some(input.to_string()))
    })
    .await
}

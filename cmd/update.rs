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
    /// Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)
    #[arg(long = "blkio-weight", value_name = "uint16")]
    blkio_weight: Option<u16>,
    #[command(flatten)]
    kernel_memory: crate::unsupported::KernelMemory,
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    // docker's API (1.42 on) drops a kernel memory limit: nothing to do,
    // but the flag alone is still a flag given.
    let kmem_only = args.kernel_memory.given();
    if args.restart.is_none()
        && !args.resources.given()
        && args.blkio_weight.is_none()
        && !kmem_only
    {
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
    // docker's daemon: a weight the kernel lacks is discarded, said after
    // the names on stdout.
    let mut weights = berth::container::model::Resources {
        blkio_weight: args.blkio_weight.unwrap_or(0),
        ..Default::default()
    };
    let warnings = match args.blkio_weight {
        Some(_) => berth::container::config::throttle::host_check(&mut weights)?,
        None => Vec::new(),
    };
    let changes = ops::Changes {
        resources: args.resources.given().then_some(&args.resources),
        restart: policy.as_ref(),
        blkio_weight: args.blkio_weight.map(|_| weights.blkio_weight),
    };
    let client = ctx.client().await?;
    let data = ctx.data_root();
    let code = each_container(client, &args.containers, async |rec, input| {
        ops::update(client, &data, rec, &changes).await?;
        Ok(Some(input.to_string()))
    })
    .await?;
    for w in warnings {
        println!("{w}");
    }
    Ok(code)
}

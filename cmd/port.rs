//! `berth port`: a container's published ports, docker's lines
//! (`80/tcp -> 0.0.0.0:8080`), or the host addresses of one private port.

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    /// PRIVATE_PORT[/PROTO]
    port: Option<String>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let ports = ops::published(client, &ctx.data_root(), &args.container).await?;
    let Some(wanted) = args.port else {
        for p in &ports {
            println!(
                "{}/{} -> {}:{}",
                p.container_port,
                p.protocol.as_str(),
                p.host_ip,
                p.host_port
            );
        }
        return Ok(0);
    };
    let wanted = if wanted.contains('/') {
        wanted
    } else {
        format!("{wanted}/tcp")
    };
    let matching: Vec<_> = ports
        .iter()
        .filter(|p| format!("{}/{}", p.container_port, p.protocol.as_str()) == wanted)
        .collect();
    if matching.is_empty() {
        return Err(berth::Error::not_found(format!(
            "No public port '{wanted}' published for {}",
            args.container
        )));
    }
    for p in matching {
        println!("{}:{}", p.host_ip, p.host_port);
    }
    Ok(0)
}

//! `berth rm` / `berth container rm`.

use berth::ErrorKind;
use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Containers (names or IDs)
    #[arg(required = true, value_name = "CONTAINER")]
    containers: Vec<String>,
    /// Force the removal of a running container (uses SIGKILL)
    #[arg(short = 'f', long)]
    force: bool,
    /// Remove anonymous volumes associated with the container
    #[arg(short = 'v', long)]
    volumes: bool,
    /// Remove the specified link (/CONTAINER/ALIAS)
    #[arg(short = 'l', long)]
    link: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    // One listing for all arguments.
    let containers = ops::records(client).await?;
    let data = ctx.data_root();
    let mut failed = false;
    for input in &args.containers {
        let result = match ops::find(&containers, input) {
            _ if args.link => ops::unlink(client, &data, &containers, input).await,
            Ok(c) => match output::kubelet_guard(c, args.force) {
                Ok(()) => ops::remove(client, &data, c, args.force, args.volumes).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => println!("{input}"),
            Err(e) => {
                // docker: with --force a missing container is reported but
                // is not a failure.
                failed |= !(args.force && e.kind() == ErrorKind::NotFound);
                output::daemon_error(&e);
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}

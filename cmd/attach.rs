//! `berth attach`: not supported yet. A detached container's output goes
//! to its log through containerd's log driver, so there is no stream to
//! join; `logs -f` follows it.

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    #[command(flatten)]
    unsupported: Unsupported,
}

crate::unsupported_flags!(Unsupported {
    detach_keys: Option<String> = "detach-keys";
    no_stdin: bool = "no-stdin";
    sig_proxy: Option<String> = "sig-proxy";
});

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    args.unsupported.check("attach")?;
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?;
    Err(berth::Error::unsupported(format!(
        "attaching to a running container ({}) is not supported yet: its output goes to its log",
        args.container
    ))
    .hinted(format!(
        "follow the output with `berth logs -f {}`, or run a command in it with `berth exec -it {} sh`",
        rec.name, rec.name
    )))
}

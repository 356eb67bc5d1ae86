//! `berth export` / `berth container export`: a container's filesystem as
//! a tar archive, to a file or stdout.

use std::io::IsTerminal;
use std::path::PathBuf;

use berth::container::ops;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Container (name, id or id prefix)
    container: String,
    /// Write to a file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?;
    let io = |e: std::io::Error| berth::Error::new(berth::ErrorKind::Io, e.to_string());
    match &args.output {
        Some(path) => {
            let (pending, file) = berth::util::PendingFile::create(path).await.map_err(io)?;
            let file = ops::export(client, rec, file).await?;
            pending.commit(file).await.map_err(io)?;
        }
        None => {
            if std::io::stdout().is_terminal() {
                return Err(berth::Error::invalid(
                    "cowardly refusing to save to a terminal. Use the -o flag or redirect",
                ));
            }
            ops::export(client, rec, tokio::io::stdout()).await?;
        }
    }
    Ok(0)
}

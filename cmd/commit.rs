//! `berth commit` / `berth container commit`: a new image from a
//! container's changes.

use berth::container::ops::{self, CommitOptions};
use clap::{ArgAction, Args as ClapArgs};

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Container (name, id or id prefix)
    container: String,
    /// The new image's name
    #[arg(value_name = "REPOSITORY[:TAG]")]
    reference: Option<String>,
    /// Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")
    #[arg(short = 'a', long = "author", default_value = "")]
    author: String,
    /// Apply Dockerfile instruction to the created image
    #[arg(short = 'c', long = "change", value_name = "CHANGE")]
    change: Vec<String>,
    /// Commit message
    #[arg(short = 'm', long = "message", default_value = "")]
    message: String,
    /// Pause container during commit
    #[arg(short = 'p', long = "pause", action = ArgAction::Set, num_args = 0..=1,
          default_value_t = true, default_missing_value = "true", require_equals = true)]
    pause: bool,
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?;
    let opts = CommitOptions {
        reference: args.reference,
        author: args.author,
        message: args.message,
        changes: args.change,
        pause: args.pause,
    };
    let id = ops::commit(client, rec, &opts).await?;
    println!("{id}");
    Ok(0)
}

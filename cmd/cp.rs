//! `berth cp` / `berth container cp`: files between a container and the
//! local filesystem, or a tar stream (`-`) on either side.

use std::io::IsTerminal;

use berth::container::ops::{self, CopyLocal, CopyOptions, CopySide, InFrom, OutTo};
use berth::format::units::human_size_with_precision;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// CONTAINER:SRC_PATH, a local path, or - (a tar stream on stdin)
    #[arg(value_name = "SRC")]
    source: String,
    /// CONTAINER:DEST_PATH, a local path, or - (a tar stream on stdout)
    #[arg(value_name = "DEST")]
    destination: String,
    /// Always follow symlinks in SRC_PATH
    #[arg(short = 'L', long = "follow-link")]
    follow_link: bool,
    /// Archive mode (copy all uid/gid information)
    #[arg(short = 'a', long = "archive")]
    archive: bool,
    /// Suppress progress output during copy. Progress output is
    /// automatically suppressed if no terminal is attached
    #[arg(short = 'q', long = "quiet")]
    quiet: bool,
}

/// docker's `splitCpArg`: `CONTAINER:PATH`, unless the argument is an
/// absolute path or starts with `.` (a local path holding a colon).
fn split(arg: &str) -> (Option<&str>, &str) {
    if arg.starts_with('/') {
        return (None, arg);
    }
    match arg.split_once(':') {
        Some((c, p)) if !c.starts_with('.') => (Some(c), p),
        _ => (None, arg),
    }
}

fn refuse(msg: &str) -> berth::Error {
    berth::Error::invalid(msg).cli()
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    if args.source.is_empty() {
        return Err(refuse("source can not be empty"));
    }
    if args.destination.is_empty() {
        return Err(refuse("destination can not be empty"));
    }
    let (from, src) = split(&args.source);
    let (to, dest) = split(&args.destination);
    let quiet = args.quiet || !std::io::stdout().is_terminal();
    let (root, cwd, uid, gid) = berth::host::local_side()
        .map_err(|e| berth::Error::io("finding the working directory", e))?;
    let local = CopyLocal {
        root,
        cwd,
        uid,
        gid,
    };
    let opts = CopyOptions {
        follow: args.follow_link,
        archive: args.archive,
    };
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let data = ctx.data_root();
    let copied = match (from, to) {
        (Some(_), Some(_)) => return Err(refuse("copying between containers is not supported")),
        (None, None) => return Err(refuse("must specify at least one container source")),
        (Some(name), None) => {
            let side = CopySide {
                rec: ops::find(&records, name)?,
                input: name,
            };
            let dest = match dest {
                "-" => OutTo::Stream(Box::new(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout(),
                ))),
                path => OutTo::Path(path),
            };
            ops::copy_out(client, &data, side, src, dest, &local, opts).await?
        }
        (None, Some(name)) => {
            let side = CopySide {
                rec: ops::find(&records, name)?,
                input: name,
            };
            let src = match src {
                "-" => InFrom::Stream(Box::new(std::io::stdin())),
                path => InFrom::Path(path),
            };
            ops::copy_in(client, &data, side, src, dest, &local, opts).await?
        }
    };
    if !quiet && copied.dest != "-" {
        eprintln!(
            "Successfully copied {} to {}",
            human_size_with_precision(copied.size as f64, 3),
            copied.dest
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn arguments_split_as_dockers_cli_splits_them() {
        assert_eq!(split("c1:/etc"), (Some("c1"), "/etc"));
        assert_eq!(split("c1:"), (Some("c1"), ""));
        assert_eq!(split("/a:b"), (None, "/a:b"));
        assert_eq!(split("./a:b"), (None, "./a:b"));
        assert_eq!(split("file"), (None, "file"));
        assert_eq!(split("-"), (None, "-"));
    }
}

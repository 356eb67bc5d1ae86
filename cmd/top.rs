//! `berth top CONTAINER [ps OPTIONS]`: the container's processes, as the
//! host's `ps` shows them, in docker's table.

use berth::container::ops;
use berth::format::TabWriter;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The container (name or ID)
    container: String,
    /// Options for ps (default -ef)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    ps_args: Vec<String>,
}

/// Runs the host's `ps`: first asking for the container's pids only
/// (`-q`), then, where `ps` lacks that (busybox), for everything.
fn ps(args: &[String], pids: &[u32]) -> berth::Result<String> {
    let list: Vec<String> = pids.iter().map(|p| p.to_string()).collect();
    let run = |extra: &[String]| {
        std::process::Command::new("ps")
            .args(args)
            .args(extra)
            .output()
    };
    if let Ok(o) = run(&["-q".into(), list.join(",")])
        && o.status.success()
    {
        return Ok(String::from_utf8_lossy(&o.stdout).into_owned());
    }
    let o = run(&[]).map_err(|e| berth::Error::io("running ps", e))?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        return Err(berth::Error::new(
            berth::ErrorKind::Daemon,
            format!("ps: {}", err.lines().next().unwrap_or_default()),
        ));
    }
    Ok(String::from_utf8_lossy(&o.stdout).into_owned())
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let ps_args: Vec<String> = if args.ps_args.is_empty() {
        ops::TOP_DEFAULT_ARGS
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args.ps_args
            .join(" ")
            .split(' ')
            .map(String::from)
            .collect()
    };
    ops::top_validate_args(&ps_args)?;
    let client = ctx.client().await?;
    let records = ops::records(client).await?;
    let rec = ops::find(&records, &args.container)?;
    let pids = ops::pids(client, rec).await?;
    if pids
        .first()
        .is_some_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())
    {
        return Err(berth::Error::unsupported(
            "the container's processes are not visible from here (berth runs in another pid namespace)",
        )
        .hinted("run berth with the host's pid namespace (--pid host) to use top"));
    }
    let (titles, rows) = ops::top_filter(&ps(&ps_args, &pids)?, &pids)?;
    let mut tw = TabWriter::new(20, 1, 3, ' ');
    tw.write(&format!("{}\n", titles.join("\t")));
    for r in rows {
        tw.write(&format!("{}\n", r.join("\t")));
    }
    crate::output::write_stdout(&tw.finish())?;
    Ok(0)
}

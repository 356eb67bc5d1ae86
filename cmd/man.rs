//! berth's man pages, from the same clap definitions as `--help` and the
//! completion scripts: `berth __man DIR` writes `DIR/berth.1` and one page
//! per verb (`berth-run.1`, `berth-network-create.1`, ...). Checked in
//! under man/man1 by scripts/gen-completions; a test fails when stale.

use std::path::Path;

use clap::Command;

/// The hidden verb that writes them.
pub const VERB: &str = "__man";

/// Writes the page of `cmd` (named `name`) and of each visible subcommand.
pub fn write(cmd: Command, name: &str, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let cmd = cmd
        .display_name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    std::fs::write(dir.join(format!("{name}.1")), page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write(sub.clone(), &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(())
}

//! `top`: the container's processes as `ps` shows them, docker's way: run
//! `ps` with the user's options and keep the rows whose PID is one of the
//! container's (containerd lists them).

use crate::error::{Error, Result};

/// docker's default `ps` options.
pub const DEFAULT_ARGS: &[&str] = &["-ef"];

/// The titles and the container's rows of `ps` output. Pure.
pub fn filter(output: &str, pids: &[u32]) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut lines = output.lines();
    let titles: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    let pid_col = titles
        .iter()
        .position(|t| t == "PID")
        .ok_or_else(|| Error::invalid("Couldn't find PID field in ps output"))?;
    let mut rows = Vec::new();
    let mut kept_last = false;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(pid) = fields.get(pid_col) else {
            continue;
        };
        let keep = if *pid == "-" {
            kept_last
        } else {
            let p: u32 = pid
                .parse()
                .map_err(|e| Error::invalid(format!("Unexpected pid '{pid}': {e}")))?;
            pids.contains(&p)
        };
        kept_last = keep;
        if !keep {
            continue;
        }
        let n = titles.len();
        let mut row: Vec<String> = fields.iter().take(n - 1).map(|s| s.to_string()).collect();
        if fields.len() >= n {
            row.push(fields[n - 1..].join(" "));
        }
        rows.push(row);
    }
    Ok((titles, rows))
}

/// docker refuses options that rename the PID column.
pub fn validate_args(args: &[String]) -> Result<()> {
    for a in args {
        if let Some((k, v)) = a.split_once('=')
            && v.starts_with("PID")
            && k != "pid"
        {
            return Err(Error::invalid(format!(
                "specifying \"{k}={v}\" is not allowed"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_containers_rows() {
        let out = "UID PID PPID C STIME TTY TIME CMD\n\
                   root 1 0 0 10:00 ? 00:00:01 /sbin/init\n\
                   root 4242 4200 0 10:01 ? 00:00:00 sleep 300\n\
                   root 4243 4242 0 10:01 ? 00:00:00 sh -c echo hi\n";
        let (titles, rows) = filter(out, &[4242, 4243]).unwrap();
        assert_eq!(
            titles,
            ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][7], "sleep 300");
        assert_eq!(rows[1][7], "sh -c echo hi");
        let (t, r) = filter("  PID COMMAND\n 4242 sleep\n 9 other\n", &[4242]).unwrap();
        assert_eq!(
            (t.len(), r),
            (2, vec![vec!["4242".to_string(), "sleep".to_string()]])
        );
        assert!(filter("A B\n1 2\n", &[1]).is_err());
        assert!(validate_args(&["-o".into(), "pid=PID".into()]).is_ok());
        assert!(validate_args(&["-o".into(), "user=PID".into()]).is_err());
    }
}

//! Shared output helpers: template values, docker's table/--format
//! rendering, and time strings.

pub mod container_row;
pub mod volume_row;

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::SystemTime;

use berth::format::{self, Method, Row, Struct, Value};
use berth::{Error, ErrorKind};

pub fn s(x: impl Into<String>) -> Value {
    Value::String(x.into())
}

/// A Go-struct-like value; fields keep their order (docker's JSON of a
/// formatter context is alphabetical, so callers list them that way).
pub fn obj(type_name: &str, fields: Vec<(&str, Value)>, methods: Vec<(&str, Method)>) -> Value {
    Value::Struct(Arc::new(Struct {
        type_name: type_name.to_string(),
        fields: fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        methods: methods
            .into_iter()
            .map(|(k, m)| (k.to_string(), m))
            .collect(),
    }))
}

pub fn format_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("{e}"))
}

/// Renders a listing with docker's `--format` rules and writes it to stdout.
pub fn print_rows<R: Row>(
    user_format: Option<&str>,
    default_table: &str,
    rows: &[R],
) -> berth::Result<()> {
    let text = format::render_rows(user_format, default_table, rows).map_err(format_error)?;
    write_stdout(&text)
}

pub fn write_stdout(text: &str) -> berth::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error for the user.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("writing to stdout", e)),
    }
}

pub fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

/// docker's "2 minutes ago"; "N/A" for an unknown time.
pub fn since(t: Option<SystemTime>) -> String {
    match t {
        Some(t) if t > SystemTime::UNIX_EPOCH => {
            format!("{} ago", format::units::human_duration(elapsed(t)))
        }
        _ => "N/A".to_string(),
    }
}

pub fn elapsed(t: SystemTime) -> std::time::Duration {
    SystemTime::now().duration_since(t).unwrap_or_default()
}

/// Go's `time.Time.String()` in local time, whole seconds:
/// `2024-01-02 15:04:05 +0000 UTC`.
pub fn go_time(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as libc::time_t)
        .unwrap_or(0);
    // SAFETY: localtime_r fills the zeroed tm we own.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&secs, &mut tm) }.is_null() {
        return String::new();
    }
    let off = tm.tm_gmtoff;
    let zone = if tm.tm_zone.is_null() {
        String::new()
    } else {
        // SAFETY: tm_zone points at a static NUL-terminated abbreviation.
        unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
            .to_string_lossy()
            .into_owned()
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {}{:02}{:02} {}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        if off < 0 { '-' } else { '+' },
        off.abs() / 3600,
        (off.abs() % 3600) / 60,
        zone
    )
}

/// docker's `TruncateWithEllipsis`: at most `n` runes, the last one "…".
pub fn ellipsis(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut out: String = text.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One stderr line when this namespace is empty but others are not.
pub fn print_namespace_hint(verb: &str, ns: &str, others: &[(String, usize)]) {
    let what = if verb == "images" {
        "images"
    } else {
        "containers"
    };
    let list = others
        .iter()
        .map(|(n, c)| format!("{n} ({c})"))
        .collect::<Vec<_>>()
        .join(", ");
    let example = &others[0].0;
    eprintln!(
        "berth: namespace \"{ns}\" has no {what}; {what} exist in namespace {list}: try `berth -n {example} {verb}`"
    );
}

/// docker's error line for a daemon-side failure.
pub fn daemon_error(e: &Error) {
    eprintln!("{DAEMON}{}", e.message());
    if let Some(h) = e.hint() {
        eprintln!("Hint: {h}");
    }
}

/// docker's words for what its daemon refused.
const DAEMON: &str = "Error response from daemon: ";

/// The name berth was invoked as (`berth`, or `docker` where it is
/// installed as that): docker's messages name the program.
pub fn program() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "berth".into())
}

/// Which verbs an error comes from: docker words and numbers them apart.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `run`: 125 when the CLI or the daemon fails (126/127 for the command).
    Run,
    /// `create`: 125 for what the CLI refuses, 1 for the daemon's answer.
    Create,
    /// `build`: 1 when the build fails, 125 when no BuildKit daemon answers.
    Build,
    Other,
}

/// docker's exit code for a failure (docs/compatibility.md).
pub fn exit_code(err: &Error, family: Family) -> u8 {
    match err.kind() {
        ErrorKind::CommandNotFound => 127,
        ErrorKind::CommandNotExecutable => 126,
        _ if family == Family::Run => 125,
        _ if family == Family::Create && err.is_cli() => 125,
        ErrorKind::Unavailable if family == Family::Build => 125,
        _ => 1,
    }
}

/// berth's own trouble (containerd unreachable, a mount missing in a CI
/// container): not the daemon's words, and a hint.
fn berths_own(err: &Error) -> bool {
    matches!(err.kind(), ErrorKind::Unavailable | ErrorKind::Io)
}

/// docker's wording of a failure, in one place (docs/compatibility.md):
/// `run` says `PROG: Error response from daemon: ...` for what its daemon
/// refused and `PROG: ...` for what the CLI did, then where help is;
/// `create` the same for the CLI's, bare daemon lines otherwise; other
/// verbs `Error response from daemon: ...` for missing objects and
/// conflicts, `Error: ...` otherwise.
pub fn print_error(err: &Error, family: Family) {
    let (prog, msg) = (program(), err.message());
    let verb = match family {
        Family::Run => "run",
        _ => "create",
    };
    let run_like = family == Family::Run || (family == Family::Create && err.is_cli());
    match family {
        _ if run_like && (err.is_cli() || berths_own(err)) => eprintln!("{prog}: {msg}"),
        Family::Run => eprintln!("{prog}: {DAEMON}{msg}"),
        Family::Create if !berths_own(err) => eprintln!("{DAEMON}{msg}"),
        Family::Build => eprintln!("ERROR: failed to build: {msg}"),
        // docker's CLI prints its own refusals bare (`cannot copy directory`).
        Family::Other if err.is_cli() => eprintln!("{msg}"),
        Family::Other if matches!(err.kind(), ErrorKind::NotFound | ErrorKind::Conflict) => {
            eprintln!("{DAEMON}{msg}")
        }
        _ => eprintln!("Error: {msg}"),
    }
    if let Some(h) = err.hint() {
        eprintln!("Hint: {h}");
    }
    if run_like {
        eprintln!("\nRun '{prog} {verb} --help' for more information");
    }
}

/// docker's wording of a flag it could not take (its value, an unknown
/// flag): `invalid argument "V" for "-m, --memory" flag: WHY`, the usage,
/// where help is. Other parse errors keep clap's words. The exit code.
pub fn print_flag_error(e: &clap::Error, cmd: &clap::Command) -> u8 {
    use clap::error::{ContextKind, ContextValue, ErrorKind as K};
    let text = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let mut root = cmd.clone().bin_name(program());
    root.build();
    let verb = verb_of(&root);
    let line = match e.kind() {
        K::ValueValidation | K::InvalidValue => {
            let (Some(arg), Some(value)) = (
                text(ContextKind::InvalidArg),
                text(ContextKind::InvalidValue),
            ) else {
                let _ = e.print();
                return 125;
            };
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| format!("{value:?} is not one of the accepted values"));
            format!(
                "invalid argument \"{value}\" for \"{}\" flag: {why}",
                flag_names(verb, &arg)
            )
        }
        K::UnknownArgument => match text(ContextKind::InvalidArg) {
            Some(arg) => format!("unknown flag: {arg}"),
            None => {
                let _ = e.print();
                return 125;
            }
        },
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return 0;
        }
        _ => {
            let _ = e.print();
            return 125;
        }
    };
    let usage = verb.clone().render_usage().to_string();
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
    let path = verb.get_bin_name().unwrap_or(verb.get_name());
    eprintln!("{line}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information");
    125
}

/// The (sub)command berth's arguments name: subcommand names followed
/// through the tree, flags and their values skipped.
fn verb_of(root: &clap::Command) -> &clap::Command {
    let mut cmd = root;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if let Some(flag) = a.strip_prefix('-') {
            let name = flag.trim_start_matches('-');
            let takes_value = cmd.get_arguments().any(|x| {
                let named = x.get_long() == Some(name)
                    || x.get_short().is_some_and(|c| name == c.to_string());
                named && x.get_action().takes_values()
            });
            if takes_value && !a.contains('=') {
                args.next();
            }
            continue;
        }
        match cmd.find_subcommand(&a) {
            Some(sub) => cmd = sub,
            None => break,
        }
    }
    cmd
}

/// `-m, --memory` for clap's `--memory <BYTES>`: the flag's names as
/// docker's usage shows them, from the verb's own flags.
fn flag_names(verb: &clap::Command, shown: &str) -> String {
    let long = shown
        .split_whitespace()
        .find_map(|w| w.strip_prefix("--"))
        .map(|l| l.trim_end_matches(['=', '>']).to_string());
    let found = long
        .as_deref()
        .and_then(|l| verb.get_arguments().find(|a| a.get_long() == Some(l)));
    match (found.and_then(|a| a.get_short()), long) {
        (Some(short), Some(l)) => format!("-{short}, --{l}"),
        (_, Some(l)) => format!("--{l}"),
        _ => shown.to_string(),
    }
}

/// docker's y/N question before a prune; whether the answer was yes.
pub fn confirm(warning: &str) -> bool {
    use std::io::BufRead;
    eprint!("{warning}\nAre you sure you want to continue? [y/N] ");
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y")
}

/// A container the kubelet manages: one line saying that the kubelet will
/// recreate it and what to run instead; going on takes `-f` or a yes.
pub fn kubelet_guard(rec: &berth::container::ContainerRecord, force: bool) -> berth::Result<()> {
    let Some(k) = &rec.kube else { return Ok(()) };
    let warning = format!("WARNING: {}", k.advice());
    if force {
        eprintln!("{warning}");
        return Ok(());
    }
    if confirm(&warning) {
        return Ok(());
    }
    Err(berth::Error::invalid(format!(
        "{}: left alone (-f goes ahead without asking)",
        rec.name
    )))
}

/// docker's report of a prune: `Deleted THINGS:` and each, then the space.
pub fn pruned(what: &str, deleted: &[String], bytes: u64) -> String {
    let mut text = String::new();
    if !deleted.is_empty() {
        text.push_str(&format!("Deleted {what}:\n"));
        for d in deleted {
            text.push_str(d);
            text.push('\n');
        }
        text.push('\n');
    }
    let size = berth::format::units::human_size(bytes as f64);
    text.push_str(&format!("Total reclaimed space: {size}\n"));
    text
}

/// docker's multi-container verbs: one listing for all arguments, then
/// `act` on each in order; a success prints what `act` returns, a failure
/// its error line, and the verb exits 1 if any failed.
pub async fn each_container(
    client: &berth::Client,
    inputs: &[String],
    mut act: impl AsyncFnMut(&berth::container::ContainerRecord, &str) -> berth::Result<Option<String>>,
) -> berth::Result<u8> {
    let records = berth::container::ops::records(client).await?;
    let mut failed = false;
    for input in inputs {
        let result = match berth::container::ops::find(&records, input) {
            Ok(rec) => act(rec, input).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(Some(line)) => println!("{line}"),
            Ok(None) => {}
            Err(e) => {
                failed = true;
                daemon_error(&e);
            }
        }
    }
    Ok(u8::from(failed))
}

/// `inspect`'s output: docker's indented JSON array, `--format json` on
/// one line, or a template per document.
pub fn documents_text(docs: &[serde_json::Value], format: Option<&str>) -> berth::Result<String> {
    Ok(match format {
        None => pretty(docs)?,
        Some("json") => format!("{}\n", serde_json::to_string(docs)?),
        Some(f) => {
            let mut out = String::new();
            for d in docs {
                out.push_str(
                    &berth::format::render_one(f, &berth::format::Value::from(d.clone()))
                        .map_err(format_error)?,
                );
            }
            if docs.is_empty() {
                out.push('\n');
            }
            out
        }
    })
}

/// docker's `json.Indent(…, "", "    ")` of the array, and a newline.
fn pretty(docs: &[serde_json::Value]) -> berth::Result<String> {
    use serde::Serialize;
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    docs.serialize(&mut ser)?;
    buf.push(b'\n');
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Tells `events` watchers what a verb did that containerd does not see
/// (networks, volumes); best effort: no containerd, no event.
pub async fn publish_event(
    ctx: &crate::ctx::Ctx,
    kind: &str,
    action: &str,
    id: &str,
    attrs: &[(&str, &str)],
) {
    if let Ok(client) = ctx.client().await {
        berth::events::publish(client, kind, action, id, attrs).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_and_quoting_like_docker() {
        assert_eq!(
            ellipsis("sh -c 'echo hello world'", 20),
            "sh -c 'echo hello w…"
        );
        assert_eq!(ellipsis("short", 20), "short");
    }
}

//! Shared output helpers: template values, docker's table/--format
//! rendering, and time strings.

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
    eprintln!("Error response from daemon: {}", e.message());
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

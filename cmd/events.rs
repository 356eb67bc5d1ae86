//! `berth events` / `berth system events`: docker's event lines (or
//! `--format`) for the namespace, from now until interrupted or
//! `--until`. containerd keeps no history: `--since` filters, it cannot
//! replay.

use std::io::Write;
use std::sync::Arc;

use berth::container::ops::Watcher;
use berth::events::{Event, EventFilters};
use berth::format::{Method, Struct, Value};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::format_error;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Filter output based on conditions provided
    #[arg(short = 'f', long = "filter", value_name = "FILTER")]
    filter: Vec<String>,
    /// Format output using a custom template: 'json' or a Go template
    #[arg(long = "format")]
    format: Option<String>,
    /// Show all events created since timestamp
    #[arg(long = "since")]
    since: Option<String>,
    /// Stream events until this timestamp
    #[arg(long = "until")]
    until: Option<String>,
}

/// docker's `GetTimestamp`: RFC 3339 (or its date-only forms), Unix
/// seconds with an optional fraction, or a Go duration back from now.
fn timestamp(value: &str, now: chrono::DateTime<chrono::Utc>) -> berth::Result<i64> {
    let nanos = |t: chrono::DateTime<chrono::Utc>| t.timestamp_nanos_opt().unwrap_or(i64::MAX);
    if let Some(d) = berth::util::parse_go_duration(value) {
        if value != "0" {
            return Ok(nanos(now) - d.as_nanos() as i64);
        }
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(nanos(t.with_timezone(&chrono::Utc)));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return Ok((secs * 1e9) as i64);
    }
    Err(berth::Error::invalid(format!(
        "failed to parse value as time or duration: {value:?}"
    ))
    .cli())
}

/// The template value: docker's `events.Message`, whose JSON keys are
/// its tags (`status`, `Type`, ...) and whose fields are Go's names.
fn value(e: &Event) -> Value {
    let json = e.to_json();
    let mut fields = Vec::new();
    for (k, v) in json.as_object().into_iter().flatten() {
        let v = match k.as_str() {
            "Actor" => Value::Struct(Arc::new(Struct {
                type_name: "events.Actor".into(),
                fields: vec![
                    ("ID".into(), Value::String(e.id.clone())),
                    ("Attributes".into(), Value::from(v["Attributes"].clone())),
                ],
                methods: Vec::new(),
            })),
            _ => Value::from(v.clone()),
        };
        fields.push((k.clone(), v));
    }
    let get = |key: &'static str| {
        let v = Value::from(
            json.get(key)
                .cloned()
                .unwrap_or_else(|| serde_json::json!("")),
        );
        (key, Method::new(0, move |_| Ok(v.clone())))
    };
    let methods = [
        ("Status", "status"),
        ("ID", "id"),
        ("From", "from"),
        ("Scope", "scope"),
        ("Time", "time"),
        ("TimeNano", "timeNano"),
    ]
    .into_iter()
    .map(|(go, key)| (go.to_string(), get(key).1))
    .collect();
    Value::Struct(Arc::new(Struct {
        type_name: "events.Message".into(),
        fields,
        methods,
    }))
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let filters = EventFilters::parse(&args.filter)?;
    let now = chrono::Utc::now();
    let since = args
        .since
        .as_deref()
        .map(|s| timestamp(s, now))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| timestamp(s, now))
        .transpose()?;
    let template = match args.format.as_deref() {
        Some("json") => Some("{{json .}}".to_string()),
        other => other.map(str::to_string),
    };
    let deadline = until.map(|u| {
        let left = u - now.timestamp_nanos_opt().unwrap_or(0);
        tokio::time::Instant::now() + std::time::Duration::from_nanos(left.max(0) as u64)
    });
    let client = ctx.client().await?;
    // containerd answers a subscription with its first event: the
    // deadline covers the wait for it too.
    let mut watcher = match deadline {
        Some(d) => match tokio::time::timeout_at(d, Watcher::start(client)).await {
            Ok(w) => w?,
            Err(_) => return Ok(0),
        },
        None => Watcher::start(client).await?,
    };
    loop {
        let next = match deadline {
            Some(d) => match tokio::time::timeout_at(d, watcher.next()).await {
                Ok(n) => n,
                Err(_) => return Ok(0),
            },
            None => watcher.next().await,
        };
        let Some(event) = next else { return Ok(0) };
        let event = event?;
        if since.is_some_and(|s| event.time_nano < s) || !filters.matches(&event) {
            continue;
        }
        let line = match &template {
            Some(t) => berth::format::render_one(t, &value(&event)).map_err(format_error)?,
            None => format!("{}\n", event.line()),
        };
        let mut out = std::io::stdout().lock();
        if out
            .write_all(line.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return Ok(0); // the reader went away (`| head`)
        }
    }
}

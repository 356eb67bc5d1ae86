//! `berth ps` / `berth container ls`.

use berth::container::list::{self, ContainerRow, PsFilters, State};
use berth::format::{Method, Value};
use berth::info::{Holding, other_namespaces};
use berth::util::short_id;
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::{elapsed, ellipsis, go_quote, go_time, obj, print_rows, s, since};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Show all containers (default shows just running)
    #[arg(short = 'a', long)]
    all: bool,
    /// Only display container IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Don't truncate output
    #[arg(long = "no-trunc")]
    no_trunc: bool,
    /// Show n last created containers (includes all states)
    #[arg(short = 'n', long = "last", value_name = "N")]
    last: Option<usize>,
    /// Show the latest created container (includes all states)
    #[arg(short = 'l', long)]
    latest: bool,
    /// Filter output based on conditions provided (status, name, label, id, ancestor, exited)
    #[arg(short = 'f', long = "filter")]
    filter: Vec<String>,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    format: Option<String>,
    #[command(flatten)]
    unsupported: Unsupported,
}

crate::unsupported_flags!(Unsupported {
    size: bool = "size", 's';
});

const DEFAULT_TABLE: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

/// docker's STATUS column.
pub fn status_text(state: &State) -> String {
    use berth::format::units::human_duration;
    match state {
        State::Created => "Created".into(),
        State::Running { started: Some(t) } => format!("Up {}", human_duration(elapsed(*t))),
        State::Running { started: None } => "Up".into(),
        State::Paused { started: Some(t) } => {
            format!("Up {} (Paused)", human_duration(elapsed(*t)))
        }
        State::Paused { started: None } => "Up (Paused)".into(),
        State::Exited {
            code,
            finished: Some(t),
        } => {
            format!("Exited ({code}) {} ago", human_duration(elapsed(*t)))
        }
        State::Exited {
            code,
            finished: None,
        } => format!("Exited ({code})"),
        State::Unknown => "Unknown".into(),
    }
}

fn headers() -> Value {
    let label = Method::new(1, |_| Ok(Value::String("LABEL".into())));
    obj(
        "containerHeaders",
        vec![
            ("Command", s("COMMAND")),
            ("CreatedAt", s("CREATED AT")),
            ("ID", s("CONTAINER ID")),
            ("Image", s("IMAGE")),
            ("Labels", s("LABELS")),
            ("LocalVolumes", s("LOCAL VOLUMES")),
            ("Mounts", s("MOUNTS")),
            ("Names", s("NAMES")),
            ("Networks", s("NETWORKS")),
            ("Ports", s("PORTS")),
            ("RunningFor", s("CREATED")),
            ("Size", s("SIZE")),
            ("State", s("STATE")),
            ("Status", s("STATUS")),
        ],
        vec![("Label", label)],
    )
}

fn row_value(r: &ContainerRow, no_trunc: bool) -> Value {
    let id = if no_trunc {
        r.id.clone()
    } else {
        short_id(&r.id).to_string()
    };
    let command = if no_trunc {
        r.command()
    } else {
        ellipsis(&r.command(), 20)
    };
    let labels_text = r
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let labels = r.labels.clone();
    let label = Method::new(1, move |args: &[Value]| match args.first() {
        Some(Value::String(k)) => Ok(Value::String(labels.get(k).cloned().unwrap_or_default())),
        Some(other) => Ok(Value::String(
            labels.get(&other.to_string()).cloned().unwrap_or_default(),
        )),
        None => Err("wrong number of args for Label: want 1 got 0".to_string()),
    });
    obj(
        "*formatter.ContainerContext",
        vec![
            ("Command", s(go_quote(&command))),
            ("CreatedAt", s(go_time(r.created))),
            ("ID", s(id)),
            ("Image", s(&r.image)),
            ("Labels", s(labels_text)),
            ("LocalVolumes", s("0")),
            ("Mounts", s("")),
            ("Names", s(&r.name)),
            ("Networks", s("")),
            ("Ports", s("")),
            ("RunningFor", s(since(Some(r.created)))),
            ("Size", s("N/A")),
            ("State", s(r.state.name())),
            ("Status", s(status_text(&r.state))),
        ],
        vec![("Label", label)],
    )
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    args.unsupported.check("ps")?;
    let filters = PsFilters::parse(&args.filter)?;
    let client = ctx.client().await?;
    let platform = ctx.platform(None)?;
    let all_rows = list::list(client).await?;
    if all_rows.is_empty()
        && let Ok(others) = other_namespaces(client, Holding::Containers).await
        && !others.is_empty()
    {
        print_namespace_hint("ps", client.namespace(), &others);
    }
    // containers record image names; ancestor= also takes ids.
    let ancestor_names =
        berth::image::store::names_of_same_images(client, filters.ancestors(), &platform).await?;
    let limit = if args.latest { Some(1) } else { args.last };
    let show_all = args.all || limit.is_some() || filters.wants_stopped();
    let mut rows: Vec<&ContainerRow> = all_rows
        .iter()
        .filter(|r| show_all || r.state.is_running())
        .filter(|r| filters.keep(r, &ancestor_names))
        .collect();
    if let Some(n) = limit {
        rows.truncate(n);
    }
    let values: Vec<Value> = rows.iter().map(|r| row_value(r, args.no_trunc)).collect();
    let format = if args.quiet {
        Some("{{.ID}}")
    } else {
        args.format.as_deref()
    };
    print_rows(format, DEFAULT_TABLE, &headers(), &values)?;
    Ok(0)
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

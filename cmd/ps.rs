//! `berth ps` / `berth container ls`.

use berth::container::ops::{self, ContainerRow, PsFilters};
use berth::info::{Holding, other_namespaces};
use clap::Args as ClapArgs;

use crate::ctx::Ctx;
use crate::output::container_row::Ps;
use crate::output::print_rows;

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
    /// Filter output based on conditions provided (status, name, label, id, ancestor, exited, volume, health; pod, k8s-namespace)
    #[arg(short = 'f', long = "filter")]
    filter: Vec<String>,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    format: Option<String>,
    /// Display total file sizes
    #[arg(short = 's', long = "size")]
    size: bool,
}

const DEFAULT_TABLE: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
/// When the listing holds the kubelet's containers: their pod and pod
/// namespace in place of the ports (a pod's ports are the kubelet's).
const KUBE_TABLE: &str = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Pod}}\t{{.Namespace}}\t{{.Names}}";

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let mut filters = PsFilters::parse(&args.filter)?;
    let client = ctx.client().await?;
    let platform = ctx.platform(None)?;
    let mut all_rows = ops::list(client).await?;
    ops::health::fill(&mut all_rows, &ctx.data_root(), client.namespace());
    if all_rows.is_empty()
        && let Ok(others) = other_namespaces(client, Holding::Containers).await
        && !others.is_empty()
    {
        crate::output::print_namespace_hint("ps", client.namespace(), &others);
    }
    filters.resolve(&all_rows)?;
    // containers record image names; ancestor= also takes ids.
    let ancestor_names =
        berth::image::store::names_of_same_images(client, filters.ancestors(), &platform).await?;
    let limit = if args.latest { Some(1) } else { args.last };
    let show_all = args.all || limit.is_some() || filters.wants_stopped();
    let mut rows: Vec<&ContainerRow> = all_rows
        .iter()
        .filter(|r| show_all || r.state.is_running())
        .filter(|r| {
            filters.shows_sandbox(args.all) || !r.record.kube.as_ref().is_some_and(|k| k.sandbox)
        })
        .filter(|r| filters.keep(r, &ancestor_names))
        .collect();
    if let Some(n) = limit {
        rows.truncate(n);
    }
    // docker's CLI asks for sizes with -s, or when the format shows them.
    let sized = args.size || args.format.as_deref().is_some_and(|f| f.contains(".Size"));
    let sizes = match sized && !args.quiet {
        true => {
            let recs: Vec<_> = rows.iter().map(|r| &r.record).collect();
            ops::sizes(client, &recs).await
        }
        false => Default::default(),
    };
    let rows: Vec<Ps> = rows
        .into_iter()
        .map(|row| Ps {
            row,
            size: sizes.get(&row.record.id).copied(),
            no_trunc: args.no_trunc,
        })
        .collect();
    let table = match rows.iter().any(|r| r.row.record.kube.is_some()) {
        true => KUBE_TABLE,
        false => DEFAULT_TABLE,
    };
    let with_size = format!("{table}\t{{{{.Size}}}}");
    let format = if args.quiet {
        Some("{{.ID}}")
    } else {
        args.format.as_deref()
    };
    print_rows(format, if args.size { &with_size } else { table }, &rows)?;
    Ok(0)
}

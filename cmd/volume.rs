//! `berth volume create|ls|inspect|rm|prune|update`: docker's `local` volumes,
//! kept under the data root per containerd namespace, with docker's output.

use std::collections::BTreeMap;

use berth::volume::{self, ListFilters, PruneFilters, Volume, Volumes};
use berth::{Error, ErrorKind};
use clap::{Args, Subcommand};

use crate::ctx::Ctx;
use crate::output::volume_row::VolumeRow;
use crate::output::{daemon_error, documents_text, print_rows, write_stdout};

#[derive(Subcommand, Debug)]
pub enum VolumeCommand {
    /// Create a volume
    Create(Box<CreateArgs>),
    /// List volumes
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Display detailed information on one or more volumes
    Inspect(InspectArgs),
    /// Remove one or more volumes
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Remove unused local volumes
    Prune(PruneArgs),
    /// Update a volume (cluster volumes only)
    Update(UpdateArgs),
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Cluster Volume availability ("active"|"pause"|"drain")
    #[arg(long, default_value = "active")]
    #[allow(dead_code)] // taken as docker's CLI takes it; only a cluster volume would use it
    availability: String,
    #[arg(value_name = "VOLUME")]
    volume: String,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Specify volume driver name (only local)
    #[arg(short = 'd', long, default_value = "local")]
    driver: String,
    /// Set metadata for a volume (KEY=VALUE)
    #[arg(long = "label")]
    label: Vec<String>,
    /// Set driver specific options (not supported yet)
    #[arg(short = 'o', long = "opt")]
    opt: Vec<String>,
    /// Specify volume name
    #[arg(long = "name", hide = true)]
    name_flag: Option<String>,
    #[arg(value_name = "VOLUME")]
    name: Option<String>,
    #[command(flatten)]
    cluster: ClusterCreateFlags,
}

/// docker's cluster (swarm CSI) volume flags. On a node that is not a
/// swarm manager (berth's never is), those that make docker's CLI ask for
/// a cluster volume get its daemon's refusal; `--secret` and `--topology-*`
/// do not count for docker's CLI (it asks for a local volume and drops
/// them), so berth drops them too.
#[derive(Args, Debug)]
pub struct ClusterCreateFlags {
    #[arg(long, hide = true, help = crate::unsupported::SWARM_ONLY)]
    group: Option<String>,
    #[arg(long, hide = true, help = crate::unsupported::SWARM_ONLY)]
    scope: Option<String>,
    #[arg(long, hide = true, help = crate::unsupported::SWARM_ONLY)]
    sharing: Option<String>,
    #[arg(long, hide = true, help = crate::unsupported::SWARM_ONLY)]
    availability: Option<String>,
    #[arg(long = "type", hide = true, help = crate::unsupported::SWARM_ONLY)]
    access_type: Option<String>,
    #[arg(long = "limit-bytes", hide = true, help = crate::unsupported::SWARM_ONLY,
          value_parser = berth::units::ram_in_bytes)]
    limit_bytes: Option<i64>,
    #[arg(long = "required-bytes", hide = true, help = crate::unsupported::SWARM_ONLY,
          value_parser = berth::units::ram_in_bytes)]
    required_bytes: Option<i64>,
    #[arg(long, hide = true, help = crate::unsupported::IGNORED)]
    secret: Vec<String>,
    #[arg(long = "topology-required", hide = true, help = crate::unsupported::IGNORED)]
    topology_required: Vec<String>,
    #[arg(long = "topology-preferred", hide = true, help = crate::unsupported::IGNORED)]
    topology_preferred: Vec<String>,
}

impl ClusterCreateFlags {
    /// What makes docker's CLI ask for a cluster volume.
    fn asks_for_cluster(&self) -> bool {
        self.group.is_some()
            || self.scope.is_some()
            || self.sharing.is_some()
            || self.availability.is_some()
            || self.access_type.is_some()
            || self.limit_bytes.is_some()
            || self.required_bytes.is_some()
    }
}

#[derive(Args, Debug)]
pub struct LsArgs {
    /// Only display volume names
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    format: Option<String>,
    /// Provide filter values (e.g. 'dangling=true')
    #[arg(short = 'f', long = "filter")]
    filter: Vec<String>,
    /// Display only cluster volumes, and use cluster volume list formatting
    #[arg(long)]
    cluster: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Format output using a custom template: 'json', or a Go template
    #[arg(short = 'f', long)]
    format: Option<String>,
    #[arg(required = true, value_name = "VOLUME")]
    volumes: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Force the removal of one or more volumes (a missing one is no error)
    #[arg(short = 'f', long)]
    force: bool,
    #[arg(required = true, value_name = "VOLUME")]
    volumes: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all unused volumes, not just anonymous ones
    #[arg(short = 'a', long)]
    all: bool,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    force: bool,
    /// Provide filter values (e.g. "label=<label>")
    #[arg(long = "filter")]
    filter: Vec<String>,
}

const DEFAULT_TABLE: &str = "table {{.Driver}}\t{{.Name}}";

pub async fn exec(ctx: &Ctx, command: VolumeCommand) -> berth::Result<u8> {
    let volumes = Volumes::new(&ctx.data_root(), &ctx.global.namespace)?;
    match command {
        VolumeCommand::Create(a) => {
            let Some(name) = create(&volumes, *a)? else {
                return Ok(1);
            };
            let attrs = [("driver", "local")];
            crate::output::publish_event(ctx, "volume", "create", &name, &attrs).await;
            Ok(0)
        }
        VolumeCommand::Ls(a) => ls(ctx, &volumes, a).await,
        VolumeCommand::Inspect(a) => inspect(&volumes, a),
        VolumeCommand::Rm(a) => rm(ctx, &volumes, a).await,
        VolumeCommand::Prune(a) => prune(ctx, &volumes, a).await,
        VolumeCommand::Update(a) => update(&volumes, a),
    }
}

/// docker words what its daemon refuses as "Error response from daemon:";
/// berth's store stands in for that daemon.
fn daemon_side(e: Error) -> berth::Result<u8> {
    match e.kind() {
        ErrorKind::InvalidArgument | ErrorKind::NotFound | ErrorKind::Conflict => {
            daemon_error(&e);
            Ok(1)
        }
        _ => Err(e),
    }
}

/// The new volume's name; None when the refusal was printed (exit 1).
fn create(volumes: &Volumes, a: CreateArgs) -> berth::Result<Option<String>> {
    if a.cluster.asks_for_cluster() {
        let e = Error::conflict(crate::unsupported::NOT_A_SWARM_MANAGER);
        return daemon_side(e).map(|_| None);
    }
    let name = match (a.name_flag, a.name) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "conflicting options: cannot specify a volume-name through both --name and as a positional arg",
            ));
        }
        (flag, arg) => flag.or(arg).filter(|n| !n.is_empty()),
    };
    if let Some(o) = a.opt.first() {
        return Err(Error::unsupported(format!(
            "volume driver options are not supported yet: -o {o}"
        )));
    }
    let mut labels = BTreeMap::new();
    for l in &a.label {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        if k.trim().is_empty() {
            return Err(Error::invalid(format!("invalid label '{l}': empty name")));
        }
        labels.insert(k.to_string(), v.to_string());
    }
    if a.driver != "local" {
        let shown = name.clone().unwrap_or_else(berth::util::random_hex_id);
        let d = &a.driver;
        return daemon_side(Error::not_found(format!(
            "create {shown}: error looking up volume plugin {d}: plugin \"{d}\" not found"
        )))
        .map(|_| None);
    }
    // docker (23+) marks a volume created without a name anonymous.
    let anonymous = name.is_none();
    match volumes.create(name.as_deref(), labels, anonymous) {
        Ok((v, _)) => {
            println!("{}", v.name);
            Ok(Some(v.name))
        }
        Err(e) => daemon_side(e).map(|_| None),
    }
}

async fn ls(ctx: &Ctx, volumes: &Volumes, a: LsArgs) -> berth::Result<u8> {
    let filters = ListFilters::parse(&a.filter)?;
    let users = if filters.needs_users() {
        berth::container::ops::volume_users(ctx.client().await?).await?
    } else {
        volume::Users::new()
    };
    let list: Vec<Volume> = volumes
        .list()?
        .into_iter()
        .filter(|v| filters.keep(v, users.get(&v.name).is_some_and(|u| !u.is_empty())))
        // docker's CLI keeps only cluster volumes (berth has none) and
        // lists them in its cluster table, whatever the --format.
        .filter(|_| !a.cluster)
        .collect();
    let format = match a.cluster && !a.quiet {
        true => Some(CLUSTER_TABLE),
        false => a.format.as_deref(),
    };
    if a.quiet && (a.cluster || matches!(format, None | Some("") | Some("table"))) {
        let names: String = list.iter().map(|v| format!("{}\n", v.name)).collect();
        write_stdout(&names)?;
        return Ok(0);
    }
    let rows: Vec<VolumeRow> = list.iter().map(VolumeRow::listed).collect();
    print_rows(format, DEFAULT_TABLE, &rows)?;
    Ok(0)
}

/// docker's CLI's cluster volume table (`volume ls --cluster`).
const CLUSTER_TABLE: &str =
    "table {{.Name}}\t{{.Group}}\t{{.Driver}}\t{{.Availability}}\t{{.Status}}";

/// `volume update`: docker's CLI looks the volume up, then refuses a local
/// one (only cluster volumes change, and berth has none).
fn update(volumes: &Volumes, a: UpdateArgs) -> berth::Result<u8> {
    match volumes.get(&a.volume) {
        Ok(_) => {
            eprintln!("Can only update cluster volumes");
            Ok(1)
        }
        Err(e) => daemon_side(e),
    }
}

fn inspect(volumes: &Volumes, a: InspectArgs) -> berth::Result<u8> {
    let mut docs = Vec::new();
    let mut failed = false;
    for name in &a.volumes {
        match volumes.get(name) {
            Ok(v) => docs.push(v.inspect()),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                failed = true;
                daemon_error(&e);
            }
            Err(e) => return Err(e),
        }
    }
    write_stdout(&documents_text(&docs, a.format.as_deref())?)?;
    Ok(u8::from(failed))
}

async fn rm(ctx: &Ctx, volumes: &Volumes, a: RmArgs) -> berth::Result<u8> {
    let users = berth::container::ops::volume_users(ctx.client().await?).await?;
    // docker prints each removed name as it goes and the errors at the end.
    let mut errors = Vec::new();
    for name in &a.volumes {
        match volume::remove_unused(volumes, name, &users) {
            Ok(()) => {
                println!("{name}");
                let attrs = [("driver", "local")];
                crate::output::publish_event(ctx, "volume", "destroy", name, &attrs).await;
            }
            // -f only forgives a missing volume; one in use stays.
            Err(e) if a.force && e.kind() == ErrorKind::NotFound => println!("{name}"),
            Err(e) => errors.push(e),
        }
    }
    for e in &errors {
        daemon_error(e);
    }
    Ok(u8::from(!errors.is_empty()))
}

const ANONYMOUS_WARNING: &str =
    "WARNING! This will remove anonymous local volumes not used by at least one container.";
const ALL_WARNING: &str =
    "WARNING! This will remove all local volumes not used by at least one container.";

async fn prune(ctx: &Ctx, volumes: &Volumes, a: PruneArgs) -> berth::Result<u8> {
    let filters = PruneFilters::parse(&a.filter, a.all)?;
    if !a.force {
        let warning = if filters.all() {
            ALL_WARNING
        } else {
            ANONYMOUS_WARNING
        };
        if !crate::output::confirm(warning) {
            return Ok(0);
        }
    }
    let users = berth::container::ops::volume_users(ctx.client().await?).await?;
    let report = volume::prune(volumes, &filters, &users)?;
    let reclaimed = report.reclaimed.to_string();
    crate::output::publish_event(ctx, "volume", "prune", "", &[("reclaimed", &reclaimed)]).await;
    write_stdout(&crate::output::pruned(
        "Volumes",
        &report.deleted,
        report.reclaimed,
    ))?;
    Ok(0)
}

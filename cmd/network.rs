//! `berth network create|ls|inspect|rm|prune`: CNI networks in berth's
//! configuration directory, with docker's output.

use std::collections::BTreeMap;

use berth::container::config::endpoint::EndpointRequest;
use berth::container::model::EndpointSettings;
use berth::format::{Field, Row};
use berth::network::manage::{self, NetworkRow};
use berth::network::store::CreateOptions;
use clap::{Args, Subcommand};

use crate::ctx::Ctx;
use crate::output::{self, documents_text, print_rows, s, write_stdout};

#[derive(Subcommand, Debug)]
pub enum NetworkCommand {
    /// Create a network
    Create(CreateArgs),
    /// List networks
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Display detailed information on one or more networks
    Inspect(InspectArgs),
    /// Remove one or more networks
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Remove all unused networks
    Prune(PruneArgs),
    /// Connect a container to a network
    Connect(ConnectArgs),
    /// Disconnect a container from a network
    Disconnect(DisconnectArgs),
}

#[derive(Args, Debug)]
pub struct ConnectArgs {
    /// Add network-scoped alias for the container
    #[arg(long = "alias", value_name = "strings")]
    alias: Vec<String>,
    /// IPv4 address (e.g., "172.30.100.104")
    #[arg(long = "ip", value_name = "string")]
    ip: Option<String>,
    /// IPv6 address (e.g., "2001:db8::33")
    #[arg(long = "ip6", value_name = "string")]
    ip6: Option<String>,
    /// Add link to another container (NAME[:ALIAS], a name it answers to here)
    #[arg(long = "link", value_name = "list", value_parser = link_format)]
    link: Vec<String>,
    /// Add a link-local address for the container
    #[arg(long = "link-local-ip", value_name = "strings")]
    link_local_ip: Vec<String>,
    /// driver options for the network (com.docker.network.endpoint.sysctls=net.X.Y.IFNAME.Z=V,...)
    #[arg(long = "driver-opt", value_name = "strings", value_delimiter = ',')]
    driver_opt: Vec<String>,
    /// Highest gw-priority provides the default gateway. Accepts positive and negative values.
    #[arg(long = "gw-priority", value_name = "int", allow_negative_numbers = true,
          value_parser = go_int)]
    gw_priority: Option<i64>,
    network: String,
    container: String,
}

#[derive(Args, Debug)]
pub struct DisconnectArgs {
    /// Force the container to disconnect from a network
    #[arg(short = 'f', long)]
    force: bool,
    network: String,
    container: String,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Driver to manage the Network (bridge, macvlan, ipvlan)
    #[arg(short = 'd', long, default_value = "bridge")]
    driver: String,
    /// Subnet in CIDR format that represents a network segment (one IPv4, one IPv6)
    #[arg(long)]
    subnet: Vec<String>,
    /// IPv4 or IPv6 Gateway for the master subnet
    #[arg(long)]
    gateway: Vec<String>,
    /// Enable or disable IPv6 networking
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true",
          default_value_t = false, action = clap::ArgAction::Set)]
    ipv6: bool,
    /// Set metadata on a network (KEY=VALUE)
    #[arg(long = "label")]
    label: Vec<String>,
    /// Set driver specific options (parent=IFACE for macvlan and ipvlan)
    #[arg(short = 'o', long = "opt")]
    opt: Vec<String>,
    /// Allocate container ip from a sub-range
    #[arg(long = "ip-range")]
    ip_range: Option<String>,
    /// Auxiliary IPv4 addresses used by Network driver (NAME=IP)
    #[arg(long = "aux-address", value_name = "NAME=IP")]
    aux_address: Vec<String>,
    /// Restrict external access to the network
    #[arg(long)]
    internal: bool,
    /// Enable manual container attachment
    #[arg(long)]
    attachable: bool,
    /// IP Address Management Driver (default, the only one berth has)
    #[arg(long = "ipam-driver", default_value = "default")]
    ipam_driver: String,
    /// Set IPAM driver specific options
    #[arg(long = "ipam-opt", value_name = "KEY=VALUE")]
    ipam_opt: Vec<String>,
    /// Enable or disable IPv4 address assignment (only true: berth's networks are IPv4)
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1,
          require_equals = true, default_missing_value = "true")]
    ipv4: bool,
    /// Control the network's scope (local: berth has no swarm)
    #[arg(long)]
    scope: Option<String>,
    /// Create swarm routing-mesh network
    #[arg(long)]
    ingress: bool,
    /// Create a configuration only network
    #[arg(long = "config-only")]
    config_only: bool,
    /// The network from which to copy the configuration
    #[arg(long = "config-from", value_name = "string")]
    config_from: Option<String>,
    name: String,
}

/// An `int` flag's value in Go's words when it is not one.
fn go_int(s: &str) -> Result<i64, String> {
    use std::num::IntErrorKind::{NegOverflow, PosOverflow};
    s.parse::<i64>().map_err(|e| {
        let why = match e.kind() {
            PosOverflow | NegOverflow => "value out of range",
            _ => "invalid syntax",
        };
        format!("strconv.ParseInt: parsing {s:?}: {why}")
    })
}

/// docker's CLI's check of a link: at most one `:`.
fn link_format(link: &str) -> Result<String, String> {
    match link.split(':').count() {
        1 | 2 => Ok(link.to_string()),
        _ => Err(format!("bad format for links: {link}")),
    }
}

/// docker's refusals of the swarm-only and IPAM settings berth has no
/// meaning for.
fn check_create(a: &CreateArgs) -> berth::Result<()> {
    let operator = a.ingress || a.scope.as_deref().is_some_and(|s| !s.is_empty());
    if a.config_only && operator {
        return Err(berth::Error::conflict(
            "configuration network can only contain network specific fields. Network operator fields like [ ingress | internal | attachable | scope ] are not supported.",
        ));
    }
    if a.ingress {
        return Err(berth::Error::conflict(
            "Ingress network can only be global scope network",
        ));
    }
    match a.scope.as_deref() {
        None | Some("" | "local") => {}
        Some("swarm") => {
            return Err(berth::Error::conflict(
                "cannot create a swarm scoped network when swarm is not active",
            ));
        }
        Some(_) => {
            return Err(berth::Error::conflict(
                "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.",
            ));
        }
    }
    if a.ipam_driver != "default" {
        return Err(berth::Error::not_found(format!(
            "plugin \"{}\" not found",
            a.ipam_driver
        )));
    }
    if !a.ipv4 {
        return Err(berth::Error::unsupported(
            "--ipv4=false is not supported yet: berth's networks are IPv4 only",
        ));
    }
    Ok(())
}

fn pairs(list: &[String]) -> BTreeMap<String, String> {
    list.iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

#[derive(Args, Debug)]
pub struct LsArgs {
    /// Only display network IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Do not truncate the output
    #[arg(long = "no-trunc")]
    no_trunc: bool,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    format: Option<String>,
    /// Provide filter values (e.g. "driver=bridge")
    #[arg(short = 'f', long = "filter", value_name = "FILTER")]
    filter: Vec<String>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Format output using a custom template: 'json', or a Go template
    #[arg(short = 'f', long)]
    format: Option<String>,
    /// Verbose output for diagnostics (swarm details: a local network's document is the same)
    #[arg(short = 'v', long)]
    verbose: bool,
    #[arg(required = true)]
    networks: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    #[arg(required = true)]
    networks: Vec<String>,
    /// Do not error if the network does not exist
    #[arg(short = 'f', long = "force")]
    force: bool,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    force: bool,
    /// Provide filter values (e.g. "until=<timestamp>")
    #[arg(long = "filter", value_name = "filter")]
    filter: Vec<String>,
}

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

struct Net<'a> {
    row: &'a NetworkRow,
    trunc: bool,
}

impl Row for Net<'_> {
    const GO_TYPE: &'static str = "*formatter.networkContext";
    const HEADER_TYPE: &'static str = "formatter.SubHeaderContext";

    fn fields() -> Vec<Field<Self>> {
        vec![
            Field::new("CreatedAt", "CREATED AT", |n| s(&n.row.created)),
            Field::new("Driver", "DRIVER", |n| s(&n.row.driver)),
            Field::new("ID", "NETWORK ID", |n| {
                s(if n.trunc { &n.row.id[..12] } else { &n.row.id })
            }),
            Field::new("IPv4", "IPV4", |_| s("true")),
            Field::new("IPv6", "IPV6", |n| {
                s(if n.row.ipv6 { "true" } else { "false" })
            }),
            Field::new("Internal", "INTERNAL", |n| {
                s(if n.row.internal { "true" } else { "false" })
            }),
            Field::new("Labels", "LABELS", |n| {
                let pairs: Vec<String> = n
                    .row
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                s(pairs.join(","))
            }),
            Field::new("Name", "NAME", |n| s(&n.row.name)),
            Field::new("Scope", "SCOPE", |_| s("local")),
        ]
    }
}

pub async fn exec(ctx: &Ctx, command: NetworkCommand) -> berth::Result<u8> {
    let data_root = ctx.global.data_root.clone();
    // Networks belong to the namespace that made them.
    let ns = ctx.global.namespace.as_str();
    match command {
        NetworkCommand::Create(a) => {
            let net = create(a, ns)?;
            let attrs = [("name", net.name.as_str()), ("type", "bridge")];
            output::publish_event(ctx, "network", "create", &net.meta.id, &attrs).await;
            Ok(0)
        }
        NetworkCommand::Ls(a) => ls(a, &data_root, ns),
        NetworkCommand::Inspect(a) => {
            let mut docs = Vec::new();
            let mut failed = false;
            for n in &a.networks {
                match manage::inspect(&data_root, ns, n) {
                    Ok(d) => docs.push(d),
                    Err(e) => {
                        failed = true;
                        output::daemon_error(&e);
                    }
                }
            }
            write_stdout(&documents_text(&docs, a.format.as_deref())?)?;
            Ok(u8::from(failed))
        }
        NetworkCommand::Rm(a) => {
            let mut failed = false;
            for n in &a.networks {
                match manage::remove(&data_root, ns, n) {
                    Ok((name, id)) => {
                        println!("{n}");
                        let attrs = [("name", name.as_str()), ("type", "bridge")];
                        output::publish_event(ctx, "network", "destroy", &id, &attrs).await;
                    }
                    Err(e) if a.force && e.kind() == berth::ErrorKind::NotFound => {}
                    Err(e) => {
                        failed = true;
                        output::daemon_error(&e);
                    }
                }
            }
            Ok(u8::from(failed))
        }
        NetworkCommand::Prune(a) => {
            let code = prune(&data_root, ns, a)?;
            crate::output::publish_event(ctx, "network", "prune", "", &[("reclaimed", "0")]).await;
            Ok(code)
        }
        NetworkCommand::Connect(a) => {
            let endpoint = EndpointRequest {
                aliases: &a.alias,
                ip: a.ip.as_deref(),
                ip6: a.ip6.as_deref(),
                link_local: &a.link_local_ip,
                links: &a.link,
                driver_opts: &a.driver_opt,
                gw_priority: a.gw_priority.unwrap_or(0),
                mac: None,
            }
            .settings()?;
            membership(ctx, (&a.network, &a.container), Ok(endpoint)).await
        }
        NetworkCommand::Disconnect(a) => {
            membership(ctx, (&a.network, &a.container), Err(a.force)).await
        }
    }
}

/// `connect` (Ok: its endpoint settings) or `disconnect` (Err: forced);
/// the event docker sends.
async fn membership(
    ctx: &Ctx,
    (network, container): (&str, &str),
    how: Result<EndpointSettings, bool>,
) -> berth::Result<u8> {
    let client = ctx.client().await?;
    let data = ctx.data_root();
    let records = berth::container::ops::records(client).await?;
    let rec = berth::container::ops::find(&records, container)?;
    let action = match how {
        Ok(wanted) => {
            berth::container::ops::network_connect(client, &data, rec, network, wanted).await?;
            "connect"
        }
        Err(force) => {
            berth::container::ops::network_disconnect(client, &data, rec, network, force).await?;
            "disconnect"
        }
    };
    let ns = ctx.global.namespace.as_str();
    if let Ok(doc) = manage::inspect(&ctx.global.data_root, ns, network) {
        let id = doc["Id"].as_str().unwrap_or_default().to_string();
        let name = doc["Name"].as_str().unwrap_or_default().to_string();
        let attrs = [
            ("container", rec.id.as_str()),
            ("name", &name),
            ("type", "bridge"),
        ];
        output::publish_event(ctx, "network", action, &id, &attrs).await;
    }
    Ok(0)
}

fn create(a: CreateArgs, namespace: &str) -> berth::Result<berth::network::Network> {
    check_create(&a)?;
    let labels = pairs(&a.label);
    let options = pairs(&a.opt);
    if let Some(o) = options.keys().find(|k| *k != "parent") {
        return Err(berth::Error::unsupported(format!(
            "network option {o:?} is not supported yet (parent=IFACE is)"
        )));
    }
    let one = |list: &[String], v6: bool, what: &str| -> berth::Result<Option<String>> {
        let mut of: Vec<&String> = list.iter().filter(|s| s.contains(':') == v6).collect();
        match of.len() {
            0 | 1 => Ok(of.pop().cloned()),
            _ => Err(berth::Error::unsupported(format!(
                "several IPv{} {what}s are not supported yet",
                if v6 { 6 } else { 4 }
            ))),
        }
    };
    let net = manage::create(&CreateOptions {
        name: a.name,
        // docker's config-only networks have the null driver.
        driver: if a.config_only {
            "null".into()
        } else {
            a.driver
        },
        subnet: one(&a.subnet, false, "subnet")?,
        gateway: one(&a.gateway, false, "gateway")?,
        subnet6: one(&a.subnet, true, "subnet")?,
        gateway6: one(&a.gateway, true, "gateway")?,
        ipv6: a.ipv6,
        labels,
        parent: options.get("parent").cloned(),
        options,
        config_only: a.config_only,
        config_from: a.config_from,
        namespace: namespace.to_string(),
        ip_range: a.ip_range,
        aux_addresses: pairs(&a.aux_address),
        internal: a.internal,
        attachable: a.attachable,
        ipam_options: pairs(&a.ipam_opt),
    })?;
    println!("{}", net.meta.id);
    Ok(net)
}

fn ls(a: LsArgs, data_root: &std::path::Path, namespace: &str) -> berth::Result<u8> {
    let filters = berth::network::filter::ListFilters::parse(&a.filter)?;
    let rows = manage::list(data_root, namespace, &filters)?;
    if a.quiet {
        for r in &rows {
            println!("{}", if a.no_trunc { &r.id[..] } else { &r.id[..12] });
        }
        return Ok(0);
    }
    let nets: Vec<Net> = rows
        .iter()
        .map(|row| Net {
            row,
            trunc: !a.no_trunc,
        })
        .collect();
    print_rows(a.format.as_deref(), DEFAULT_TABLE, &nets)?;
    Ok(0)
}

fn prune(data_root: &std::path::Path, namespace: &str, a: PruneArgs) -> berth::Result<u8> {
    let filters = berth::util::PruneFilter::parse(&a.filter, std::time::SystemTime::now())?;
    if !a.force {
        let warning =
            "WARNING! This will remove all custom networks not used by at least one container.";
        if !crate::output::confirm(warning) {
            return Ok(0);
        }
    }
    let removed = manage::prune(data_root, namespace, &filters)?;
    if !removed.is_empty() {
        println!("Deleted Networks:");
        for n in removed {
            println!("{n}");
        }
    }
    Ok(0)
}

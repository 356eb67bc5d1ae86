//! `inspect` of a container: docker's JSON document (Docker 28, API 1.51),
//! keys in docker's order and docker's zero values for what berth does not
//! have, so `-f '{{.Config.Hostname}}'` and friends work as scripts expect.

use std::path::Path;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::config::StoredConfig;
use super::etc_files;
use super::list::{ContainerRow, State};
use crate::logs::json_log_name;
use crate::network::attach::{self, Attached};

/// Go's zero time, as docker prints a time never set.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn time(t: Option<SystemTime>) -> String {
    t.map(crate::logs::jsonfile::format_time)
        .unwrap_or_else(|| ZERO_TIME.to_string())
}

fn state(row: &ContainerRow) -> Value {
    let r = &row.record;
    let (status, running, paused, exit, started, finished) = match &row.state {
        State::Created => ("created", false, false, 0, None, None),
        State::Running { started } => ("running", true, false, 0, *started, None),
        State::Paused { started } => ("paused", true, true, 0, *started, None),
        State::Exited { code, finished } => {
            ("exited", false, false, *code, r.started_at, *finished)
        }
        State::Restarting { code, finished } => {
            ("restarting", true, false, *code, r.started_at, *finished)
        }
        State::Unknown => ("dead", false, false, 0, None, None),
    };
    json!({
        "Status": status,
        "Running": running,
        "Paused": paused,
        "Restarting": status == "restarting",
        "OOMKilled": false,
        "Dead": status == "dead",
        "Pid": if running && status != "restarting" { row.pid } else { 0 },
        "ExitCode": exit,
        "Error": "",
        "StartedAt": time(started),
        "FinishedAt": time(finished),
    })
}

fn strings(v: &Option<Vec<String>>) -> Value {
    match v {
        Some(v) => json!(v),
        None => Value::Null,
    }
}

fn host_config(c: &StoredConfig) -> Value {
    let log_opts: serde_json::Map<String, Value> = match c.log.max_size {
        Some(size) => [
            ("max-file".to_string(), json!(c.log.max_file.to_string())),
            ("max-size".to_string(), json!(size.to_string())),
        ]
        .into_iter()
        .collect(),
        None => serde_json::Map::new(),
    };
    let r = &c.resources;
    let unmasked = c.privileged || c.security_opt.iter().any(|o| o == "systempaths=unconfined");
    let mut doc = json!({
        "Binds": if c.binds.is_empty() { Value::Null } else { json!(c.binds) },
        "ContainerIDFile": c.cidfile,
        "LogConfig": {"Type": if c.log.driver.is_empty() { "json-file" } else { &c.log.driver }, "Config": log_opts},
        "NetworkMode": c.network_mode,
        "PortBindings": {},
        "RestartPolicy": {
            "Name": if c.restart.name.is_empty() { "no" } else { &c.restart.name },
            "MaximumRetryCount": c.restart.maximum_retry_count,
        },
        "AutoRemove": c.auto_remove,
        "VolumeDriver": "",
        "VolumesFrom": null_if_empty(&c.volumes_from),
        "ConsoleSize": c.console_size,
        "CapAdd": null_if_empty(&c.cap_add),
        "CapDrop": null_if_empty(&c.cap_drop),
        "CgroupnsMode": c.cgroupns_mode,
        "Dns": [],
        "DnsOptions": [],
        "DnsSearch": [],
        "ExtraHosts": null,
        "GroupAdd": null_if_empty(&c.group_add),
        "IpcMode": if c.ipc_mode.is_empty() { "private" } else { &c.ipc_mode },
        "Cgroup": "",
        "Links": null,
        "OomScoreAdj": c.oom_score_adj,
        "PidMode": c.pid_mode,
        "Privileged": c.privileged,
        "PublishAllPorts": false,
        "ReadonlyRootfs": c.read_only,
        "SecurityOpt": null_if_empty(&c.security_opt),
        "UTSMode": c.uts_mode,
        "UsernsMode": "",
        "ShmSize": if c.shm_size == 0 { super::limits::DEFAULT_SHM } else { c.shm_size },
        "Runtime": "io.containerd.runc.v2",
        "Isolation": "",
        "CpuShares": r.cpu_shares,
        "Memory": r.memory,
        "NanoCpus": r.nano_cpus,
        "CgroupParent": c.cgroup_parent,
        "BlkioWeight": 0,
        "BlkioWeightDevice": [],
        "BlkioDeviceReadBps": c.blkio[0],
        "BlkioDeviceWriteBps": c.blkio[1],
        "BlkioDeviceReadIOps": c.blkio[2],
        "BlkioDeviceWriteIOps": c.blkio[3],
        "CpuPeriod": r.cpu_period,
        "CpuQuota": r.cpu_quota,
        "CpuRealtimePeriod": 0,
        "CpuRealtimeRuntime": 0,
        "CpusetCpus": r.cpuset_cpus,
        "CpusetMems": r.cpuset_mems,
        "Devices": c.devices,
        "DeviceCgroupRules": null_if_empty(&c.device_cgroup_rules),
        "DeviceRequests": null,
        "MemoryReservation": r.memory_reservation,
        "MemorySwap": r.memory_swap,
        "MemorySwappiness": r.memory_swappiness,
        "OomKillDisable": r.oom_kill_disable,
        "PidsLimit": r.pids_limit,
        "Ulimits": c.ulimits,
        "CpuCount": 0,
        "CpuPercent": 0,
        "IOMaximumIOps": 0,
        "IOMaximumBandwidth": 0,
        "MaskedPaths": if unmasked { json!([]) } else { json!(super::spec::MASKED_PATHS) },
        "ReadonlyPaths": if unmasked { json!([]) } else { json!(super::spec::READONLY_PATHS) },
    });
    if !c.sysctls.is_empty() {
        doc["Sysctls"] = json!(c.sysctls);
    }
    if c.init {
        doc["Init"] = json!(true);
    }
    let tmpfs: serde_json::Map<String, Value> = c
        .mounts
        .iter()
        .filter(|m| m.kind == super::mounts::Kind::Tmpfs)
        .map(|m| (m.destination.clone(), json!(m.options.join(","))))
        .collect();
    if !tmpfs.is_empty() {
        doc["Tmpfs"] = Value::Object(tmpfs);
    }
    doc
}

/// docker's `Config.Volumes`: the anonymous volumes' destinations.
fn config_volumes(c: &StoredConfig) -> Value {
    let v: serde_json::Map<String, Value> = c
        .mounts
        .iter()
        .filter(|m| m.kind == super::mounts::Kind::Volume && m.anonymous)
        .map(|m| (m.destination.clone(), json!({})))
        .collect();
    if v.is_empty() {
        Value::Null
    } else {
        Value::Object(v)
    }
}

fn null_if_empty(v: &[String]) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

fn config(row: &ContainerRow, c: &StoredConfig) -> Value {
    let labels: serde_json::Map<String, Value> = row
        .record
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut v = json!({
        "Hostname": c.hostname,
        "Domainname": c.domainname,
        "User": c.user,
        "AttachStdin": c.attach_stdin,
        "AttachStdout": c.attach_output,
        "AttachStderr": c.attach_output,
        "Tty": c.tty,
        "OpenStdin": c.open_stdin,
        "StdinOnce": c.attach_stdin,
        "Env": c.env,
        "Cmd": strings(&c.cmd),
        "Image": c.image,
        "Volumes": config_volumes(c),
        "WorkingDir": c.working_dir,
        "Entrypoint": strings(&c.entrypoint),
        "OnBuild": null,
        "Labels": labels,
    });
    if let Some(map) = v.as_object_mut() {
        if let Some(s) = &c.stop_signal {
            map.insert("StopSignal".into(), json!(s));
        }
        if let Some(t) = c.stop_timeout {
            map.insert("StopTimeout".into(), json!(t));
        }
    }
    v
}

fn endpoint(a: Option<&Attached>, names: Option<Vec<String>>) -> Value {
    let text = |v: Option<&String>| v.cloned().unwrap_or_default();
    json!({
        "IPAMConfig": null, "Links": null, "Aliases": null,
        "MacAddress": text(a.and_then(|a| a.mac.as_ref())),
        "DriverOpts": null, "GwPriority": 0,
        "NetworkID": text(a.map(|a| &a.id)), "EndpointID": "",
        "Gateway": text(a.and_then(|a| a.gateway.as_ref())),
        "IPAddress": text(a.and_then(|a| a.ip.as_ref())),
        "IPPrefixLen": a.and_then(|a| a.prefix_len).unwrap_or(0),
        "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
        "DNSNames": names,
    })
}

/// docker's NetworkSettings from the container's network state; the
/// top-level address fields are filled for the default network only, as
/// docker fills them.
fn network_settings(c: &StoredConfig, dir: &Path) -> Value {
    let state = attach::load(dir).ok().flatten().unwrap_or_default();
    let mut networks = serde_json::Map::new();
    if c.network_mode == "host" || c.network_mode == "none" {
        networks.insert(c.network_mode.clone(), endpoint(None, None));
    }
    for a in &state.networks {
        let names = (a.name != crate::network::DEFAULT_NETWORK).then(|| state.names.clone());
        networks.insert(a.name.clone(), endpoint(Some(a), names));
    }
    let mut ports = serde_json::Map::new();
    for p in &state.ports {
        let key = format!("{}/{}", p.container_port, p.protocol.as_str());
        let entry = ports.entry(key).or_insert_with(|| json!([]));
        if let Some(list) = entry.as_array_mut() {
            list.push(json!({"HostIp": p.host_ip, "HostPort": p.host_port.to_string()}));
        }
    }
    let default = state
        .networks
        .iter()
        .find(|a| a.name == crate::network::DEFAULT_NETWORK);
    let top = endpoint(default, None);
    let netns = if state.networks.is_empty() {
        String::new()
    } else {
        state.netns.display().to_string()
    };
    json!({
        "Bridge": "", "SandboxID": "", "SandboxKey": netns, "Ports": ports,
        "HairpinMode": false, "LinkLocalIPv6Address": "", "LinkLocalIPv6PrefixLen": 0,
        "SecondaryIPAddresses": null, "SecondaryIPv6Addresses": null, "EndpointID": "",
        "Gateway": top["Gateway"], "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
        "IPAddress": top["IPAddress"], "IPPrefixLen": top["IPPrefixLen"], "IPv6Gateway": "",
        "MacAddress": top["MacAddress"], "Networks": networks,
    })
}

/// docker's `Mounts` entries: the stored mounts, or for records made
/// before berth stored them, the binds (`SRC:DST[:opts]`).
fn mounts(c: &StoredConfig) -> Vec<Value> {
    if !c.mounts.is_empty() {
        return c.mounts.iter().map(|m| m.inspect()).collect();
    }
    c.binds
        .iter()
        .filter_map(|b| super::mounts::parse_volume(b, Path::new("/")).ok())
        .map(|m| m.inspect())
        .collect()
}

/// The container's document. `dir`: its directory under the data root.
pub fn document(row: &ContainerRow, dir: &Path, snapshotter: &str) -> Value {
    let r = &row.record;
    let c = r.config.clone().unwrap_or_else(|| StoredConfig {
        image: r.image.clone(),
        hostname: r.hostname.clone(),
        cmd: (!r.args.is_empty()).then(|| r.args.clone()),
        tty: r.tty,
        ..Default::default()
    });
    let file = |name: &str| {
        if r.config.is_some() {
            dir.join(name).display().to_string()
        } else {
            String::new()
        }
    };
    let log_path = match (&r.cri_log_path, c.log.driver.as_str()) {
        (Some(p), _) => p.display().to_string(),
        (None, "none") => String::new(),
        _ => file(&json_log_name(&r.id)),
    };
    json!({
        "Id": r.id,
        "Created": crate::logs::jsonfile::format_time(r.created),
        "Path": r.args.first().cloned().unwrap_or_default(),
        "Args": r.args.get(1..).unwrap_or_default(),
        "State": state(row),
        "Image": if c.image_id.is_empty() { r.image_name.clone() } else { c.image_id.clone() },
        "ResolvConfPath": file(etc_files::RESOLV_CONF),
        "HostnamePath": file(etc_files::HOSTNAME),
        "HostsPath": file(etc_files::HOSTS),
        "LogPath": log_path,
        "Name": format!("/{}", r.name),
        "RestartCount": r.restart_count,
        "Driver": if r.snapshotter.is_empty() { snapshotter } else { &r.snapshotter },
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "ExecIDs": null,
        "HostConfig": host_config(&c),
        "GraphDriver": {"Data": null, "Name": if r.snapshotter.is_empty() { snapshotter } else { &r.snapshotter }},
        "Mounts": mounts(&c),
        "Config": config(row, &c),
        "NetworkSettings": network_settings(&c, dir),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::record::ContainerRecord;

    #[test]
    fn docker_shape_and_order() {
        let rec = ContainerRecord {
            id: "a".repeat(64),
            name: "web".into(),
            named_by_berth: true,
            image: "busybox".into(),
            image_name: "docker.io/library/busybox:latest".into(),
            labels: Default::default(),
            created: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_704_067_200),
            started_at: None,
            finished_at: None,
            exit_code: None,
            args: vec!["sleep".into(), "300".into()],
            hostname: "aaaaaaaaaaaa".into(),
            tty: false,
            snapshotter: "overlayfs".into(),
            snapshot_key: "a".repeat(64),
            config: Some(StoredConfig {
                image: "busybox".into(),
                hostname: "aaaaaaaaaaaa".into(),
                cmd: Some(vec!["sleep".into(), "300".into()]),
                ..Default::default()
            }),
            cri_log_path: None,
            restart_count: 0,
            restart_armed: false,
            ports: None,
            volumes: vec![],
        };
        let row = ContainerRow {
            record: rec,
            state: State::Created,
            pid: 0,
        };
        let doc = document(&row, Path::new("/d"), "overlayfs");
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "Id",
                "Created",
                "Path",
                "Args",
                "State",
                "Image",
                "ResolvConfPath",
                "HostnamePath",
                "HostsPath",
                "LogPath",
                "Name",
                "RestartCount",
                "Driver",
                "Platform",
                "MountLabel",
                "ProcessLabel",
                "AppArmorProfile",
                "ExecIDs",
                "HostConfig",
                "GraphDriver",
                "Mounts",
                "Config",
                "NetworkSettings"
            ]
        );
        assert_eq!(doc["Name"], "/web");
        assert_eq!(doc["Created"], "2024-01-01T00:00:00Z");
        assert_eq!(doc["State"]["StartedAt"], ZERO_TIME);
        assert_eq!(doc["Args"], json!(["300"]));
        assert_eq!(doc["Config"]["Entrypoint"], Value::Null);
        assert_eq!(doc["Config"]["Labels"], json!({}));
        assert_eq!(doc["HostConfig"]["RestartPolicy"]["Name"], "no");
        assert_eq!(doc["HostsPath"], "/d/hosts");
        assert_eq!(doc["Mounts"], json!([]));
        assert_eq!(
            mounts(&StoredConfig {
                binds: vec!["/h:/c:ro,z".into(), "/a:/b".into()],
                ..Default::default()
            }),
            vec![
                json!({"Type": "bind", "Source": "/h", "Destination": "/c", "Mode": "ro,z", "RW": false, "Propagation": "rprivate"}),
                json!({"Type": "bind", "Source": "/a", "Destination": "/b", "Mode": "", "RW": true, "Propagation": "rprivate"}),
            ]
        );
    }
}

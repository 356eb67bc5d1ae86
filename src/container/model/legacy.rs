//! Containers made by berth before the typed model kept a flat record
//! (`berth.dev/container-config/v1`); read into today's [`Stored`] so
//! their restart policy, logs, mounts and inspect survive an upgrade.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    Config, DeviceMapping, HostConfig, LogConfig, MountEntry, NetworkingConfig, RestartPolicy,
    RestartPolicyMode, Stored, ThrottleDevice, Ulimit,
};

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1 {
    image: String,
    image_id: String,
    hostname: String,
    domainname: String,
    user: String,
    env: Vec<String>,
    cmd: Option<Vec<String>>,
    entrypoint: Option<Vec<String>>,
    working_dir: String,
    tty: bool,
    open_stdin: bool,
    attach_stdin: bool,
    attach_output: bool,
    stop_signal: Option<String>,
    stop_timeout: Option<i64>,
    log: V1Log,
    auto_remove: bool,
    network_mode: String,
    restart: V1Restart,
    binds: Vec<String>,
    read_only: bool,
    console_size: [u64; 2],
    cidfile: String,
    resources: V1Resources,
    privileged: bool,
    cap_add: Vec<String>,
    cap_drop: Vec<String>,
    security_opt: Vec<String>,
    devices: Vec<DeviceMapping>,
    device_cgroup_rules: Vec<String>,
    oom_score_adj: i64,
    blkio: [Vec<ThrottleDevice>; 4],
    group_add: Vec<String>,
    init: bool,
    ipc_mode: String,
    pid_mode: String,
    uts_mode: String,
    cgroupns_mode: String,
    cgroup_parent: String,
    shm_size: i64,
    sysctls: BTreeMap<String, String>,
    ulimits: Vec<V1Ulimit>,
    mounts: Vec<MountEntry>,
    volumes_from: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Log {
    driver: String,
    max_size: Option<u64>,
    max_file: u32,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Restart {
    name: String,
    maximum_retry_count: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Resources {
    nano_cpus: i64,
    cpu_period: i64,
    cpu_quota: i64,
    cpu_shares: i64,
    cpuset_cpus: String,
    cpuset_mems: String,
    memory: i64,
    memory_swap: i64,
    memory_reservation: i64,
    pids_limit: Option<i64>,
    oom_kill_disable: bool,
    memory_swappiness: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct V1Ulimit {
    name: String,
    soft: i64,
    hard: i64,
}

fn some(v: Vec<String>) -> Option<Vec<String>> {
    (!v.is_empty()).then_some(v)
}

pub(super) fn read(json: &[u8]) -> Option<Stored> {
    let v: V1 = serde_json::from_slice(json).ok()?;
    let log = LogConfig {
        kind: if v.log.driver.is_empty() {
            "json-file".into()
        } else {
            v.log.driver
        },
        config: v
            .log
            .max_size
            .map(|s| {
                BTreeMap::from([
                    ("max-size".to_string(), s.to_string()),
                    ("max-file".to_string(), v.log.max_file.max(1).to_string()),
                ])
            })
            .unwrap_or_default(),
    };
    let config = Config {
        hostname: v.hostname,
        domainname: v.domainname,
        user: v.user,
        attach_stdin: v.attach_stdin,
        attach_stdout: v.attach_output,
        attach_stderr: v.attach_output,
        tty: v.tty,
        open_stdin: v.open_stdin,
        stdin_once: v.attach_stdin,
        env: some(v.env),
        cmd: v.cmd,
        image: v.image,
        working_dir: v.working_dir,
        entrypoint: v.entrypoint,
        stop_signal: v.stop_signal.unwrap_or_default(),
        stop_timeout: v.stop_timeout,
        ..Default::default()
    };
    let [read_bps, write_bps, read_iops, write_iops] = v.blkio;
    let r = v.resources;
    let mut host = HostConfig {
        binds: some(v.binds),
        container_id_file: v.cidfile,
        log_config: log,
        network_mode: v.network_mode.parse().unwrap_or_default(),
        restart_policy: RestartPolicy {
            name: serde_json::from_value(serde_json::Value::String(v.restart.name))
                .unwrap_or(RestartPolicyMode::No),
            maximum_retry_count: v.restart.maximum_retry_count,
        },
        auto_remove: v.auto_remove,
        volumes_from: some(v.volumes_from),
        console_size: v.console_size,
        cap_add: some(v.cap_add),
        cap_drop: some(v.cap_drop),
        cgroupns_mode: v.cgroupns_mode.parse().unwrap_or_default(),
        group_add: some(v.group_add),
        ipc_mode: v.ipc_mode.parse().unwrap_or_default(),
        oom_score_adj: v.oom_score_adj,
        pid_mode: v.pid_mode.parse().unwrap_or_default(),
        privileged: v.privileged,
        readonly_rootfs: v.read_only,
        security_opt: some(v.security_opt),
        uts_mode: v.uts_mode.parse().unwrap_or_default(),
        shm_size: v.shm_size,
        sysctls: v.sysctls,
        init: v.init.then_some(true),
        ..Default::default()
    };
    let res = &mut host.resources;
    (res.nano_cpus, res.cpu_period, res.cpu_quota) = (r.nano_cpus, r.cpu_period, r.cpu_quota);
    (res.cpu_shares, res.cpuset_cpus, res.cpuset_mems) =
        (r.cpu_shares, r.cpuset_cpus, r.cpuset_mems);
    (res.memory, res.memory_swap, res.memory_reservation) =
        (r.memory, r.memory_swap, r.memory_reservation);
    (res.pids_limit, res.memory_swappiness) = (r.pids_limit, r.memory_swappiness);
    res.oom_kill_disable = Some(r.oom_kill_disable);
    res.cgroup_parent = v.cgroup_parent;
    res.devices = Some(v.devices);
    res.device_cgroup_rules = some(v.device_cgroup_rules);
    res.blkio_device_read_bps = Some(read_bps);
    res.blkio_device_write_bps = Some(write_bps);
    res.blkio_device_read_iops = Some(read_iops);
    res.blkio_device_write_iops = Some(write_iops);
    res.ulimits = Some(
        v.ulimits
            .into_iter()
            .map(|u| Ulimit {
                name: u.name,
                hard: u.hard,
                soft: u.soft,
            })
            .collect(),
    );
    Some(Stored {
        config,
        host_config: host,
        networking_config: NetworkingConfig::default(),
        image: v.image_id,
        mounts: v.mounts,
    })
}

#[cfg(test)]
mod tests {
    use super::super::stored::V1_TYPE_URL;
    use super::*;

    #[test]
    fn a_v1_record_keeps_its_policy_logs_and_mounts() {
        let any = prost_types::Any {
            type_url: V1_TYPE_URL.into(),
            value: br#"{"image":"busybox","image_id":"sha256:1","cmd":["sleep","9"],
                "log":{"driver":"json-file","max_size":1000,"max_file":3},
                "restart":{"name":"on-failure","maximum_retry_count":2},
                "network_mode":"host","ipc_mode":"shareable","resources":{"memory":67108864},
                "ulimits":[{"Name":"nofile","Soft":1,"Hard":2}],
                "mounts":[{"kind":"volume","name":"v","destination":"/v","anonymous":true,"raw":"/v"}]}"#
                .to_vec(),
        };
        let s = Stored::from_any(&any).unwrap();
        assert_eq!(s.config.image, "busybox");
        assert_eq!(s.image, "sha256:1");
        assert_eq!(s.host_config.restart_policy.maximum_retry_count, 2);
        assert_eq!(s.host_config.log_config.config["max-size"], "1000");
        assert_eq!(s.host_config.network_mode.to_string(), "host");
        assert_eq!(s.host_config.ipc_mode.to_string(), "shareable");
        assert_eq!(s.host_config.resources.memory, 64 << 20);
        assert_eq!(s.host_config.resources.ulimits.as_ref().unwrap()[0].hard, 2);
        assert!(s.mounts[0].anonymous);
    }
}

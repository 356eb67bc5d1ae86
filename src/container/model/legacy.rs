//! Containers made by berth before the typed model kept a flat record
//! (`berth.dev/container-config/v1`); read into today's [`Stored`] so
//! their restart policy, logs, mounts and inspect survive an upgrade.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    Config, DeviceMapping, HostConfig, LogConfig, MountEntry, NetworkingConfig, Resources,
    RestartPolicy, RestartPolicyMode, Stored, ThrottleDevice, Ulimit,
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
    let mut v: V1 = serde_json::from_slice(json).ok()?;
    let config = config_of(&mut v);
    let mut host_config = host_of(&mut v);
    host_config.resources = resources_of(&mut v);
    Some(Stored {
        config,
        host_config,
        networking_config: NetworkingConfig::default(),
        image: v.image_id,
        mounts: v.mounts,
    })
}

fn config_of(v: &mut V1) -> Config {
    let take = std::mem::take::<String>;
    Config {
        hostname: take(&mut v.hostname),
        domainname: take(&mut v.domainname),
        user: take(&mut v.user),
        attach_stdin: v.attach_stdin,
        attach_stdout: v.attach_output,
        attach_stderr: v.attach_output,
        tty: v.tty,
        open_stdin: v.open_stdin,
        stdin_once: v.attach_stdin,
        env: some(std::mem::take(&mut v.env)),
        cmd: v.cmd.take(),
        image: take(&mut v.image),
        working_dir: take(&mut v.working_dir),
        entrypoint: v.entrypoint.take(),
        stop_signal: v.stop_signal.take().unwrap_or_default(),
        stop_timeout: v.stop_timeout,
        ..Default::default()
    }
}

fn log_of(log: &V1Log) -> LogConfig {
    LogConfig {
        kind: match log.driver.as_str() {
            "" => "json-file".into(),
            d => d.to_string(),
        },
        config: log
            .max_size
            .map(|s| {
                BTreeMap::from([
                    ("max-size".to_string(), s.to_string()),
                    ("max-file".to_string(), log.max_file.max(1).to_string()),
                ])
            })
            .unwrap_or_default(),
    }
}

fn host_of(v: &mut V1) -> HostConfig {
    let list = |l: &mut Vec<String>| some(std::mem::take(l));
    HostConfig {
        binds: list(&mut v.binds),
        container_id_file: std::mem::take(&mut v.cidfile),
        log_config: log_of(&v.log),
        network_mode: v.network_mode.parse().unwrap_or_default(),
        restart_policy: RestartPolicy {
            name: v.restart.name.parse().unwrap_or(RestartPolicyMode::No),
            maximum_retry_count: v.restart.maximum_retry_count,
        },
        auto_remove: v.auto_remove,
        volumes_from: list(&mut v.volumes_from),
        console_size: v.console_size,
        cap_add: list(&mut v.cap_add),
        cap_drop: list(&mut v.cap_drop),
        cgroupns_mode: v.cgroupns_mode.parse().unwrap_or_default(),
        group_add: list(&mut v.group_add),
        ipc_mode: v.ipc_mode.parse().unwrap_or_default(),
        oom_score_adj: v.oom_score_adj,
        pid_mode: v.pid_mode.parse().unwrap_or_default(),
        privileged: v.privileged,
        readonly_rootfs: v.read_only,
        security_opt: list(&mut v.security_opt),
        uts_mode: v.uts_mode.parse().unwrap_or_default(),
        shm_size: v.shm_size,
        sysctls: std::mem::take(&mut v.sysctls),
        init: v.init.then_some(true),
        ..Default::default()
    }
}

fn resources_of(v: &mut V1) -> Resources {
    let r = std::mem::take(&mut v.resources);
    let [read_bps, write_bps, read_iops, write_iops] = std::mem::take(&mut v.blkio);
    Resources {
        nano_cpus: r.nano_cpus,
        cpu_period: r.cpu_period,
        cpu_quota: r.cpu_quota,
        cpu_shares: r.cpu_shares,
        cpuset_cpus: r.cpuset_cpus,
        cpuset_mems: r.cpuset_mems,
        memory: r.memory,
        memory_swap: r.memory_swap,
        memory_reservation: r.memory_reservation,
        pids_limit: r.pids_limit,
        memory_swappiness: r.memory_swappiness,
        oom_kill_disable: Some(r.oom_kill_disable),
        cgroup_parent: std::mem::take(&mut v.cgroup_parent),
        devices: Some(std::mem::take(&mut v.devices)),
        device_cgroup_rules: some(std::mem::take(&mut v.device_cgroup_rules)),
        blkio_device_read_bps: Some(read_bps),
        blkio_device_write_bps: Some(write_bps),
        blkio_device_read_iops: Some(read_iops),
        blkio_device_write_iops: Some(write_iops),
        ulimits: Some(
            std::mem::take(&mut v.ulimits)
                .into_iter()
                .map(|u| Ulimit {
                    name: u.name,
                    hard: u.hard,
                    soft: u.soft,
                })
                .collect(),
        ),
        ..Default::default()
    }
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

//! `--device-read-bps`, `--device-write-bps`, `--device-read-iops`,
//! `--device-write-iops`: block-I/O throttles on host devices;
//! `--blkio-weight`, `--blkio-weight-device`: proportional weights, which
//! the kernel has only with the BFQ scheduler (elsewhere docker's daemon
//! warns and discards them, and so does berth). The runtime spec's
//! `linux.resources.blockIO`.

use crate::container::model::{CreateRequest, Resources, ThrottleDevice, WeightDevice};
use crate::error::{Error, Result};
use clap::Args;
use oci_spec::runtime::{
    LinuxBlockIo, LinuxBlockIoBuilder, LinuxThrottleDevice, LinuxThrottleDeviceBuilder,
    LinuxWeightDevice, LinuxWeightDeviceBuilder,
};

#[derive(Args, Debug, Clone, Default)]
pub struct ThrottleFlags {
    /// Limit read rate (bytes per second) from a device (PATH:RATE, e.g. /dev/sda:1mb)
    #[arg(long = "device-read-bps", value_name = "PATH:RATE", value_parser = parse_bps)]
    pub device_read_bps: Vec<ThrottleDevice>,
    /// Limit write rate (bytes per second) to a device
    #[arg(long = "device-write-bps", value_name = "PATH:RATE", value_parser = parse_bps)]
    pub device_write_bps: Vec<ThrottleDevice>,
    /// Limit read rate (IO per second) from a device
    #[arg(long = "device-read-iops", value_name = "PATH:RATE", value_parser = parse_iops)]
    pub device_read_iops: Vec<ThrottleDevice>,
    /// Limit write rate (IO per second) to a device
    #[arg(long = "device-write-iops", value_name = "PATH:RATE", value_parser = parse_iops)]
    pub device_write_iops: Vec<ThrottleDevice>,
    /// Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)
    #[arg(long = "blkio-weight", value_name = "uint16")]
    pub blkio_weight: Option<u16>,
    /// Block IO weight (relative device weight)
    #[arg(long = "blkio-weight-device", value_name = "PATH:WEIGHT", value_parser = parse_weight_device)]
    pub blkio_weight_device: Vec<WeightDevice>,
}

/// `/dev/sda:300`, docker's checks and words.
pub fn parse_weight_device(s: &str) -> Result<WeightDevice> {
    let (path, w) = match s.split_once(':') {
        Some((p, w)) if !p.is_empty() => (p, w),
        _ => return Err(Error::invalid(format!("bad format: {s}"))),
    };
    if !path.starts_with("/dev/") {
        return Err(Error::invalid(format!("bad format for device path: {s}")));
    }
    let weight: u16 = w
        .parse()
        .ok()
        .filter(|w| *w == 0 || (10..=1000).contains(w))
        .ok_or_else(|| Error::invalid(format!("invalid weight for device: {s}")))?;
    Ok(WeightDevice {
        path: path.to_string(),
        weight,
    })
}

/// Whether the kernel has block-I/O weights (BFQ's or CFQ's files in the
/// blkio cgroup on v1, in berth's own cgroup on v2), as docker's daemon
/// asks.
fn weights_supported() -> bool {
    let v1 = std::path::Path::new("/sys/fs/cgroup/blkio");
    if v1.is_dir() {
        return ["blkio.weight", "blkio.bfq.weight"]
            .iter()
            .any(|f| v1.join(f).exists());
    }
    let own = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let path = own
        .lines()
        .find_map(|l| l.strip_prefix("0::"))
        .unwrap_or("/");
    let dir = std::path::Path::new("/sys/fs/cgroup").join(path.trim_start_matches('/'));
    ["io.weight", "io.bfq.weight"]
        .iter()
        .any(|f| dir.join(f).exists())
}

/// docker's daemon on this host: weights the kernel lacks are discarded,
/// with its warnings; the ones it keeps are checked.
pub fn host_check(r: &mut Resources) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    let supported = weights_supported();
    if r.blkio_weight > 0 && !supported {
        warnings.push(
            "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."
                .to_string(),
        );
        r.blkio_weight = 0;
    }
    if r.blkio_weight > 0 && !(10..=1000).contains(&r.blkio_weight) {
        return Err(Error::invalid("Range of blkio weight is from 10 to 1000"));
    }
    if r.blkio_weight_device
        .as_ref()
        .is_some_and(|l| !l.is_empty())
        && !supported
    {
        warnings.push(
            "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded."
                .to_string(),
        );
        r.blkio_weight_device = Some(Vec::new());
    }
    Ok(warnings)
}

fn split(s: &str) -> Result<(&str, &str)> {
    match s.rsplit_once(':') {
        Some((p, r)) if p.starts_with('/') && !r.is_empty() => Ok((p, r)),
        _ => Err(Error::invalid(format!(
            "bad format: {s} (expected PATH:RATE)"
        ))),
    }
}

/// `/dev/sda:1mb` (binary units, as docker).
pub fn parse_bps(s: &str) -> Result<ThrottleDevice> {
    let (path, rate) = split(s)?;
    let rate = crate::units::ram_in_bytes(rate)
        .map_err(|_| Error::invalid(format!("invalid rate for device: {s}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb")))?;
    Ok(ThrottleDevice {
        path: path.to_string(),
        rate: rate as u64,
    })
}

/// `/dev/sda:1000`.
pub fn parse_iops(s: &str) -> Result<ThrottleDevice> {
    let (path, rate) = split(s)?;
    let rate = rate.parse().map_err(|_| {
        Error::invalid(format!(
            "invalid rate for device: {s}. The correct format is <device-path>:<number>. Number must be a positive integer"
        ))
    })?;
    Ok(ThrottleDevice {
        path: path.to_string(),
        rate,
    })
}

impl ThrottleFlags {
    /// Fills the request as docker's CLI does (every list sent, empty or not).
    pub fn apply(&self, req: &mut CreateRequest) {
        let r = &mut req.host_config.resources;
        r.blkio_weight = self.blkio_weight.unwrap_or(0);
        r.blkio_weight_device = Some(self.blkio_weight_device.clone());
        r.blkio_device_read_bps = Some(self.device_read_bps.clone());
        r.blkio_device_write_bps = Some(self.device_write_bps.clone());
        r.blkio_device_read_iops = Some(self.device_read_iops.clone());
        r.blkio_device_write_iops = Some(self.device_write_iops.clone());
    }
}

/// The spec's block I/O section, devices read from the host; None when no
/// throttle was asked for.
pub fn block_io(r: &Resources) -> Result<Option<LinuxBlockIo>> {
    let [read_bps, write_bps, read_iops, write_iops] = [
        &r.blkio_device_read_bps,
        &r.blkio_device_write_bps,
        &r.blkio_device_read_iops,
        &r.blkio_device_write_iops,
    ]
    .map(|l| l.as_deref().unwrap_or_default());
    let weights = r.blkio_weight_device.as_deref().unwrap_or_default();
    if [read_bps, write_bps, read_iops, write_iops]
        .iter()
        .all(|l| l.is_empty())
        && weights.is_empty()
        && r.blkio_weight == 0
    {
        return Ok(None);
    }
    let devices = |l: &[ThrottleDevice]| l.iter().map(device).collect::<Result<Vec<_>>>();
    let mut b = LinuxBlockIoBuilder::default();
    if r.blkio_weight > 0 {
        b = b.weight(r.blkio_weight);
    }
    if !weights.is_empty() {
        b = b.weight_device(
            weights
                .iter()
                .map(weight_device)
                .collect::<Result<Vec<_>>>()?,
        );
    }
    if !read_bps.is_empty() {
        b = b.throttle_read_bps_device(devices(read_bps)?);
    }
    if !write_bps.is_empty() {
        b = b.throttle_write_bps_device(devices(write_bps)?);
    }
    if !read_iops.is_empty() {
        b = b.throttle_read_iops_device(devices(read_iops)?);
    }
    if !write_iops.is_empty() {
        b = b.throttle_write_iops_device(devices(write_iops)?);
    }
    b.build()
        .map(Some)
        .map_err(|e| Error::invalid(format!("block I/O throttles: {e}")))
}

/// The (major, minor) numbers of the block device at `path`.
fn numbers(path: &str) -> Result<(i64, i64)> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta = std::fs::metadata(path).map_err(|e| Error::invalid(format!("{path}: {e}")))?;
    if !meta.file_type().is_block_device() {
        return Err(Error::invalid(format!("{path} is not a block device")));
    }
    Ok((
        nix::sys::stat::major(meta.rdev()) as i64,
        nix::sys::stat::minor(meta.rdev()) as i64,
    ))
}

/// The throttle for the block device at `t.path`.
fn device(t: &ThrottleDevice) -> Result<LinuxThrottleDevice> {
    let (major, minor) = numbers(&t.path)?;
    LinuxThrottleDeviceBuilder::default()
        .major(major)
        .minor(minor)
        .rate(t.rate)
        .build()
        .map_err(|e| Error::invalid(format!("{}: {e}", t.path)))
}

/// The weight for the block device at `w.path`.
fn weight_device(w: &WeightDevice) -> Result<LinuxWeightDevice> {
    let (major, minor) = numbers(&w.path)?;
    LinuxWeightDeviceBuilder::default()
        .major(major)
        .minor(minor)
        .weight(w.weight)
        .build()
        .map_err(|e| Error::invalid(format!("{}: {e}", w.path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_like_docker() {
        assert_eq!(parse_bps("/dev/sda:1mb").unwrap().rate, 1 << 20);
        assert_eq!(parse_iops("/dev/sda:100").unwrap().rate, 100);
        assert!(parse_bps("/dev/sda").is_err());
        assert!(parse_bps("sda:1mb").is_err());
        assert!(parse_iops("/dev/sda:1mb").is_err());
        let msg = |s: &str| parse_weight_device(s).unwrap_err().message().to_string();
        assert_eq!(parse_weight_device("/dev/vda:300").unwrap().weight, 300);
        assert_eq!(msg("/dev/vda"), "bad format: /dev/vda");
        assert_eq!(msg("/dev/vda:5"), "invalid weight for device: /dev/vda:5");
        assert_eq!(msg("vda:300"), "bad format for device path: vda:300");
        let mut none = CreateRequest::default();
        ThrottleFlags::default().apply(&mut none);
        assert!(block_io(&none.host_config.resources).unwrap().is_none());
        let chr = Resources {
            blkio_device_read_bps: Some(vec![parse_bps("/dev/null:1k").unwrap()]),
            ..Default::default()
        };
        assert!(
            block_io(&chr)
                .unwrap_err()
                .message()
                .contains("not a block device")
        );
    }
}

//! `--device-read-bps`, `--device-write-bps`, `--device-read-iops`,
//! `--device-write-iops`: block-I/O throttles on host devices, the
//! runtime spec's `linux.resources.blockIO`.

use crate::container::model::{CreateRequest, Resources, ThrottleDevice};
use crate::error::{Error, Result};
use clap::Args;
use oci_spec::runtime::{
    LinuxBlockIo, LinuxBlockIoBuilder, LinuxThrottleDevice, LinuxThrottleDeviceBuilder,
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
        r.blkio_weight_device = Some(Vec::new());
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
    if [read_bps, write_bps, read_iops, write_iops]
        .iter()
        .all(|l| l.is_empty())
    {
        return Ok(None);
    }
    let devices = |l: &[ThrottleDevice]| l.iter().map(device).collect::<Result<Vec<_>>>();
    let mut b = LinuxBlockIoBuilder::default();
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

/// The throttle for the block device at `t.path`.
fn device(t: &ThrottleDevice) -> Result<LinuxThrottleDevice> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta =
        std::fs::metadata(&t.path).map_err(|e| Error::invalid(format!("{}: {e}", t.path)))?;
    if !meta.file_type().is_block_device() {
        return Err(Error::invalid(format!("{} is not a block device", t.path)));
    }
    LinuxThrottleDeviceBuilder::default()
        .major(nix::sys::stat::major(meta.rdev()) as i64)
        .minor(nix::sys::stat::minor(meta.rdev()) as i64)
        .rate(t.rate)
        .build()
        .map_err(|e| Error::invalid(format!("{}: {e}", t.path)))
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

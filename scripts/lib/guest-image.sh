#!/usr/bin/env bash
# Makes the cgroup v2 guest's disk image and kernel (issue 19): a Debian
# bookworm root by mmdebstrap with its kernel, runc, the CNI plugins,
# iptables, iproute2, busybox-static, socat and systemd (PID 1 when a job
# asks for it), as an ext4 image booted
# read-only (QEMU's snapshot=on), plus the kernel and initrd beside it.
# Binaries under test (containerd, berth, its test binary) come from the
# host through a 9p share at boot, so the image does not change with them.
#
#   scripts/lib/guest-image.sh DIR      makes DIR/{disk.img,vmlinuz,initrd.img}
set -Eeuo pipefail

out=${1:?usage: guest-image.sh DIR}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"

packages=linux-image-amd64,runc,containernetworking-plugins,iptables,iproute2,busybox-static,socat,kmod,ca-certificates,e2fsprogs,procps,tini,systemd
echo "== mmdebstrap (minbase + $packages)"
mmdebstrap --variant=minbase --mode=root --include="$packages" \
	--customize-hook="install -m 0755 '$here/guest-init' \"\$1/sbin/berth-guest-init\"" \
	bookworm "$tmp/root"

kernel=$(ls "$tmp"/root/boot/vmlinuz-* | sort -V | tail -n1)
initrd=$(ls "$tmp"/root/boot/initrd.img-* | sort -V | tail -n1)
cp "$kernel" "$tmp/vmlinuz"
cp "$initrd" "$tmp/initrd.img"

echo "== ext4 image"
size_mb=$(( $(du -sm "$tmp/root" | cut -f1) + 512 ))
mkfs.ext4 -q -L berth-guest -d "$tmp/root" "$tmp/disk.img" "${size_mb}M"
rm -rf "$tmp/root"
rm -rf "$out"
mv "$tmp" "$out"
echo "== guest image ready in $out"

#!/usr/bin/env bash
# Build a pinned crictl (sigs.k8s.io/cri-tools, the CRI client kubelet's
# users debug nodes with) from the Go module proxy into
# $BERTH_TESTENV_CACHE/crictl-<version>/bin/crictl.
#
# Usage: build-crictl.sh [version]      default 1.34.0 (1.37.0 is served too,
#                                       go 1.26.6 and no replace/exclude in its
#                                       go.mod; the proxy refuses 1.35.0: 403)
#
# Can be run by hand; skips the build when the binary already exists. Needs
# `go` (>= the go directive of the cri-tools release: 1.24.1 for 1.34.0) and
# network access to the Go module proxy.
#
# Built as upstream's Makefile builds it: CGO_ENABLED=0, -trimpath, and the
# version stamped into sigs.k8s.io/cri-tools/pkg/version.Version (else
# `crictl --version` says "unknown"). The release's go.mod has no
# replace/exclude directives, so `go install …@v<version>` works; should a
# release add some, the writable-copy path (as build-containerd.sh does for
# containerd 1.7) is taken instead.
set -euo pipefail

version="${1:-1.34.0}"
version="${version#v}"
cache="${BERTH_TESTENV_CACHE:-/var/cache/berth-testenv}"
bindir="$cache/crictl-$version/bin"
module=sigs.k8s.io/cri-tools

if [[ -x "$bindir/crictl" ]]; then
	echo "crictl $version already built in $bindir"
	exit 0
fi

# shellcheck source=go.sh
source "$(dirname "${BASH_SOURCE[0]}")/go.sh"
find_go build-crictl

export CGO_ENABLED="${CGO_ENABLED:-0}"
export GOBIN="$bindir.tmp"
rm -rf "$GOBIN"
mkdir -p "$GOBIN"
ldflags="-X $module/pkg/version.Version=$version"

# Keep the load low: the machine is usually shared with other builds.
nice_cmd=(nice -n 10)

if ! "${nice_cmd[@]}" go install -trimpath -ldflags "$ldflags" "$module/cmd/crictl@v$version"; then
	echo "build-crictl: go install $module/cmd/crictl@v$version failed; building in a writable copy of the module" >&2
	writable_module_copy "$module@v$version"
	# Module zips carry no vendor/ tree: build with the module cache.
	(cd "$work" && "${nice_cmd[@]}" go install -mod=mod -trimpath -ldflags "$ldflags" ./cmd/crictl)
fi

[[ -x "$GOBIN/crictl" ]] || { echo "build-crictl: crictl missing after build" >&2; exit 1; }
rm -rf "$bindir"
mv "$GOBIN" "$bindir"
echo "crictl $version built into $bindir"

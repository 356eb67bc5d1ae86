#!/usr/bin/env bash
# Build a pinned BuildKit release (buildkitd, and buildctl for the benchmark)
# from the Go module proxy into $BERTH_TESTENV_CACHE/buildkit-<version>/bin.
#
# Usage: build-buildkit.sh <version>      e.g. 0.32.2
#
# `go install github.com/moby/buildkit/cmd/buildkitd@v0.32.2` is refused (its
# go.mod has an `exclude` directive), so the module source is downloaded and
# built in a writable copy, as build-containerd.sh does for containerd 1.7.
# Skips the build when both binaries exist.
set -euo pipefail

version="${1:?usage: build-buildkit.sh <version>}"
cache="${BERTH_TESTENV_CACHE:-/var/cache/berth-testenv}"
bindir="$cache/buildkit-$version/bin"
bins=(buildkitd buildctl)

have_all() {
	local b
	for b in "${bins[@]}"; do [[ -x "$bindir/$b" ]] || return 1; done
}

if have_all; then
	echo "buildkit $version already built in $bindir"
	exit 0
fi

# shellcheck source=go.sh
source "$(dirname "${BASH_SOURCE[0]}")/go.sh"
find_go build-buildkit

export CGO_ENABLED="${CGO_ENABLED:-0}"
export GOBIN="$bindir.tmp"
rm -rf "$GOBIN"
mkdir -p "$GOBIN"

writable_module_copy "github.com/moby/buildkit@v$version"
(cd "$work" && nice -n 10 go install ./cmd/buildkitd ./cmd/buildctl)

for b in "${bins[@]}"; do
	[[ -x "$GOBIN/$b" ]] || { echo "build-buildkit: $b missing after build" >&2; exit 1; }
done
rm -rf "$bindir"
mv "$GOBIN" "$bindir"
echo "buildkit $version built into $bindir"

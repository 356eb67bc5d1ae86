#!/usr/bin/env bash
# Build nerdctl (the Go peer, for benchmarks only: no test depends on it)
# from the Go module proxy into $BERTH_TESTENV_CACHE/nerdctl-<version>/bin.
#
# Usage: build-nerdctl.sh [version]      default 2.3.5
#
# `go install …/nerdctl/v2/cmd/nerdctl@v2.3.5` cannot work: test-only code
# imports a module (mod/tigron) the proxy does not serve. So the module
# source is downloaded, that test-only code dropped from a writable copy,
# and the command built there with the release's go.mod/go.sum.
set -euo pipefail

version="${1:-2.3.5}"
cache="${BERTH_TESTENV_CACHE:-/var/cache/berth-testenv}"
bindir="$cache/nerdctl-$version/bin"
module=github.com/containerd/nerdctl/v2

if [[ -x "$bindir/nerdctl" ]]; then
	echo "nerdctl $version already built in $bindir"
	exit 0
fi
# shellcheck source=go.sh
source "$(dirname "${BASH_SOURCE[0]}")/go.sh"
find_go build-nerdctl

writable_module_copy "$module@v$version"
rm -rf "$work/cmd/nerdctl/helpers/testing_linux.go" "$work/pkg/testutil"
sed -i '/mod\/tigron/d' "$work/go.mod"
export GOBIN="$bindir.tmp"
rm -rf "$GOBIN"
mkdir -p "$GOBIN"
(cd "$work" && nice -n 10 go install ./cmd/nerdctl)
[[ -x "$GOBIN/nerdctl" ]] || { echo "build-nerdctl: nerdctl missing after build" >&2; exit 1; }
rm -rf "$bindir"
mv "$GOBIN" "$bindir"
echo "nerdctl $version built into $bindir"

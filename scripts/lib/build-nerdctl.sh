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
if ! command -v go >/dev/null 2>&1; then
	for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do
		if [[ -x "$g" ]]; then PATH="$(dirname "$g"):$PATH"; break; fi
	done
fi
command -v go >/dev/null 2>&1 || { echo "build-nerdctl: 'go' not found" >&2; exit 1; }

echo "downloading $module@v$version from the Go module proxy"
srcdir="$(go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$srcdir" && -f "$srcdir/go.mod" ]] || { echo "build-nerdctl: go mod download failed" >&2; exit 1; }
work="$(mktemp -d /tmp/berth-nerdctl-src.XXXXXX)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -a "$srcdir/." "$work/"
chmod -R u+w "$work"
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

#!/usr/bin/env bash
# Build a pinned containerd release (containerd, containerd-shim-runc-v2, ctr)
# from the Go module proxy into $BERTH_TESTENV_CACHE/containerd-<version>/bin.
#
# Usage: build-containerd.sh <version>      e.g. 1.7.35 or 2.3.7
#
# Used by scripts/testenv; can also be run by hand. Skips the build when all
# three binaries already exist. Needs `go` (>= the go directive of the
# containerd release) and network access to the Go module proxy.
set -euo pipefail

version="${1:?usage: build-containerd.sh <version>}"
cache="${BERTH_TESTENV_CACHE:-/var/cache/berth-testenv}"
bindir="$cache/containerd-$version/bin"
bins=(containerd containerd-shim-runc-v2 ctr)

have_all() {
	local b
	for b in "${bins[@]}"; do [[ -x "$bindir/$b" ]] || return 1; done
}

if have_all; then
	echo "containerd $version already built in $bindir"
	exit 0
fi

# shellcheck source=go.sh
source "$(dirname "${BASH_SOURCE[0]}")/go.sh"
find_go build-containerd

case "$version" in
	1.*) module=github.com/containerd/containerd ;;
	2.*) module=github.com/containerd/containerd/v2 ;;
	*) echo "build-containerd: unsupported version '$version'" >&2; exit 1 ;;
esac

export GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=no_btrfs"
export CGO_ENABLED="${CGO_ENABLED:-1}"
export GOBIN="$bindir.tmp"
rm -rf "$GOBIN"
mkdir -p "$GOBIN"

# Keep the load low: the machine is usually shared with other builds.
nice_cmd=(nice -n 10)

case "$version" in
	1.*)
		# `go install <pkg>@v1.7.x` is refused for 1.7: its go.mod has an
		# `exclude` directive ("must not contain directives that would cause it
		# to be interpreted differently than if it were the main module").
		# So download the module source and build inside a writable copy of it.
		writable_module_copy "$module@v$version"
		(cd "$work" && "${nice_cmd[@]}" go install ./cmd/containerd ./cmd/containerd-shim-runc-v2 ./cmd/ctr)
		;;
	2.*)
		pkgs=()
		for b in "${bins[@]}"; do pkgs+=("$module/cmd/$b@v$version"); done
		"${nice_cmd[@]}" go install "${pkgs[@]}"
		;;
esac

for b in "${bins[@]}"; do
	[[ -x "$GOBIN/$b" ]] || { echo "build-containerd: $b missing after build" >&2; exit 1; }
done
rm -rf "$bindir"
mv "$GOBIN" "$bindir"
echo "containerd $version built into $bindir"

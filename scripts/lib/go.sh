# Sourced by the build scripts: puts a usable `go` on PATH or exits.
find_go() {
	if ! command -v go >/dev/null 2>&1; then
		local g
		for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do
			if [[ -x "$g" ]]; then PATH="$(dirname "$g"):$PATH"; break; fi
		done
	fi
	command -v go >/dev/null 2>&1 || { echo "$1: 'go' not found" >&2; exit 1; }
}

# Downloads module $1 (path@version) from the proxy into a writable copy,
# removed when the script exits, and sets $work to it. Building there uses
# exactly the release's go.mod/go.sum, which `go install pkg@version`
# refuses to do for modules with exclude/replace directives.
writable_module_copy() {
	local dir
	echo "downloading $1 from the Go module proxy"
	dir="$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[[ -n "$dir" && -f "$dir/go.mod" ]] || { echo "go mod download $1 failed" >&2; exit 1; }
	work="$(mktemp -d /tmp/berth-go-src.XXXXXX)"
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	cp -a "$dir/." "$work/"
	chmod -R u+w "$work"
}

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

# The directory `go mod download` put module $1 in.
module_source() {
	local dir
	dir="$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[[ -n "$dir" && -f "$dir/go.mod" ]] || { echo "go mod download $1 failed" >&2; exit 1; }
	echo "$dir"
}

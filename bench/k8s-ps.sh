#!/bin/sh
# `ps` on a Kubernetes node with PODS pods (issue 19): berth -n k8s.io ps
# against `crictl ps` and `nerdctl -n k8s.io ps`, each tool's default view
# of the running containers. Runs inside the guest (scripts/guest run; bench/run
# --only k8s), where containerd has its CRI plugin; the pods are made through
# CRI by crictl (host network: the pod count, not CNI, is the point).
# Prints one line per tool: NAME MEAN_MS STDDEV_MS ROWS.
#
#   bench/k8s-ps.sh BERTH CRICTL NERDCTL [PODS] [RUNS]
set -eu
BERTH=$1 CRICTL=$2 NERDCTL=$3 PODS=${4:-100} RUNS=${5:-20}
img=127.0.0.1:5000/berth-test/busybox:latest
"$CRICTL" pull "$img" >/dev/null
dir=$(mktemp -d)
# pod I: a sandbox and its container, started (as the kubelet asks).
pod() {
	i=$1
	uid="00000000-0000-4000-8000-$(printf %012d "$i")"
	cat >"$dir/p$i.json" <<EOF
{"metadata": {"name": "bench-$i", "namespace": "bench", "uid": "$uid", "attempt": 0},
 "log_directory": "/var/log/pods/bench_bench-${i}_$uid",
 "labels": {"io.kubernetes.pod.name": "bench-$i", "io.kubernetes.pod.namespace": "bench", "io.kubernetes.pod.uid": "$uid"},
 "linux": {"cgroup_parent": "kubepods-besteffort-pod$(echo "$uid" | tr - _).slice",
           "security_context": {"namespace_options": {"network": 2, "pid": 1, "ipc": 0}}}}
EOF
	cat >"$dir/c$i.json" <<EOF
{"metadata": {"name": "app", "attempt": 0}, "image": {"image": "$img"},
 "command": ["sleep", "3600"], "log_path": "app/0.log",
 "labels": {"io.kubernetes.container.name": "app", "io.kubernetes.pod.name": "bench-$i", "io.kubernetes.pod.namespace": "bench", "io.kubernetes.pod.uid": "$uid"}}
EOF
	p=$("$CRICTL" runp "$dir/p$i.json")
	c=$("$CRICTL" create "$p" "$dir/c$i.json" "$dir/p$i.json")
	"$CRICTL" start "$c" >/dev/null
}
# Four at a time (emulation makes each pod take seconds).
i=0
while [ "$i" -lt "$PODS" ]; do
	for j in 0 1 2 3; do
		[ $((i + j)) -lt "$PODS" ] && pod $((i + j)) &
	done
	wait
	i=$((i + 4))
done
[ "$("$CRICTL" ps -q | wc -l)" -eq "$PODS" ] || { echo "k8s-ps: not all $PODS pods run" >&2; exit 1; }

# measure NAME CMD...: RUNS timed runs after one warm-up.
measure() {
	name=$1
	shift
	rows=$("$@" | wc -l)
	n=0
	: >"$dir/t"
	while [ "$n" -lt "$RUNS" ]; do
		a=$(date +%s%N)
		"$@" >/dev/null
		b=$(date +%s%N)
		echo $(((b - a) / 1000)) >>"$dir/t"
		n=$((n + 1))
	done
	awk -v name="$name" -v rows="$rows" '{ s += $1; q += $1 * $1 } END {
		m = s / NR; v = q / NR - m * m; if (v < 0) v = 0
		printf "%s %.1f %.1f %d\n", name, m / 1000, sqrt(v) / 1000, rows }' "$dir/t"
}
measure berth "$BERTH" -n k8s.io ps
measure crictl "$CRICTL" ps
measure nerdctl "$NERDCTL" -n k8s.io ps

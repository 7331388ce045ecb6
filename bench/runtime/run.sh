#!/usr/bin/env bash
# Start latency of `run --rm busybox true` without network: Berth's runtime vs Docker vs Podman (+runc),
# measured in the same run on the same busybox rootfs; plus idle monitor RSS and 200 idle containers.
# Usage: bench/runtime/run.sh [runs] [idle-count]     (root; docker.io, podman, runc installed)
set -euo pipefail
RUNS=${1:-50}
IDLE=${2:-200}
cd "$(dirname "$0")/../.."
W=$(mktemp -d /tmp/berth-bench.XXXX)
trap 'rm -rf "$W"' EXIT

./mvnw -B -q -o test-compile -DskipTests >"$W/build.log" 2>&1 || { cat "$W/build.log"; exit 1; }
CP=target/classes:target/test-classes
JAVA="java -Dberth.native.dir=$PWD/target/native -cp $CP dev.berth.engine.runtime.bench.RuntimeBench"
$JAVA rootfs "$W/rootfs"

median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_cmd() { # runs "$@" RUNS times (after 3 warm-ups), prints the median in ms
  for i in 1 2 3; do "$@" >/dev/null 2>&1; done
  for i in $(seq "$RUNS"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo "scale=3; ($e-$s)/1000000" | bc
  done | median
}

echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
$JAVA start "$W/rootfs" "$W/berth" "$RUNS" | tee "$W/berth.txt"
BERTH=$(sed -n 's/.*median=\([0-9.]*\) ms.*/\1/p' "$W/berth.txt")

# Docker: start dockerd only if none runs, stop it afterwards
STARTED_DOCKERD=
if ! docker info >/dev/null 2>&1; then
  mkdir -p /etc/docker
  [ -f /etc/docker/daemon.json ] || echo '{"default-ulimits":{"nofile":{"Name":"nofile","Hard":1024,"Soft":1024},"nproc":{"Name":"nproc","Hard":4096,"Soft":4096}},"storage-driver":"overlay2"}' > /etc/docker/daemon.json
  dockerd >"$W/dockerd.log" 2>&1 & STARTED_DOCKERD=$!
  for i in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
fi
tar -C "$W/rootfs" -c . | docker import - berth-bench-busybox:latest >/dev/null
DOCKER=$(time_cmd docker run --rm --network none berth-bench-busybox /bin/true)
docker rmi berth-bench-busybox:latest >/dev/null 2>&1 || true
if [ -n "$STARTED_DOCKERD" ]; then kill "$STARTED_DOCKERD"; wait "$STARTED_DOCKERD" 2>/dev/null || true; fi

tar -C "$W/rootfs" -c . | podman import - berth-bench-busybox:latest >/dev/null
PODMAN=$(time_cmd podman run --rm --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --net=none berth-bench-busybox /bin/true)
podman rmi berth-bench-busybox:latest >/dev/null 2>&1 || true

FLOOR=$(time_cmd unshare --pid --mount --net --uts --ipc --fork chroot "$W/rootfs" /bin/true)

echo
echo "| run --rm busybox true, no network (median of $RUNS) | ms | Docker / x |"
echo "|---|---|---|"
printf "| Berth (NativeRuntime.start -> exit) | %s | %.1fx faster |\n" "$BERTH" "$(echo "$DOCKER / $BERTH" | bc -l)"
printf "| Docker 20.10 (docker run --rm --network none) | %s | 1.0 |\n" "$DOCKER"
printf "| Podman 4.3 + runc (--net=none) | %s | Berth is %.1fx faster |\n" "$PODMAN" "$(echo "$PODMAN / $BERTH" | bc -l)"
printf "| floor: unshare + chroot /bin/true | %s | - |\n" "$FLOOR"
echo
$JAVA idle "$W/rootfs" "$W/idle" "$IDLE"

#!/usr/bin/env bash
# `run --rm busybox true` through Berth's whole container lifecycle (ContainerService: create with state files,
# start under the native monitor, wait for the exit, remove) next to `docker run --rm` in the same run.
# Usage: bench/containers/run.sh [runs]      (root; docker.io installed; dockerd is started and stopped if needed)
set -euo pipefail
RUNS=${1:-50}
cd "$(dirname "$0")/../.."
W=$(mktemp -d /tmp/berth-cbench.XXXX)
trap 'rm -rf "$W"' EXIT

./mvnw -B -q -o test-compile -DskipTests >/dev/null
./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile="$W/cp.txt" >/dev/null
CP=target/classes:target/test-classes:$(cat "$W/cp.txt")

echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java -Dberth.native.dir="$PWD/target/native" -cp "$CP" dev.berth.engine.container.bench.ContainerBench "$RUNS" | tee "$W/berth.txt"
BERTH=$(sed -n 's/.*median=\([0-9.]*\) ms.*/\1/p' "$W/berth.txt")

median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
STARTED=
if ! docker info >/dev/null 2>&1; then
  dockerd >"$W/dockerd.log" 2>&1 & STARTED=$!
  for i in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
fi
mkdir -p "$W/rootfs/bin" && cp /bin/busybox "$W/rootfs/bin/" && ln -s busybox "$W/rootfs/bin/true"
tar -C "$W/rootfs" -c . | docker import - berth-cbench-busybox:latest >/dev/null
for i in 1 2 3; do docker run --rm --network none berth-cbench-busybox /bin/true; done
DOCKER=$(for i in $(seq "$RUNS"); do
  s=$(date +%s%N); docker run --rm --network none berth-cbench-busybox /bin/true; e=$(date +%s%N)
  echo "scale=3; ($e-$s)/1000000" | bc
done | median)
docker rmi berth-cbench-busybox:latest >/dev/null 2>&1 || true
if [ -n "$STARTED" ]; then kill "$STARTED"; wait "$STARTED" 2>/dev/null || true; fi

echo
echo "| run --rm busybox true, no network (median of $RUNS) | ms | ratio |"
echo "|---|---|---|"
printf "| Berth ContainerService create+start+wait+remove | %s | %.1fx Docker's speed |\n" "$BERTH" "$(echo "$DOCKER / $BERTH" | bc -l)"
printf "| Docker (docker run --rm --network none) | %s | 1.0 |\n" "$DOCKER"

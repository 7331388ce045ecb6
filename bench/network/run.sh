#!/bin/sh
# bench/network: container start with network, and published-port / port-link forwarding, side by side with
# Docker 20.10 (default bridge, docker-proxy) in the same run. Needs root, docker.io, apache2-utils (ab), curl.
# Usage: bench/network/run.sh   (from the repository root; writes bench/network/results-<date>-<HHMM>.md)
set -eu
cd "$(dirname "$0")/../.."
command -v dockerd >/dev/null || apt-get install -y docker.io
command -v ab >/dev/null || apt-get install -y apache2-utils

started_dockerd=""
if ! docker info >/dev/null 2>&1; then
  mkdir -p /etc/docker
  [ -f /etc/docker/daemon.json ] || echo '{"default-ulimits":{"nofile":{"Name":"nofile","Hard":1024,"Soft":1024},"nproc":{"Name":"nproc","Hard":4096,"Soft":4096}},"storage-driver":"overlay2"}' > /etc/docker/daemon.json
  dockerd >/tmp/berth-bench-dockerd.log 2>&1 &
  started_dockerd=$!
  for i in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
fi
cleanup() {
  docker rm -f berthbench-web >/dev/null 2>&1 || true
  if [ -n "$started_dockerd" ]; then kill "$started_dockerd"; wait "$started_dockerd" 2>/dev/null || true; fi
  rm -rf "$rootfs"
}
rootfs=$(mktemp -d)
trap cleanup EXIT

# The same busybox-static the Berth side runs, as a Docker image (no registry needed).
mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp"
cp /bin/busybox "$rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$rootfs/bin/$a"; done
tar -C "$rootfs" -c . | docker image import - berthbench/busybox >/dev/null

out="bench/network/results-$(date -u +%Y-%m-%d-%H%M).md" # a later run the same day must not overwrite an earlier one
./mvnw -B -o test -Dtest=NetworkBenchmarkTest -Dberth.bench=true -Dquarkus.http.test-port=0 \
  -Dberth.bench.out="$PWD/$out" -Dsurefire.failIfNoSpecifiedTests=false | grep -E 'Tests run|ERROR' || true
echo "Results: $out"
cat "$out"

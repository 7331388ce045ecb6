#!/bin/sh
# Berth's terminal WebSocket vs Docker's attach WebSocket, same client (wsbench.c, its own process), same run.
# Needs: docker.io (see /work/shared/bench-anchors.md), busybox-static, root. Writes bench/terminals/results-<date>.md.
# Usage: bench/terminals/run.sh [bytes-for-one-client]   (default 100000000)
set -eu
cd "$(dirname "$0")/../.."
BYTES=${1:-100000000}
STARTED_DOCKERD=""
# our own dockerd (own pid file, data and exec roots, no bridge) so it never collides with another one on the machine
DOCKER_HOST_ADDR=tcp://127.0.0.1:23750
D="docker -H $DOCKER_HOST_ADDR"
if ! $D info >/dev/null 2>&1; then
  dockerd -H unix:///tmp/berth-bench-docker.sock -H $DOCKER_HOST_ADDR --pidfile /tmp/berth-bench-dockerd.pid \
    --data-root /tmp/berth-bench-docker --exec-root /tmp/berth-bench-docker-exec --bridge none --iptables=false \
    >/tmp/berth-bench-dockerd.log 2>&1 &
  STARTED_DOCKERD=$!
  for i in $(seq 1 60); do $D info >/dev/null 2>&1 && break; sleep 1; done
fi
cleanup() { if [ -n "$STARTED_DOCKERD" ]; then kill "$STARTED_DOCKERD"; wait "$STARTED_DOCKERD" 2>/dev/null || true; fi; rm -rf "$ROOTFS"; }
ROOTFS=$(mktemp -d /tmp/berth-bench-rootfs.XXXXXX)
trap cleanup EXIT
# the same busybox the Berth side uses (TestRootfs), imported as an image: no registry involved
mkdir -p "$ROOTFS/bin" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev" "$ROOTFS/tmp" "$ROOTFS/etc"
cp /bin/busybox "$ROOTFS/bin/busybox"
for a in $("$ROOTFS/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$ROOTFS/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
tar -C "$ROOTFS" -c . | $D image import - berth-bench-busybox >/dev/null
mkdir -p target && gcc -O2 -Wall -o target/wsbench bench/terminals/wsbench.c -lutil
# the VM's hypervisor steal and the load during the run go into the results: on a VM whose host is busy, every
# figure (the bare-PTY floor too) moves, so a run is only comparable with its own floor and its own Docker figures
vmstat 1 > target/terminal-bench-vmstat.txt &
VMSTAT=$!
# no report from an earlier run may stand in for this one: a run that fails writes no results file
rm -f target/terminal-bench.md
./mvnw -B -q -o test -Dtest=TerminalBenchmark -Dberth.bench=true -Dberth.bench.bytes="$BYTES" -Dberth.bench.docker=http://127.0.0.1:23750 -Dberth.bench.wsbench="$PWD/target/wsbench" -DskipNativeTests \
  -Dsurefire.failIfNoSpecifiedTests=false > target/terminal-bench.log 2>&1 || MVN_FAILED=1
kill $VMSTAT
sed -n '/=== terminal benchmark ===/,$p' target/terminal-bench.log
if [ -n "${MVN_FAILED:-}" ] || [ ! -s target/terminal-bench.md ]; then
  tail -40 target/terminal-bench.log >&2
  echo "run.sh: the benchmark failed (whole output: target/terminal-bench.log); no results written" >&2
  exit 1
fi
# vmstat columns: r b swpd free buff cache si so bi bo in cs us sy id wa st
STEAL=$(awk '$1 ~ /^[0-9]+$/ && NR > 3 { n++; s += $17; if ($17 > m) m = $17 } END { if (n) printf "%.0f%% mean, %d%% max over %d s", s / n, m, n }' target/terminal-bench-vmstat.txt)
OUT=bench/terminals/results-$(date -u +%Y%m%dT%H%M).md
{ echo "# Terminal benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $($D version -f '{{.Server.Version}}') "; echo
  echo "Hypervisor steal during the run (vmstat): $STEAL; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."; echo
  cat target/terminal-bench.md; } > "$OUT"
echo "wrote $OUT"

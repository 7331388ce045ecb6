#!/usr/bin/env bash
# Pull + unpack benchmark: Berth's engine vs `docker pull` vs `podman pull`, same image, same loopback
# registry, same run. Image: debootstrap --variant=minbase bookworm + 3 small layers (about 200 MB unpacked).
# Every run starts cold: the image is removed from each tool's store and the page cache is dropped.
# Usage: bench/images/run.sh            (RUNS=5 WORK=/tmp/berth-bench PORT=5055 to change)
# Needs: debootstrap docker.io podman runc docker-registry (see /work/shared/bench-anchors.md), a built
# target/classes (./mvnw -o -q package -DskipTests). Runs its own dockerd and podman store under WORK and
# stops the registry and that dockerd at the end.
set -euo pipefail
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/berth-bench}
PORT=${PORT:-5055}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
IMAGE=127.0.0.1:$PORT/bench/debian:1
mkdir -p "$WORK"
log() { echo "[bench] $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }

cleanup() {
  [ -n "${REG_PID:-}" ] && kill "$REG_PID" 2>/dev/null || true
  if [ -n "${DOCKERD_PID:-}" ]; then kill "$DOCKERD_PID" 2>/dev/null || true; wait "$DOCKERD_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# 1. the root file system
if [ ! -x "$WORK/rootfs/bin/bash" ]; then
  log "debootstrap minbase bookworm (once)"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1
fi

# 2. a registry on loopback
rm -rf "$WORK/regdata"
cat > "$WORK/reg.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/regdata}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$PORT}
YML
docker-registry serve "$WORK/reg.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.1; done

# 3. our own dockerd (settings per bench-anchors.md) on its own socket and data root, so that other users of
#    this machine's dockerd are neither disturbed nor disturbing; podman gets its own store too
mkdir -p "$WORK/docker"
echo '{"default-ulimits":{"nofile":{"Name":"nofile","Hard":1024,"Soft":1024},"nproc":{"Name":"nproc","Hard":4096,"Soft":4096}},"storage-driver":"overlay2"}' > "$WORK/docker/daemon.json"
dockerd --config-file "$WORK/docker/daemon.json" -H "unix://$WORK/docker.sock" --data-root "$WORK/docker/data" \
  --exec-root "$WORK/docker/exec" --pidfile "$WORK/docker/dockerd.pid" --bridge=none --iptables=false \
  >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
export DOCKER_HOST="unix://$WORK/docker.sock"
for _ in $(seq 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
PODMAN=(podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" --storage-driver overlay)

# 4. build and push the image: base + 3 small layers (generated files)
log "building $IMAGE"
rm -rf "$WORK/ctx" && mkdir -p "$WORK/ctx"/{one,two,three}
head -c 3000000 /dev/urandom > "$WORK/ctx/one/blob.bin"
for i in $(seq 200); do echo "config $i" > "$WORK/ctx/two/file$i.conf"; done
cp /bin/busybox "$WORK/ctx/three/busybox"
cat > "$WORK/ctx/Dockerfile" <<DF
FROM bench-base:1
COPY one/ /opt/one/
COPY two/ /etc/bench/
COPY three/ /usr/local/bin/
DF
tar -C "$WORK/rootfs" -c . | docker import - bench-base:1 >/dev/null
DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$WORK/ctx" >/dev/null
docker push -q "$IMAGE" >/dev/null
docker rmi -f "$IMAGE" bench-base:1 >/dev/null
SIZE=$(curl -fs -H "Accept: application/vnd.docker.distribution.manifest.v2+json" "http://127.0.0.1:$PORT/v2/bench/debian/manifests/1" \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); print(sum(l["size"] for l in m["layers"]), len(m["layers"]))')
log "pushed: compressed bytes and layers: $SIZE"

# 5. Berth's pull command (the engine library, no web app)
( cd "$REPO" && ./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null )
CP="$REPO/target/classes:$(cat "$WORK/cp.txt")"

berth_ms=(); berth_inner_ms=(); docker_ms=(); podman_ms=()
for r in $(seq "$RUNS"); do
  # one JVM, two pulls into fresh roots, page cache dropped before each: the first pays JVM start and JIT
  # (a CLI), the second is what the running server does
  cold
  t0=$(now_ms)
  out=$(BERTH_BENCH_DROP_CACHES=1 java -cp "$CP" dev.berth.engine.image.PullCommand "$WORK/berth-root" "$IMAGE" 2)
  t1=$(now_ms)
  first=$(echo "$out" | sed -n 1p | awk '{print $2}'); second=$(echo "$out" | sed -n 2p | awk '{print $2}')
  berth_ms+=("$first"); berth_inner_ms+=("$second")

  docker rmi -f "$IMAGE" >/dev/null 2>&1 || true; cold
  t0=$(now_ms); docker pull -q "$IMAGE" >/dev/null; t1=$(now_ms); docker_ms+=($((t1 - t0)))

  "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true; cold
  t0=$(now_ms); "${PODMAN[@]}" pull -q --tls-verify=false "$IMAGE" >/dev/null; t1=$(now_ms); podman_ms+=($((t1 - t0)))
  log "run $r: berth first pull in a new JVM ${berth_ms[-1]} ms, warm JVM ${berth_inner_ms[-1]} ms, docker ${docker_ms[-1]} ms, podman ${podman_ms[-1]} ms"
done
docker rmi -f "$IMAGE" >/dev/null 2>&1 || true; "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
B=$(median "${berth_ms[@]}"); BI=$(median "${berth_inner_ms[@]}"); D=$(median "${docker_ms[@]}"); P=$(median "${podman_ms[@]}")
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
cat <<MD
| tool (median of $RUNS cold runs) | ms | Docker / tool | Podman / tool |
|---|---|---|---|
| Berth, second pull in the same JVM (the server's case) | $BI | $(ratio "$D" "$BI") | $(ratio "$P" "$BI") |
| Berth, first pull in a new JVM (cold JIT, JVM start not counted) | $B | $(ratio "$D" "$B") | $(ratio "$P" "$B") |
| docker pull (dockerd 20.10, overlay2) | $D | 1.00 | $(ratio "$P" "$D") |
| podman pull (4.3) | $P | $(ratio "$D" "$P") | 1.00 |
MD
echo "raw: berth=${berth_ms[*]} berth_in_jvm=${berth_inner_ms[*]} docker=${docker_ms[*]} podman=${podman_ms[*]}"

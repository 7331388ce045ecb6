#!/usr/bin/env bash
# Pull + unpack benchmark: Berth's engine vs `docker pull` vs `podman pull`, same image, same loopback
# registry, same run. Image: debootstrap --variant=minbase bookworm + 3 small layers (about 200 MB unpacked).
# Every run starts cold: the image is removed from each tool's store and the page cache is dropped.
# Usage: bench/images/run.sh            (RUNS=5 WORK=/tmp/berth-bench PORT=5055 to change)
#        BASELINE_CLASSES=/path/to/other/target/classes bench/images/run.sh
#          also pulls with that build of the engine in every round (an A/B run on the same machine state)
# Needs root and a built target/classes (./mvnw -o -q package -DskipTests). Installs what is missing of
# debootstrap docker.io podman runc docker-registry isal curl python3 (Debian packages; see
# /work/shared/bench-anchors.md). Runs its own dockerd and podman store under WORK and stops the registry and
# that dockerd at the end.
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

# 0. tools: command -> Debian package, installed only when missing (igzip: Berth's gunzip for big layers)
missing=()
for pair in debootstrap:debootstrap dockerd:docker.io podman:podman runc:runc docker-registry:docker-registry \
            igzip:isal curl:curl python3:python3; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

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
#    dependencies: from Maven when it can list them offline, else the packaged app's own lib directory
rm -f "$WORK/cp.txt"
( cd "$REPO" && ./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1 ) || true
if [ -s "$WORK/cp.txt" ]; then
  DEPS=$(cat "$WORK/cp.txt")
elif [ -d "$REPO/target/quarkus-app/lib/main" ]; then
  log "no Maven classpath; using target/quarkus-app/lib/main"
  DEPS="$REPO/target/quarkus-app/lib/main/*"
else
  log "cannot find the dependencies: run ./mvnw -B -q package -DskipTests first"; exit 1
fi
[ -d "$REPO/target/classes/dev/berth/engine/image" ] || { log "no target/classes: build first"; exit 1; }
CP="$REPO/target/classes:$DEPS"
if [ -n "${BASELINE_CLASSES:-}" ]; then
  [ -d "$BASELINE_CLASSES/dev/berth/engine/image" ] || { log "BASELINE_CLASSES=$BASELINE_CLASSES has no engine classes"; exit 1; }
  BASE_CP="$BASELINE_CLASSES:$DEPS"
fi
log "load before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# one JVM, two pulls into fresh roots, page cache dropped before each: the first pays JVM start and JIT
# (a CLI), the second is what the running server does; prints "first second" in ms
berth_pull() {
  local out
  cold
  out=$(BERTH_BENCH_DROP_CACHES=1 java -cp "$1" dev.berth.engine.image.PullCommand "$WORK/berth-root" "$IMAGE" 2)
  echo "$(echo "$out" | sed -n 1p | awk '{print $2}') $(echo "$out" | sed -n 2p | awk '{print $2}')"
}

berth_ms=(); berth_inner_ms=(); base_ms=(); base_inner_ms=(); docker_ms=(); podman_ms=(); loads=()
for r in $(seq "$RUNS"); do
  read -r first second < <(berth_pull "$CP")
  berth_ms+=("$first"); berth_inner_ms+=("$second")
  if [ -n "${BASE_CP:-}" ]; then
    read -r first second < <(berth_pull "$BASE_CP")
    base_ms+=("$first"); base_inner_ms+=("$second")
  fi

  docker rmi -f "$IMAGE" >/dev/null 2>&1 || true; cold
  t0=$(now_ms); docker pull -q "$IMAGE" >/dev/null; t1=$(now_ms); docker_ms+=($((t1 - t0)))

  "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true; cold
  t0=$(now_ms); "${PODMAN[@]}" pull -q --tls-verify=false "$IMAGE" >/dev/null; t1=$(now_ms); podman_ms+=($((t1 - t0)))
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  log "run $r: berth first pull in a new JVM ${berth_ms[-1]} ms, warm JVM ${berth_inner_ms[-1]} ms,${BASE_CP:+ baseline ${base_ms[-1]}/${base_inner_ms[-1]} ms,} docker ${docker_ms[-1]} ms, podman ${podman_ms[-1]} ms, load ${loads[-1]}"
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
if [ -n "${BASE_CP:-}" ]; then
  BB=$(median "${base_ms[@]}"); BBI=$(median "${base_inner_ms[@]}")
  echo "| baseline ($BASELINE_CLASSES), second pull in the same JVM | $BBI | $(ratio "$D" "$BBI") | $(ratio "$P" "$BBI") |"
  echo "| baseline, first pull in a new JVM | $BB | $(ratio "$D" "$BB") | $(ratio "$P" "$BB") |"
fi
echo "raw: berth=${berth_ms[*]} berth_in_jvm=${berth_inner_ms[*]}${BASE_CP:+ baseline=${base_ms[*]} baseline_in_jvm=${base_inner_ms[*]}} docker=${docker_ms[*]} podman=${podman_ms[*]}"
echo "load average (1 min) after each round: ${loads[*]}; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

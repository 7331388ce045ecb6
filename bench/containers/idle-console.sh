#!/usr/bin/env bash
# The console's answer times with N idle containers on this machine (issue 4's "200 idle containers with the
# console still answering in under 100 ms"). Starts the packaged Berth on a free loopback port with its own data
# dir and network prefix, imports a busybox image (built here from Debian's busybox-static), runs N containers
# of `sleep 3600` (no network), then times GET / (the console page), GET /api/containers (the list the
# Containers screen polls) and GET /api/system/info with curl, 50 times each. Everything is removed at the end.
# Usage: bench/containers/idle-console.sh [N=200]     (root; builds target/quarkus-app if missing)
set -euo pipefail
N=${1:-200}
cd "$(dirname "$0")/../.."
W=$(mktemp -d /tmp/berth-idle.XXXX)
chmod o+x "$W" # the embedded PostgreSQL runs as berth-postgres
PASS=bench-admin-password
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -o package -DskipTests
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
APP=
cleanup() {
  if [ -n "$APP" ]; then
    for id in $(curl -s -u admin:$PASS "$URL/api/containers?all=true" | python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(sys.stdin)))' 2>/dev/null); do
      curl -s -o /dev/null -u admin:$PASS -X DELETE "$URL/api/containers/$id?force=true" || true
    done
    kill "$APP" 2>/dev/null; wait "$APP" 2>/dev/null || true
  fi
  nft delete table ip bbi 2>/dev/null || true; ip link del bbi0 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

# a docker-save archive of a busybox image
python3 - "$W/busybox.tar" <<'PY'
import hashlib, io, json, os, sys, tarfile
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as t:
    for d in ("bin", "tmp", "proc", "sys", "dev", "etc"):
        i = tarfile.TarInfo(d); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
    t.add("/bin/busybox", "bin/busybox")
    for name in ("sh", "sleep", "true"):
        i = tarfile.TarInfo("bin/" + name); i.type = tarfile.SYMTYPE; i.linkname = "busybox"; t.addfile(i)
data = layer.getvalue(); diff = "sha256:" + hashlib.sha256(data).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": [diff]}}).encode()
cfg = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": cfg, "RepoTags": ["bench/busybox:idle"], "Layers": ["layer.tar"]}]).encode()
with tarfile.open(sys.argv[1], "w") as out:
    for name, blob in (("layer.tar", data), (cfg, config), ("manifest.json", manifest)):
        i = tarfile.TarInfo(name); i.size = len(blob); out.addfile(i, io.BytesIO(blob))
PY

BERTH_DATA_DIR=$W/data BERTH_ADMIN_INITIAL_PASSWORD=$PASS QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  BERTH_NETWORK_NAME_PREFIX=bbi BERTH_NETWORK_POOL=10.238.0.0/16 BERTH_NETWORK_DEFAULT_HOST_IP=127.0.0.1 \
  java -jar target/quarkus-app/quarkus-run.jar >"$W/app.log" 2>&1 & APP=$!
for i in $(seq 600); do curl -sf "$URL/q/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "$URL/q/health/ready" >/dev/null || { echo "Berth did not start:"; tail -30 "$W/app.log"; exit 1; }
curl -s -u admin:$PASS -H "Content-Type: application/x-tar" --data-binary @"$W/busybox.tar" "$URL/api/images/import" | tee "$W/import.json"; echo; grep -q loaded "$W/import.json" || { tail -20 "$W/app.log"; exit 1; }

echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
s=$(date +%s%N)
for i in $(seq "$N"); do
  curl -sf -o /dev/null -u admin:$PASS -H 'Content-Type: application/json' \
    -d "{\"image\":\"bench/busybox:idle\",\"name\":\"idle-$i\",\"cmd\":[\"sleep\",\"3600\"],\"networkMode\":\"none\"}" "$URL/api/containers"
  curl -sf -o /dev/null -u admin:$PASS -X POST "$URL/api/containers/idle-$i/start"
done
e=$(date +%s%N)
RUNNING=$(curl -s -u admin:$PASS "$URL/api/containers" | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["state"]=="running"))')
printf "%s containers created and started over REST in %.1f s; %s running\n" "$N" "$(echo "($e-$s)/1000000000" | bc -l)" "$RUNNING"
sleep 5 # let them settle into idleness

stats() { # prints median and p95 in ms of 50 GETs of $1 (after 5 warm-ups)
  for i in 1 2 3 4 5; do curl -s -o /dev/null -u admin:$PASS "$URL$1"; done
  for i in $(seq 50); do curl -s -o /dev/null -w '%{time_total}\n' -u admin:$PASS "$URL$1"; done |
    sort -n | awk '{a[NR]=$1*1000} END {printf "median %.1f ms, p95 %.1f ms", a[int(NR/2)+1], a[int(NR*0.95)]}'
}
echo "| request, with $N idle containers | answer time (50 requests) |"
echo "|---|---|"
echo "| GET / (console page) | $(stats /) |"
echo "| GET /api/containers (the Containers screen's poll) | $(stats /api/containers) |"
echo "| GET /api/system/info | $(stats /api/system/info) |"
echo "Berth's JVM: $(ps -o rss= -p $APP | awk '{printf "%.0f MiB RSS", $1/1024}')"

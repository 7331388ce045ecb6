#!/usr/bin/env bash
# Berth on this machine, for newcomers and CI. Run as root on Debian 12.
#
#   deploy/local.sh start   install missing OS packages, build, start the console on http://localhost:8080
#   deploy/local.sh test    install missing OS packages (test ones too), run the whole test suite
#
# Packages come from deploy/packages/run.txt (and test.txt for `test`). Everything else (Maven itself,
# Java libraries, npm packages, PostgreSQL binaries) is fetched by the build from Maven Central and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# A package counts as present when dpkg has it, or (for toolchains installed another way) its command works.
present() {
  local pkg=$1
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' && return 0
  case "$pkg" in
    openjdk-17-jdk-headless) command -v javac >/dev/null && javac -version 2>&1 | grep -Eq 'javac (1[7-9]|[2-9][0-9])' ;;
    nodejs) command -v node >/dev/null ;;
    npm) command -v npm >/dev/null ;;
    gcc) command -v gcc >/dev/null ;;
    make) command -v make >/dev/null ;;
    *) return 1 ;;
  esac
}

install_packages() {
  local missing=() pkg
  for pkg in $(cat "$@" | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$'); do
    present "$pkg" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "Missing Debian packages: ${missing[*]}. Run this as root, or install them first." >&2
      exit 1
    fi
    log "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

case "$1" in
  start)
    install_packages deploy/packages/run.txt
    log "Building Berth"
    ./mvnw -B -q package -DskipTests
    log "Starting Berth on http://localhost:${QUARKUS_HTTP_PORT:-8080} (data in ${BERTH_DATA_DIR:-/var/lib/berth})"
    exec java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar
    ;;
  test)
    install_packages deploy/packages/run.txt deploy/packages/test.txt
    log "Running the whole test suite"
    exec ./mvnw -B verify
    ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# Makes sure the interop tier's outside parts are on this machine, and prints where the jars are.
#
#  * a JDK (javac, java and jar, 17 or newer): installed with apt when missing;
#  * Hadoop's client jars from the `pyspark` PyPI source distribution (pyspark-sdist.sh fetches
#    it once), extracted once under ~/.cache/spindle/ (later runs reuse the cache).
#
# Idempotent and safe to run concurrently (a lock serialises the download).
# Prints one line on stdout: the folder holding the jars.
set -euo pipefail

PYSPARK_VERSION="${SPINDLE_PYSPARK_VERSION:-4.3.0}"
CACHE="${SPINDLE_CACHE_DIR:-$HOME/.cache/spindle}"
JARS="$CACHE/pyspark-$PYSPARK_VERSION/jars"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$CACHE"

log() { echo "interop-deps: $*" >&2; }

if ! command -v javac >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1; then
  log "no JDK found: installing openjdk-17-jdk-headless with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openjdk-17-jdk-headless >&2
fi

exec 9>"$CACHE/.interop-deps.lock"
flock -w 900 9 || { log "timed out waiting for another download to finish"; exit 1; }

if [ ! -f "$JARS/.complete" ]; then
  tarball="$(bash "$here/pyspark-sdist.sh")"
  log "extracting Hadoop client jars"
  tmp="$(mktemp -d "$CACHE/extract.XXXXXX")"
  tar xzf "$tarball" -C "$tmp" --wildcards \
    '*/deps/jars/hadoop-client-api-*.jar' '*/deps/jars/hadoop-client-runtime-*.jar' '*/deps/jars/slf4j-api-*.jar'
  mkdir -p "$JARS"
  find "$tmp" -name '*.jar' -exec mv -f {} "$JARS/" \;
  rm -rf "$tmp"
  touch "$JARS/.complete"
fi
echo "$JARS"

#!/usr/bin/env bash
# Makes sure a Spark distribution (the one inside the `pyspark` PyPI source distribution) is on
# this machine, and prints its SPARK_HOME.
#
#  * runs scripts/interop-deps.sh first (JDK, Hadoop client jars), and pyspark-sdist.sh for the
#    sdist itself (downloaded once);
#  * extracts the sdist's `deps/bin`, `deps/sbin` and `deps/jars` (what `spark-submit` needs)
#    once into ~/.cache/spindle/pyspark-<version>/spark/ (later runs reuse it).
#
# Idempotent and safe to run concurrently (a lock serialises the extraction; a `.complete`
# marker is written last, so a half-done extraction is redone).
# Prints one line on stdout: SPARK_HOME.
set -euo pipefail

PYSPARK_VERSION="${SPINDLE_PYSPARK_VERSION:-4.3.0}"
CACHE="${SPINDLE_CACHE_DIR:-$HOME/.cache/spindle}"
SPARK_HOME_DIR="$CACHE/pyspark-$PYSPARK_VERSION/spark"
here="$(cd "$(dirname "$0")" && pwd)"

log() { echo "spark-deps: $*" >&2; }

# The JDK and the Hadoop jars (its stdout, the jar folder, is not ours to print).
bash "$here/interop-deps.sh" >/dev/null

mkdir -p "$CACHE"
exec 9>"$CACHE/.spark-deps.lock"
flock -w 900 9 || { log "timed out waiting for another extraction to finish"; exit 1; }

if [ ! -f "$SPARK_HOME_DIR/.complete" ]; then
  tarball="$(bash "$here/pyspark-sdist.sh")"
  log "extracting the Spark distribution from pyspark==$PYSPARK_VERSION (once)"
  tmp="$(mktemp -d "$CACHE/spark-extract.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  tar xzf "$tarball" -C "$tmp" --wildcards '*/deps/bin/*' '*/deps/sbin/*' '*/deps/jars/*'
  deps="$(find "$tmp" -mindepth 2 -maxdepth 2 -type d -name deps | head -n 1)"
  if [ -z "$deps" ] || [ ! -x "$deps/bin/spark-submit" ] || [ ! -d "$deps/jars" ]; then
    log "the sdist has no deps/bin/spark-submit or deps/jars"
    exit 1
  fi
  mkdir -p "$deps/conf"
  rm -rf "$SPARK_HOME_DIR"
  mkdir -p "$(dirname "$SPARK_HOME_DIR")"
  mv "$deps" "$SPARK_HOME_DIR"
  touch "$SPARK_HOME_DIR/.complete"
fi
echo "$SPARK_HOME_DIR"

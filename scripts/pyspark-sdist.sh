#!/usr/bin/env bash
# Makes sure the `pyspark` PyPI source distribution (which carries Hadoop's client jars and a whole
# Spark distribution) is in ~/.cache/spindle/downloads/, downloading it once, and prints its path.
# Used by interop-deps.sh and spark-deps.sh; safe to run concurrently (a lock serialises the
# download, and a truncated file is fetched again).
set -euo pipefail

PYSPARK_VERSION="${SPINDLE_PYSPARK_VERSION:-4.3.0}"
CACHE="${SPINDLE_CACHE_DIR:-$HOME/.cache/spindle}"
tarball="$CACHE/downloads/pyspark-$PYSPARK_VERSION.tar.gz"
mkdir -p "$CACHE/downloads"

exec 8>"$CACHE/.pyspark-sdist.lock"
flock -w 900 8 || { echo "pyspark-sdist: timed out waiting for another download" >&2; exit 1; }

if [ ! -s "$tarball" ] || ! gzip -t "$tarball" 2>/dev/null; then
  echo "pyspark-sdist: downloading pyspark==$PYSPARK_VERSION (about 456 MB, once)" >&2
  rm -f "$tarball"
  python3 -m pip download --quiet --no-deps --no-binary :all: "pyspark==$PYSPARK_VERSION" \
    -d "$CACHE/downloads" >&2
fi
echo "$tarball"

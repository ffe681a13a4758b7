#!/usr/bin/env bash
# Makes sure the `yarn-api-client` Python package (PyPI; the REST client of YARN's
# ResourceManager and NodeManager that Jupyter Enterprise Gateway and many scripts use) is
# installed in a virtual environment under ~/.cache/spindle/, and prints the environment's folder.
#
#  * python3 with its venv module: installed with apt when missing;
#  * the package, pinned (SPINDLE_YARN_API_CLIENT_VERSION, default 1.0.3), installed once with pip.
#
# Idempotent and safe to run concurrently (a lock serialises the install).
set -euo pipefail

VERSION="${SPINDLE_YARN_API_CLIENT_VERSION:-1.0.3}"
CACHE="${SPINDLE_CACHE_DIR:-$HOME/.cache/spindle}"
VENV="$CACHE/python/yarn-api-client-$VERSION"
mkdir -p "$CACHE/python"

log() { echo "yarn-api-client: $*" >&2; }

if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
  log "no python3 with venv found: installing python3 and python3-venv with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq python3 python3-venv >&2
fi

exec 9>"$CACHE/python/.yarn-api-client.lock"
flock -w 600 9 || { log "timed out waiting for another install to finish"; exit 1; }

if [ ! -f "$VENV/.complete" ]; then
  log "installing yarn-api-client==$VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "yarn-api-client==$VERSION" >&2
  touch "$VENV/.complete"
fi
echo "$VENV"

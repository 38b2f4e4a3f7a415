#!/usr/bin/env bash
# setup.sh: installs everything sigil's main job and test suite need on a fresh machine:
# the npm packages (including the pinned Node 24) and the interop peers from Debian's packages.
# Idempotent and quick when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
bash scripts/install-peers.sh

#!/usr/bin/env bash
# setup.sh: installs everything sigil's main job and test suite need on a fresh machine:
# the npm packages (including the pinned Node 24), the CLI bundle, and the interop peers from Debian's packages.
# Idempotent and quick when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
# the CLI bundle bin/sigil runs while it matches the sources (src/cli/launch.ts), then one run to
# warm Node's compile cache for it, and one with each set of V8 flags bin/sigil gives `sigil
# server` (the flags are part of the cache's key): with a cold cache Node loads its TypeScript
# stripper to run src/cli/launch.ts, about 11 MiB of memory a server then keeps while it runs
node_modules/.bin/node scripts/build-cli.ts
bin/sigil version >/dev/null
bin/sigil server --help >/dev/null
bin/sigil server --only registry --help >/dev/null
bash scripts/install-peers.sh

#!/usr/bin/env bash
# quickstart.sh: installs what it needs, then runs sigil's main job on the embedded default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec bash scripts/demo.sh "$@"

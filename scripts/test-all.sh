#!/usr/bin/env bash
# test-all.sh: installs what the tests need, then runs the whole suite (type check, unit,
# server and interop tests against the real peers). This is what CI runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec npm test

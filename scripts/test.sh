#!/usr/bin/env bash
# The README's second command: install what is missing, build, run the whole test suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VSR_BUILD_DIR:-$root/build}
"$root/scripts/build.sh" -DVSR_BUILD_TESTS=ON
cd "$build"
ctest --output-on-failure -j 2 --timeout 900

#!/usr/bin/env bash
# The README's first command: install what is missing, build, upscale the sample clip x2.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" -DVSR_BUILD_TESTS=OFF
"$root/scripts/run-demo.sh" "$@"

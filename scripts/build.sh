#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds vsr into build/ (or $VSR_BUILD_DIR).
# Extra arguments go to CMake (e.g. -DVSR_BUILD_TRAIN=OFF).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VSR_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
# Two jobs: one LibTorch translation unit takes ~1.2 GB and ~30 s to compile.
cmake --build "$build" -j "${VSR_JOBS:-2}"

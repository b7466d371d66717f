#!/usr/bin/env bash
# The project's GPU check, in two halves because the lent GPU machine has no oneDNN, ONNX or GTest:
#   scripts/gpu-check.sh prepare   here (Debian, no GPU): builds the CUDA test binary for sm_90 into
#                                  out/gpu-check/ (an ignored folder the device tool can carry)
#   scripts/gpu-check.sh run       on the GPU machine: runs every CUDA twin test (each kernel against
#                                  its CPU reference) and prints a summary; full logs under $OUT
# Device call (see ../shared/device/README.md):
#   run(command="scripts/gpu-check.sh run", carry=["out/gpu-check"], timeout_s=300)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stage=$root/out/gpu-check

case "${1:-}" in
  prepare)
    build=$root/build-gpu-check
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVSR_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
      -DVSR_BUILD_TRAIN=OFF -DVSR_BUILD_PLUGIN=OFF -DVSR_BUILD_SAMPLES=OFF -DVSR_BUILD_FUZZ=OFF >/dev/null
    ninja -C "$build" vsr_cuda_tests
    rm -rf "$stage"
    mkdir -p "$stage"
    cp "$build/tests/vsr_cuda_tests" "$stage/"
    git -C "$root" rev-parse --short HEAD >"$stage/commit"
    echo "staged in $stage ($(du -sh "$stage" | cut -f1)); carry out/gpu-check"
    ;;
  run)
    out=${OUT:-$root/out/gpu-check-results}
    mkdir -p "$out"
    [[ -x "$stage/vsr_cuda_tests" ]] || { echo "gpu-check: run 'scripts/gpu-check.sh prepare' first and carry out/gpu-check" >&2; exit 2; }
    # cuDNN comes with the machine's PyTorch wheel.
    cudnn=$(python3 -c 'import nvidia.cudnn, os; print(os.path.dirname(nvidia.cudnn.__file__))' 2>/dev/null || true)
    [[ -n "$cudnn" ]] && export LD_LIBRARY_PATH="$cudnn/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt" || true
    status=0
    "$stage/vsr_cuda_tests" --gtest_output="json:$out/cuda_tests.json" >"$out/cuda_tests.log" 2>&1 || status=$?
    echo "== CUDA twin tests (commit $(cat "$stage/commit")): exit $status"
    grep -E "^\[  (PASSED|FAILED|SKIPPED) |tests ran|Failure|Expected|Which is|actual" "$out/cuda_tests.log" | head -60
    exit $status
    ;;
  *)
    sed -n 2,9p "$0"
    exit 2
    ;;
esac

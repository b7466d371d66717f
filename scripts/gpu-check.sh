#!/usr/bin/env bash
# The project's GPU check, in two halves because the lent GPU machine has no oneDNN, ONNX or GTest:
#   scripts/gpu-check.sh prepare   here (Debian, no GPU): builds the CUDA tests and vsr-bench for sm_90
#                                  into out/gpu-check/ with the Debian libraries the GPU machine lacks
#                                  (oneDNN, ONNX, protobuf; ~50 MB), an ignored folder the device tool carries
#   scripts/gpu-check.sh run       on the GPU machine: every CUDA test (each kernel against its CPU
#                                  reference, the engine's CUDA backend against its CPU backend), then
#                                  vsr-bench --backend cuda beside ONNX Runtime's CUDA provider on the same
#                                  files and sizes; a summary last, full logs under $OUT
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
    ninja -C "$build" vsr_cuda_tests vsr-bench
    rm -rf "$stage"
    mkdir -p "$stage/lib"
    cp "$build/tests/vsr_cuda_tests" "$build/tools/vsr-bench" "$stage/"
    # Shared libraries of the binaries that are neither the C runtime nor CUDA's (the machine has those).
    ldd "$stage/vsr_cuda_tests" "$stage/vsr-bench" | awk '/=> \// {print $3}' | sort -u |
      grep -Ev '/lib(c|m|dl|rt|pthread|gcc_s|stdc\+\+|cudart|cudnn)\.so' | xargs -I{} cp -L {} "$stage/lib/"
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
    export VSR_MODEL_PATH="$root/models/zoo"
    run_ours() { LD_LIBRARY_PATH="$stage/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"; }
    status=0
    (cd "$root" && run_ours "$stage/vsr_cuda_tests" --gtest_output="json:$out/cuda_tests.json") >"$out/cuda_tests.log" 2>&1 || status=$?
    echo "== CUDA tests (commit $(cat "$stage/commit")): exit $status"
    grep -E "^\[  (PASSED|FAILED|SKIPPED) |tests ran|Failure|Expected|Which is|actual" "$out/cuda_tests.log" | head -60
    echo "== speed: vsr-bench --backend cuda (network only and I420 frame path) beside ONNX Runtime (CUDA provider)"
    for model in models/zoo/espcn_x2.onnx tests/fixtures/srvgg_compact_like.onnx tests/fixtures/rrdb_like.onnx; do
      for precision in fp16 fp32; do
        (cd "$root" && run_ours "$stage/vsr-bench" --backend cuda --precision "$precision" --model "$model" \
          --size 960x540 --size 1920x1080 --runs 20 --warmup 5 --json) >"$out/bench_$(basename "$model" .onnx)_$precision.json" \
          2>>"$out/bench.log" || echo "vsr-bench failed on $model $precision (see bench.log)"
      done
      (cd "$root" && python3 scripts/bench/ort_gpu_peer.py --model "$model" --size 960x540 --size 1920x1080) \
        >"$out/ort_$(basename "$model" .onnx).jsonl" 2>>"$out/bench.log" || echo "ONNX Runtime peer failed on $model"
    done
    python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
print(f"{'model':28} {'input':10} {'vsr fp16 net':>13} {'vsr fp32 net':>13} {'vsr fp16 frame':>15} {'ORT CUDA net':>13}")
rows = {}
for f in sorted(glob.glob(os.path.join(out, "bench_*.json"))):
    prec = f.rsplit("_", 1)[1][:-5]
    try:
        results = json.load(open(f))["results"]
    except (ValueError, KeyError):
        continue  # that run failed: bench.log says why
    for r in results:
        rows.setdefault((os.path.basename(r["model"]), r["input"]), {})[prec] = r
for f in sorted(glob.glob(os.path.join(out, "ort_*.jsonl"))):
    for line in open(f):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        rows.setdefault((os.path.basename(r["model"]), r["input"]), {})["ort"] = r
fmt = lambda v: f"{v:.2f} ms" if isinstance(v, (int, float)) else "-"
for (model, size), d in sorted(rows.items()):
    g = lambda k, f: d.get(k, {}).get(f)
    print(f"{model:28} {size:10} {fmt(g('fp16', 'network_ms_median')):>13} {fmt(g('fp32', 'network_ms_median')):>13} "
          f"{fmt(g('fp16', 'frame_path_ms_median')):>15} {fmt(g('ort', 'network_ms_median')):>13}")
PY
    exit $status
    ;;
  *)
    sed -n 2,9p "$0"
    exit 2
    ;;
esac

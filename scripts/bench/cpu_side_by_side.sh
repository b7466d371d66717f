#!/usr/bin/env bash
# CPU speed and quality of the shipped model beside its peers, in one run on one machine:
#   vsr engine (vsr-bench), ONNX Runtime on the same ONNX file, OpenCV dnn_superres peer models.
# Usage: scripts/bench/cpu_side_by_side.sh [SHARED_DIR] [ORT_DIR]
#   SHARED_DIR: ../shared (datasets and peers); ORT_DIR: a folder with node_modules/onnxruntime-node
#   (npm install --ignore-scripts onnxruntime-node@1.30.0, outside the project). Missing peers are
#   reported as skipped, never silently left out.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${1:-$root/../shared}
ort_dir=${2:-}
build=${VSR_BUILD_DIR:-$root/build}
threads=${VSR_BENCH_THREADS:-2}
runs=${VSR_BENCH_RUNS:-10}
model=$root/models/zoo/espcn_x2.onnx

echo "# $(date -u +%F) $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "## quality (Set5 x2, standard protocol)"
"$build/eval/vsr-eval" --bicubic --scale 2 --data "$shared/datasets/Set5" | tail -1 | sed 's/^/bicubic /'
"$build/eval/vsr-eval" --model "$model" --data "$shared/datasets/Set5" | tail -1 | sed 's/^/espcn_x2 /'
echo "## speed ($threads threads, median of $runs runs after warm-up)"
for size in 960x540 480x270; do
  "$build/tools/vsr-bench" --model "$model" --size "$size" --threads "$threads" --runs "$runs" --format I420
  if [[ -n "$ort_dir" && -d "$ort_dir/node_modules/onnxruntime-node" ]]; then
    (cd "$ort_dir" && NODE_PATH="$ort_dir/node_modules" node "$shared/peers/ort_bench.js" "$model" "$size" "$threads" "$runs")
  else
    echo "onnxruntime: skipped (no ORT_DIR with onnxruntime-node given)"
  fi
  if /usr/bin/python3 -c 'import cv2; cv2.dnn_superres' 2>/dev/null; then
    /usr/bin/python3 "$root/scripts/bench/opencv_peers.py" --shared "$shared" --data "$shared/datasets/Set5" \
      --size "$size" --threads "$threads" --runs "$runs"
  else
    echo "opencv dnn_superres: skipped (python3-opencv not installed)"
  fi
done

#!/usr/bin/env bash
# What data loading costs a real-world training run: vsr-train with the 'video' degradation (Real-ESRGAN's
# second-order pipeline ending in H.264, made per patch on the CPU) on T91 + BSD200, SRVGG 32x6 x2,
# batch 16 of 32x32 LR patches. Runs of SHORT and LONG iterations: their difference over LONG - SHORT is
# the time per iteration; the short run minus SHORT iterations is the start-up (decoding and resizing
# the 291 images three times, the model). Three repeats, medians.
# Usage: scripts/bench/data_loading.sh BUILD_DIR TRAIN_THREADS [LOADER_THREADS]
#   (LOADER_THREADS only for builds that have --loader-threads)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 threads=$2 loader=${3:-}
data=$root/../shared/datasets
short=2 long=12
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_seconds() {  # iterations -> wall seconds of one run
  rm -rf "$tmp/run"
  local t0 t1
  t0=$(date +%s.%N)
  "$build/train/vsr-train" --data "$data/T91" --data "$data/BSD200" --arch srvgg --features 32 6 --scale 2 \
      --degradation video --iterations "$1" --batch 16 --patch 32 --threads "$threads" ${loader:+--loader-threads "$loader"} \
      --checkpoint-every 100000 --out "$tmp/run" > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

per=() startup=()
for repeat in 1 2 3; do
  a=$(run_seconds $short)
  b=$(run_seconds $long)
  p=$(echo "($b - $a) / ($long - $short)" | bc -l)
  per+=("$p")
  startup+=("$(echo "$a - $short * $p" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
p=$(median "${per[@]}")
printf 'build %s, threads %s, loader threads %s: start-up %.1f s, %.3f s per iteration, %.0f patches/s\n' \
  "$build" "$threads" "${loader:-(none)}" "$(median "${startup[@]}")" "$p" "$(echo "16 / $p" | bc -l)"

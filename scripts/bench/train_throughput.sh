#!/usr/bin/env bash
# Training throughput (patches/s) of every vsr-train architecture on this machine: x2, batch 16 of
# 32x32 LR patches, L1, Adam, T91, with the CPU-sized features below (the defaults of the big
# architectures are GPU-sized). Each architecture runs SHORT and LONG iterations in one process each;
# the difference of the two wall-clock times is the training loop alone (start-up, data loading and
# the final export cancel out). Three repeats, median. Prints a Markdown table.
# Usage: scripts/bench/train_throughput.sh [build-dir] [threads]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
threads=${2:-2}
data=$root/../shared/datasets/T91
short=3 long=13 batch=16
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_seconds() {  # arch features... -> wall seconds of one run of $iterations
  local arch=$1; shift
  rm -rf "$tmp/run"
  local t0 t1
  t0=$(date +%s.%N)
  "$build/train/vsr-train" --data "$data" --arch "$arch" --features "$@" --scale 2 --iterations "$iterations" \
      --batch $batch --patch 32 --threads "$threads" --checkpoint-every 100000 --out "$tmp/run" \
      --export "$tmp/run/m.onnx" > "$tmp/log" 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

echo "| architecture (features) | parameters | s per iteration (median of 3) | patches/s |"
echo "|---|---|---|---|"
while read -r arch features; do
  [ -z "$arch" ] && continue
  per=()
  for repeat in 1 2 3; do
    iterations=$short; a=$(run_seconds "$arch" $features)
    iterations=$long; b=$(run_seconds "$arch" $features)
    per+=("$(echo "($b - $a) / ($long - $short)" | bc -l)")
  done
  median=$(printf '%s\n' "${per[@]}" | sort -g | sed -n 2p)
  params=$("$build/samples/vsr-upscale" --model "$tmp/run/m.onnx" --describe 2>/dev/null | sed -n 's/.*parameters[: ]*\([0-9,]*\).*/\1/p' | head -1)
  printf '| %s (%s) | %s | %.3f | %.0f |\n' "$arch" "$features" "${params:-?}" "$median" "$(echo "$batch / $median" | bc -l)"
done <<'LIST'
espcn 64 32
fsrcnn 56 12 4
srvgg 32 6
srcnn 64 32
vdsr 64 10
edsr 64 8
rcan 64 2 4 16
carn 64 0
carn 64 1
srresnet 64 8
rrdb 32 2 16
rdn 32 4 4 16
drn 16 4
spsr 32 8
cdc 32 8
irn 32 4
LIST

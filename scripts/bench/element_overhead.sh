#!/usr/bin/env bash
# vsrupscale's cost over the engine alone: the same model, frame size, format and thread count through
#   gst-launch-1.0 videotestsrc ! video/x-raw,format=I420,width=W,height=H ! vsrupscale ! fakesink
# and through vsr-bench's frame path (Engine::push on an I420 frame: colour conversion + network).
# The pipeline's per-frame time is the difference between a long and a short run (N and N/4 frames),
# which cancels start-up (model load, negotiation). REPEATS rounds interleave the two measurements;
# each side's figure is the median over the rounds. Both sides see random pixels (vsr-bench's frame
# is random bytes; videotestsrc draws snow): content changes the cost (smooth frames ran ~10% faster
# than noise here). videotestsrc draws its snow in the same thread, so the overhead reported includes
# that: an upper bound on the element's own cost.
# Usage: scripts/bench/element_overhead.sh [MODEL] [WxH]   (default espcn_x2 960x540)
#   VSR_BUILD_DIR (default build), VSR_BENCH_THREADS (2), VSR_BENCH_FRAMES (60), VSR_BENCH_REPEATS (7)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${VSR_BUILD_DIR:-$root/build}
model=${1:-espcn_x2}
size=${2:-960x540}
threads=${VSR_BENCH_THREADS:-2}
frames=${VSR_BENCH_FRAMES:-60}
repeats=${VSR_BENCH_REPEATS:-7}
w=${size%x*}
h=${size#*x}
export GST_PLUGIN_PATH="$build/plugin"
export GST_REGISTRY="${GST_REGISTRY:-$build/gst-registry.bin}"

# Wall-clock seconds of one pipeline run over `n` frames.
pipeline_seconds() {
  local n=$1 start end
  start=$(date +%s.%N)
  gst-launch-1.0 -q videotestsrc num-buffers="$n" pattern=snow \
    ! "video/x-raw,format=I420,width=$w,height=$h,framerate=25/1" \
    ! vsrupscale model="$model" threads="$threads" ! fakesink sync=false >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {print b - a}' 
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# model $model, $size I420 -> x scale, $threads threads; $repeats interleaved rounds of: vsr-bench" \
  "(median of 20 frames), pipeline over $frames and $((frames / 4)) frames"
pipeline_seconds 4 >/dev/null  # warm-up: registry, page cache
engine=() element=()
for _ in $(seq "$repeats"); do
  # Interleaved, so that a slow spell of a shared machine hits both sides alike.
  engine+=("$("$build/tools/vsr-bench" --json --model "$model" --size "$size" --threads "$threads" --runs 20 \
    --warmup 3 --format I420 | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["frame_path_ms_median"])')")
  short=$(pipeline_seconds $((frames / 4)))
  long=$(pipeline_seconds "$frames")
  element+=("$(awk -v l="$long" -v s="$short" -v n="$((frames - frames / 4))" 'BEGIN {print (l - s) * 1000 / n}')")
done
engine_ms=$(printf '%s\n' "${engine[@]}" | median)
element_ms=$(printf '%s\n' "${element[@]}" | median)
echo "# rounds, engine ms: ${engine[*]}"
echo "# rounds, element ms: ${element[*]}"
printf 'engine alone (vsr-bench frame path): %.2f ms/frame (median of rounds)\n' "$engine_ms"
printf 'videotestsrc ! vsrupscale ! fakesink: %.2f ms/frame (median of rounds)\n' "$element_ms"
printf 'element overhead: %+.1f%%\n' "$(awk -v e="$element_ms" -v g="$engine_ms" 'BEGIN {print (e / g - 1) * 100}')"

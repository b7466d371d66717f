#!/usr/bin/env bash
# vsr-transcode's end-to-end speed against the engine alone on the same clip, and against FFmpeg's
# classical lanczos upscale (step 7's benchmark). On one clip (default: the shipped sample), REPEATS
# interleaved rounds of:
#   engine     vsr-bench's frame path (I420 frame -> colour conversion + network), median of 20 frames
#   y4m        vsr-transcode CLIP - > /dev/null: decode + engine + y4m writing, no encoder
#   x264       vsr-transcode CLIP out.mkv -c libx264 -o preset=veryfast: the whole job (segments, mux)
#   lanczos    ffmpeg -vf scale=iw*S:ih*S:flags=lanczos -c:v libx264 -preset veryfast: the classical baseline
# Every figure is frames per second over the whole clip, start-up included (model load, probing),
# so the vsr-transcode rows are a lower bound; each side's figure is the median over the rounds.
# Usage: scripts/bench/transcode_throughput.sh [MODEL] [CLIP]   (default srvgg_x2 samples/cityCC0.mpg)
#   VSR_BUILD_DIR (default build), VSR_BENCH_THREADS (2), VSR_BENCH_REPEATS (3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${VSR_BUILD_DIR:-$root/build}
model=${1:-srvgg_x2}
clip=${2:-$root/samples/cityCC0.mpg}
threads=${VSR_BENCH_THREADS:-2}
repeats=${VSR_BENCH_REPEATS:-3}
transcode="$build/pipelines/transcode/vsr-transcode"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

read -r w h frames < <(ffprobe -v error -select_streams v:0 -count_frames \
  -show_entries stream=width,height,nb_read_frames -of csv=p=0 "$clip" | tr ',' ' ')
scale=$("$build/tools/vsr-bench" --json --model "$model" --size 64x64 --runs 1 --warmup 0 |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0].get("scale", 2))' 2>/dev/null || echo 2)

seconds() {  # wall-clock seconds of a command
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {print b - a}'
}
fps() { awk -v n="$frames" -v s="$1" 'BEGIN {printf "%.2f", n / s}'; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
to_y4m() { "$transcode" "$clip" - -m "$model" --threads "$threads" --progress none > /dev/null; }
to_x264() {
  rm -rf "$scratch/out.mkv" "$scratch/out.mkv.vsr-work"
  "$transcode" "$clip" "$scratch/out.mkv" -m "$model" --threads "$threads" -c libx264 -o preset=veryfast --progress none
}
lanczos() {
  ffmpeg -nostdin -v error -y -i "$clip" -vf "scale=iw*$scale:ih*$scale:flags=lanczos" -c:v libx264 -preset veryfast \
    -c:a copy "$scratch/lanczos.mkv"
}

echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(basename "$clip") ${w}x${h}, $frames frames, model $model (x$scale), $threads engine threads, $repeats interleaved rounds"
to_y4m 2>/dev/null  # warm-up: page cache, model file
engine=() y4m=() x264=() classic=()
for _ in $(seq "$repeats"); do
  ms=$("$build/tools/vsr-bench" --json --model "$model" --size "${w}x${h}" --threads "$threads" --runs 20 --warmup 3 \
    --format I420 | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["frame_path_ms_median"])')
  engine+=("$(awk -v m="$ms" 'BEGIN {printf "%.2f", 1000 / m}')")
  y4m+=("$(fps "$(seconds to_y4m)")")
  x264+=("$(fps "$(seconds to_x264)")")
  classic+=("$(fps "$(seconds lanczos)")")
done
e=$(printf '%s\n' "${engine[@]}" | median)
y=$(printf '%s\n' "${y4m[@]}" | median)
x=$(printf '%s\n' "${x264[@]}" | median)
l=$(printf '%s\n' "${classic[@]}" | median)
echo "| path | fps (median) | rounds | of the engine alone |"
echo "|---|---|---|---|"
echo "| engine alone (vsr-bench frame path, I420) | $e | ${engine[*]} | 100% |"
echo "| vsr-transcode → y4m (decode + engine, no encoder) | $y | ${y4m[*]} | $(awk -v a="$y" -v b="$e" 'BEGIN {printf "%.0f%%", 100 * a / b}') |"
echo "| vsr-transcode → libx264 veryfast, Matroska | $x | ${x264[*]} | $(awk -v a="$x" -v b="$e" 'BEGIN {printf "%.0f%%", 100 * a / b}') |"
echo "| ffmpeg lanczos x$scale → libx264 veryfast | $l | ${classic[*]} | — |"

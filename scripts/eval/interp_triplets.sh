#!/usr/bin/env bash
# Held-back interpolation triplets and FFmpeg's minterpolate on them, for vsr-eval-interp.
#   scripts/eval/interp_triplets.sh [VIDEO_DIR] [OUT_DIR] [STEP]
# For each video: the last 15% of its decoded frames are held back from training (vsr-train-interp
# never reads them); every STEP-th frame k there starts a triplet (k, k+1, k+2), written as three PNGs
# in OUT_DIR/triplets/<video>_<k>/. OUT_DIR/minterpolate/<video>_<k>.png is FFmpeg's motion-compensated
# interpolation (minterpolate mi_mode=mci, its best mode) of frame k+1, run as 2x of the half-rate
# stream k-2, k, k+2, k+4 (it needs neighbours on both sides; our models see only k and k+2).
set -euo pipefail
videos=${1:-../shared/datasets/video}
out=${2:-out/interp-eval}
step=${3:-10}
mkdir -p "$out/triplets" "$out/minterpolate"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for video in "$videos"/*; do
  name=$(basename "${video%.*}")
  rm -rf "$scratch/all" && mkdir -p "$scratch/all"
  ffmpeg -nostdin -v error -i "$video" -fps_mode passthrough -start_number 0 "$scratch/all/%05d.png"
  frames=$(ls "$scratch/all" | wc -l)
  first=$(( frames * 85 / 100 ))
  made=0
  for (( k = first; k + 4 < frames; k += step )); do
    (( k >= 2 )) || continue
    t="$out/triplets/${name}_$(printf %05d $k)"
    mkdir -p "$t"
    for i in 0 1 2; do cp "$scratch/all/$(printf %05d $((k + i))).png" "$t/frame_$i.png"; done
    rm -rf "$scratch/pair" && mkdir -p "$scratch/pair"
    for i in 0 1 2 3; do cp "$scratch/all/$(printf %05d $((k - 2 + 2 * i))).png" "$scratch/pair/$i.png"; done
    # 1 fps -> 2 fps: output 3 is t = 1.5, between inputs 1 (frame k) and 2 (frame k+2).
    ffmpeg -nostdin -v error -framerate 1 -start_number 0 -i "$scratch/pair/%d.png" \
        -vf "minterpolate=fps=2:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1,select=eq(n\,3)" \
        -fps_mode passthrough -frames:v 1 -y "$out/minterpolate/$(basename "$t").png"
    made=$((made + 1))
  done
  echo "$name: $frames frames decoded, $made triplets from frame $first every $step" >&2
done

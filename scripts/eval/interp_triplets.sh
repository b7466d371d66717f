#!/usr/bin/env bash
# Held-back interpolation samples and FFmpeg's minterpolate on them, for vsr-eval-interp.
#   scripts/eval/interp_triplets.sh [VIDEO_DIR] [OUT_DIR] [STEP] [GAP]
# For each video: the last 15% of its decoded frames are held back from training (vsr-train-interp
# never reads them); every STEP-th frame k there starts a sample (k, k+1, ..., k+GAP), written as
# GAP+1 PNGs in OUT_DIR/triplets/<video>_<k>/: GAP 2 (the default) makes triplets (the middle frame at
# t = 1/2), GAP 3 quadruplets (t = 1/3 and 2/3, as 24 -> 60 fps and other non-doubling rates need).
# OUT_DIR/minterpolate/<video>_<k>.png (GAP 2) or <video>_<k>_t<i>.png is FFmpeg's motion-compensated
# interpolation (minterpolate mi_mode=mci, its best mode) of the inner frames, run as GAP x the rate of
# the stream k-GAP, k, k+GAP, k+2*GAP (it needs neighbours on both sides; our models see only k and
# k+GAP).
set -euo pipefail
videos=${1:-../shared/datasets/video}
out=${2:-out/interp-eval}
step=${3:-10}
gap=${4:-2}
(( gap >= 2 )) || { echo "interp_triplets.sh: GAP must be 2 or more" >&2; exit 2; }
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
  for (( k = first; k + 2 * gap < frames; k += step )); do
    (( k >= gap )) || continue
    t="$out/triplets/${name}_$(printf %05d $k)"
    mkdir -p "$t"
    for (( i = 0; i <= gap; i++ )); do cp "$scratch/all/$(printf %05d $((k + i))).png" "$t/frame_$i.png"; done
    rm -rf "$scratch/pair" && mkdir -p "$scratch/pair"
    for i in 0 1 2 3; do cp "$scratch/all/$(printf %05d $((k - gap + gap * i))).png" "$scratch/pair/$i.png"; done
    # 1 fps -> GAP fps: output GAP + i is t = i / GAP between inputs 1 (frame k) and 2 (frame k+GAP).
    for (( i = 1; i < gap; i++ )); do
      made_name=$(basename "$t")
      (( gap == 2 )) || made_name="${made_name}_t$i"
      ffmpeg -nostdin -v error -framerate 1 -start_number 0 -i "$scratch/pair/%d.png" \
          -vf "minterpolate=fps=$gap:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1,select=eq(n\,$((gap + i)))" \
          -fps_mode passthrough -frames:v 1 -y "$out/minterpolate/$made_name.png"
    done
    made=$((made + 1))
  done
  echo "$name: $frames frames decoded, $made samples of $((gap + 1)) frames from frame $first every $step" >&2
done

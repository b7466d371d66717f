#!/usr/bin/env bash
# Frames of real, compressed videos for vsr-eval --real (shown in its HTML report, with no HR to score).
#   scripts/eval/real_frames.sh [VIDEO_DIR] [OUT_DIR] [PER_VIDEO]
# For each video: PER_VIDEO frames spread evenly through it, each at the middle of one of PER_VIDEO
# equal parts (so never the first frame, often black or a fade), written as decoded, with their
# compression artefacts, to OUT_DIR/<video>_<frame, %05d>.png. Frame numbers count decoded frames
# from 0, as in scripts/eval/interp_triplets.sh.
# Note: these frames come from the whole video, so they may include frames that vsr-train-video and
# vsr-train-interp train on (everything before the held-back last 15%): fine for a look at
# compression artefacts, not for a claim about unseen footage.
set -euo pipefail
videos=${1:-../shared/datasets/video}
out=${2:-out/real-frames}
per_video=${3:-2}
[[ "$per_video" =~ ^[1-9][0-9]*$ ]] ||
  { echo "real_frames.sh: PER_VIDEO must be a positive whole number, got '$per_video'" >&2; exit 1; }
[[ -d "$videos" ]] || { echo "real_frames.sh: no video folder '$videos'" >&2; exit 1; }
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for video in "$videos"/*; do
  [[ -f "$video" ]] || continue
  name=$(basename "${video%.*}")
  # Decoded frames, counted by decoding (container headers can be wrong: tree.avi claims 444, has 68).
  frames=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames \
             -of default=noprint_wrappers=1:nokey=1 "$video" | head -1)
  [[ "$frames" =~ ^[0-9]+$ && "$frames" -gt 0 ]] || { echo "real_frames.sh: no video frames in '$video'" >&2; exit 1; }
  picks=()
  select=""
  for (( i = 0; i < per_video; i++ )); do
    k=$(( (2 * i + 1) * frames / (2 * per_video) ))
    [[ " ${picks[*]} " == *" $k "* ]] && continue  # a short video: fewer distinct frames than asked
    picks+=("$k")
    select+="${select:++}eq(n\\,$k)"
  done
  # One decode per video; the selected frames come out numbered 1, 2, ... in order, then get their names.
  rm -f "$scratch"/*.png
  ffmpeg -nostdin -v error -i "$video" -map 0:v:0 -vf "select=$select" -fps_mode passthrough "$scratch/%d.png"
  for (( i = 0; i < ${#picks[@]}; i++ )); do
    [[ -f "$scratch/$((i + 1)).png" ]] || { echo "real_frames.sh: frame ${picks[$i]} of '$video' was not decoded" >&2; exit 1; }
    mv "$scratch/$((i + 1)).png" "$out/${name}_$(printf %05d "${picks[$i]}").png"
  done
  echo "$name: $frames frames decoded, kept ${picks[*]}" >&2
done

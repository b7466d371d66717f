#!/usr/bin/env bash
# Held-back test sequences for vsr-eval-video.
#   scripts/eval/video_sequences.sh [VIDEO_DIR] [OUT_DIR] [LENGTH]
# For each video: the last 15% of its decoded frames are held back from training (the same rule as
# scripts/eval/interp_triplets.sh: first held-back frame = frames*85/100). That tail is cut into
# consecutive, non-overlapping sequences of LENGTH frames, written as
# OUT_DIR/sequences/<video>_<first frame, %05d>/frame_%03d.png. A remainder shorter than LENGTH/2 is
# dropped (too short to say much about temporal behaviour); a tail shorter than LENGTH is used whole
# when it has at least 4 frames.
set -euo pipefail
videos=${1:-../shared/datasets/video}
out=${2:-out/video-eval}
length=${3:-12}
(( length >= 2 )) || { echo "video_sequences.sh: LENGTH must be at least 2, got $length" >&2; exit 1; }
mkdir -p "$out/sequences"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for video in "$videos"/*; do
  [[ -f "$video" ]] || continue
  name=$(basename "${video%.*}")
  rm -rf "$scratch/all" && mkdir -p "$scratch/all"
  ffmpeg -nostdin -v error -i "$video" -fps_mode passthrough -start_number 0 "$scratch/all/%05d.png"
  frames=$(ls "$scratch/all" | wc -l)
  first=$(( frames * 85 / 100 ))
  tail_frames=$(( frames - first ))
  made=0
  used=0
  for (( k = first; k < frames; k += length )); do
    n=$(( frames - k < length ? frames - k : length ))
    if (( n < length )); then
      # A short piece: kept whole when it is the entire tail (>= 4 frames), else only if >= LENGTH/2.
      if (( k == first )); then (( n >= 4 )) || break; else (( 2 * n >= length )) || break; fi
    fi
    s="$out/sequences/${name}_$(printf %05d "$k")"
    rm -rf "$s" && mkdir -p "$s"
    for (( i = 0; i < n; i++ )); do
      cp "$scratch/all/$(printf %05d $((k + i))).png" "$s/frame_$(printf %03d "$i").png"
    done
    made=$((made + 1))
    used=$((used + n))
  done
  echo "$name: $frames frames decoded, held back from $first ($tail_frames frames): $made sequences, $used frames" >&2
done

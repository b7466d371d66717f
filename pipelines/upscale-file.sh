#!/usr/bin/env bash
# Upscales a video file with vsrupscale and encodes H.264/MP4. The output is written under a temporary
# name and renamed only after EOS, so an interrupted run never leaves a truncated file behind.
#   pipelines/upscale-file.sh in.mp4 out.mp4 [srvgg_x2]
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 INPUT OUTPUT [MODEL]" >&2; exit 2; }
source "$(dirname "$0")/env.sh"
partial="$2.partial.mp4"
if ! gst-launch-1.0 -q filesrc location="$1" ! decodebin ! videoconvert ! vsrupscale model="${3:-srvgg_x2}" \
  ! videoconvert ! x264enc ! mp4mux ! filesink location="$partial"; then
  rm -f "$partial"
  echo "upscale-file: the pipeline failed; no output written" >&2
  exit 1
fi
mv "$partial" "$2"
echo "$1 -> $2"

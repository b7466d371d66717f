#!/usr/bin/env bash
# Upscales a video file and encodes H.264/MP4 at constant quality (x264 CRF, default 23; lower is better
# and bigger), every frame kept. Video only: audio is not copied. The output is written under a temporary
# name and renamed only after EOS, so an interrupted run never leaves a truncated file behind.
#   pipelines/file-x264.sh in.mp4 out.mp4 [srvgg_x2] [23]
# Elements: decodebin's demuxers/decoders (gstreamer1.0-plugins-good/-bad, gstreamer1.0-libav), x264enc
# (gstreamer1.0-plugins-ugly), mp4mux (gstreamer1.0-plugins-good).
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 INPUT OUTPUT [MODEL] [CRF]" >&2; exit 2; }
source "$(dirname "$0")/env.sh"
partial="$2.partial.mp4"
# pass=qual is x264's CRF mode: quantizer is the CRF value.
if ! gst-launch-1.0 -q filesrc location="$1" ! decodebin ! videoconvert ! vsrupscale model="${3:-srvgg_x2}" \
  ! videoconvert ! x264enc pass=qual quantizer="${4:-23}" speed-preset=medium ! mp4mux \
  ! filesink location="$partial"; then
  rm -f "$partial"
  echo "file-x264: the pipeline failed; no output written" >&2
  exit 1
fi
mv "$partial" "$2"
echo "$1 -> $2"

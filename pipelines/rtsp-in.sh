#!/usr/bin/env bash
# RTSP stream upscaled by the model: shown in a window, or with OUTPUT recorded to H.264/MP4. Recording
# runs with -e, so Ctrl-C sends EOS and mp4mux finalises the file; it is written under a temporary name
# and renamed once complete.
#   pipelines/rtsp-in.sh rtsp://camera/stream [espcn_x2] [out.mp4]
# Elements: rtspsrc (gstreamer1.0-plugins-good), decodebin's depayloaders/decoders (gstreamer1.0-plugins-good
# and gstreamer1.0-libav for H.264/H.265), autovideosink (gstreamer1.0-plugins-good), x264enc
# (gstreamer1.0-plugins-ugly), mp4mux (gstreamer1.0-plugins-good).
# VSR_SOURCE / VSR_SINK replace the source / display sink (gst-launch words split on spaces); the smoke test uses them.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 URL [MODEL] [OUTPUT]" >&2; exit 2; }
source "$(dirname "$0")/env.sh"
if [[ -n "${VSR_SOURCE:-}" ]]; then read -ra source <<<"$VSR_SOURCE"; else source=(rtspsrc "location=$1" latency=200); fi
model=${2:-espcn_x2}
if [[ $# -lt 3 ]]; then
  if [[ -n "${VSR_SINK:-}" ]]; then read -ra sink <<<"$VSR_SINK"; else sink=(autovideosink); fi
  # qos=true: frames the display would show late are skipped before the model, so the picture stays live.
  exec gst-launch-1.0 "${source[@]}" ! decodebin ! videoconvert ! vsrupscale model="$model" qos=true \
    ! videoconvert ! "${sink[@]}"
fi
partial="$3.partial.mp4"
if ! gst-launch-1.0 -e "${source[@]}" ! decodebin ! videoconvert ! vsrupscale model="$model" \
  ! videoconvert ! x264enc tune=zerolatency ! mp4mux ! filesink location="$partial"; then
  rm -f "$partial"
  echo "rtsp-in: the pipeline failed; no output written" >&2
  exit 1
fi
mv "$partial" "$3"
echo "$1 -> $3"

#!/usr/bin/env bash
# Live camera: a V4L2 camera upscaled by the model and shown in a window. The leaky 2-frame queue drops
# the oldest frames when the model is slower than the camera, and qos=true makes vsrupscale skip frames
# the display reports as late, so latency stays bounded instead of growing.
#   pipelines/live-camera.sh [/dev/video0] [espcn_x2]
# Elements: v4l2src, autovideosink (gstreamer1.0-plugins-good). A camera that only sends MJPEG needs
# VSR_SOURCE="v4l2src device=/dev/video0 ! jpegdec".
# VSR_SOURCE / VSR_SINK replace the source / sink (gst-launch words split on spaces); the smoke test uses them.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if [[ -n "${VSR_SOURCE:-}" ]]; then read -ra source <<<"$VSR_SOURCE"; else source=(v4l2src "device=${1:-/dev/video0}"); fi
if [[ -n "${VSR_SINK:-}" ]]; then read -ra sink <<<"$VSR_SINK"; else sink=(autovideosink); fi
exec gst-launch-1.0 "${source[@]}" ! videoconvert \
  ! queue leaky=downstream max-size-buffers=2 max-size-bytes=0 max-size-time=0 \
  ! vsrupscale model="${2:-espcn_x2}" qos=true ! videoconvert ! "${sink[@]}"

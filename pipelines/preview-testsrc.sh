#!/usr/bin/env bash
# Live preview: a 320x240 moving test pattern upscaled by the model and shown in a window.
#   pipelines/preview-testsrc.sh [espcn_x2]
set -euo pipefail
source "$(dirname "$0")/env.sh"
exec gst-launch-1.0 videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 \
  ! vsrupscale model="${1:-espcn_x2}" ! videoconvert ! autovideosink

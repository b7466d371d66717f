#!/usr/bin/env bash
# GPU variant of file-x264.sh: NVDEC decodes, vsrupscale upscales, NVENC encodes H.264/MP4. IN must hold
# H.264 video (any container parsebin opens). The zero-copy CUDA path (CUDA memory straight through
# vsrupscale) arrives with step 4; today vsrupscale takes system memory, so frames go
# cudadownload ! vsrupscale ! cudaupload around it.
#   pipelines/gpu-nvcodec.sh in.mp4 out.mp4 [espcn_x2]
# Elements: nvh264dec, nvh264enc, cudaupload, cudadownload (gstreamer1.0-plugins-bad's nvcodec plugin; it
# registers them only where an NVIDIA driver and GPU are present), h264parse (gstreamer1.0-plugins-bad),
# mp4mux (gstreamer1.0-plugins-good).
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 INPUT OUTPUT [MODEL]" >&2; exit 2; }
source "$(dirname "$0")/env.sh"
for e in nvh264dec nvh264enc cudaupload cudadownload; do
  gst-inspect-1.0 --exists "$e" || {
    echo "gpu-nvcodec: GStreamer element $e is missing (needs gstreamer1.0-plugins-bad, an NVIDIA driver and GPU)" >&2
    exit 1
  }
done
partial="$2.partial.mp4"
if ! gst-launch-1.0 -q filesrc location="$1" ! parsebin ! nvh264dec ! cudadownload \
  ! vsrupscale model="${3:-espcn_x2}" ! cudaupload ! nvh264enc ! h264parse ! mp4mux \
  ! filesink location="$partial"; then
  rm -f "$partial"
  echo "gpu-nvcodec: the pipeline failed; no output written" >&2
  exit 1
fi
mv "$partial" "$2"
echo "$1 -> $2"

#!/usr/bin/env bash
# GPU variant of file-x264.sh: NVDEC decodes, vsrupscale upscales on the GPU (backend=cuda), NVENC
# encodes H.264/MP4, with the frames in CUDA memory all the way (memory:CUDAMemory caps on both of
# vsrupscale's pads: no copy through the host). IN must hold H.264 video (any container parsebin
# opens). This path is built but has not yet run on a GPU (see scripts/gpu-check.sh); VSR_GPU_COPY=1
# puts cudadownload/cudaupload around vsrupscale instead (system memory, one copy each way).
#   pipelines/gpu-nvcodec.sh in.mp4 out.mp4 [srvgg_x2]
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
if [[ "${VSR_GPU_COPY:-0}" == 1 ]]; then around=(cudadownload ! vsrupscale backend=cuda model="${3:-srvgg_x2}" ! cudaupload)
else around=(vsrupscale backend=cuda model="${3:-srvgg_x2}"); fi
if ! gst-launch-1.0 -q filesrc location="$1" ! parsebin ! nvh264dec ! "${around[@]}" ! nvh264enc ! h264parse ! mp4mux \
  ! filesink location="$partial"; then
  rm -f "$partial"
  echo "gpu-nvcodec: the pipeline failed; no output written" >&2
  exit 1
fi
mv "$partial" "$2"
echo "$1 -> $2"

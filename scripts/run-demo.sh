#!/usr/bin/env bash
# Upscales a clip x2 through gst-launch-1.0 with the vsrupscale element and the shipped default model.
# Usage: scripts/run-demo.sh [INPUT] [OUTPUT]   (defaults: samples/cityCC0.mpg -> out/demo/cityCC0_x2.mp4)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VSR_BUILD_DIR:-$root/build}
input=${1:-$root/samples/cityCC0.mpg}
output=${2:-$root/out/demo/$(basename "${input%.*}")_x2.mp4}
mkdir -p "$(dirname "$output")"
export GST_PLUGIN_PATH="$build/plugin${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
# A registry of our own, so a stale system registry cannot hide the freshly built plugin.
export GST_REGISTRY="${GST_REGISTRY:-$build/gst-registry.bin}"
partial="$output.partial.mp4"
gst-launch-1.0 -q filesrc location="$input" ! decodebin ! videoconvert ! vsrupscale model=espcn_x2 \
  ! videoconvert ! x264enc ! mp4mux ! filesink location="$partial"
# Only a pipeline that reached EOS produces the final name: no truncated file passes for complete.
mv "$partial" "$output"
echo "vsr demo: upscaled $input -> $output"

#!/usr/bin/env bash
# Upscales a clip x2 through gst-launch-1.0 with the vsrupscale element and the shipped default model.
# Usage: scripts/run-demo.sh [INPUT] [OUTPUT]   (defaults: samples/cityCC0.mpg -> out/demo/cityCC0_x2.mp4)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
input=${1:-$root/samples/cityCC0.mpg}
output=${2:-$root/out/demo/$(basename "${input%.*}")_x2.mp4}
mkdir -p "$(dirname "$output")"
"$root/pipelines/upscale-file.sh" "$input" "$output" srvgg_x2 >/dev/null
echo "vsr demo: upscaled $input -> $output"

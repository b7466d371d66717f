#!/usr/bin/env bash
# Smoke test of the README demo: the shipped clip through the demo pipeline must come out with every
# frame, at twice the width and height.
set -euo pipefail
root=$1
plugin_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VSR_BUILD_DIR=$(dirname "$plugin_dir")
export GST_REGISTRY="$work/registry.bin"
"$root/scripts/run-demo.sh" "$root/samples/cityCC0.mpg" "$work/out.mp4"

# Frames and size of a file, decoded by GStreamer.
probe() {
  gst-launch-1.0 -v filesrc location="$1" ! decodebin ! fakesink silent=false 2>&1 |
    awk '/fakesink0: last-message = chain/ {n++} /fakesink0.GstPad:sink: caps/ && !size {match($0, /width=\(int\)[0-9]+, height=\(int\)[0-9]+/); size=substr($0, RSTART, RLENGTH)} END {print n, size}'
}
read -r in_frames in_size < <(probe "$root/samples/cityCC0.mpg")
read -r out_frames out_size < <(probe "$work/out.mp4")
echo "input: $in_frames frames $in_size; output: $out_frames frames $out_size"
[[ "$in_frames" -gt 0 && "$in_frames" == "$out_frames" ]] || { echo "FAIL: frame count $in_frames -> $out_frames"; exit 1; }
in_w=$(sed -E 's/width=\(int\)([0-9]+).*/\1/' <<<"$in_size"); in_h=$(sed -E 's/.*height=\(int\)([0-9]+)/\1/' <<<"$in_size")
[[ "$out_size" == "width=(int)$((in_w * 2)), height=(int)$((in_h * 2))" ]] || { echo "FAIL: output size $out_size"; exit 1; }
echo "demo smoke test passed"

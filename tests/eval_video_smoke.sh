#!/usr/bin/env bash
# vsr-eval-video on two tiny sequences it makes itself (64x48 windows panning over the shipped
# photos in tests/data/zoo, one RGB, one grey): both sequences and both methods reach the JSON, the
# model beats bicubic, and bad sequence folders (one frame; frames of two sizes) fail naming the folder.
set -euo pipefail
root=$1
build=$2
tool="$build/eval/vsr-eval-video"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A window moving a few pixels per frame, as a camera pan would (ffmpeg's n is the frame number).
pan() {  # pan PHOTO OUT_DIR FRAMES [ffmpeg output options...]
  local photo=$1 dir=$2 frames=$3
  shift 3
  mkdir -p "$dir"
  ffmpeg -nostdin -v error -loop 1 -i "$photo" -vf "crop=64:48:120+3*n:90+2*n" -frames:v "$frames" "$@" \
    "$dir/frame_%03d.png"
}
pan "$root/tests/data/zoo/chelsea.png" "$work/data/chelsea_pan" 5
pan "$root/tests/data/zoo/camera.png" "$work/data/camera_pan" 4 -pix_fmt gray

"$tool" --data "$work/data" --model srvgg_x2 --bicubic --threads 1 --json "$work/out.json" \
  --markdown "$work/out.md" >"$work/table.txt"
grep -q "^all frames" "$work/table.txt" || { echo "FAIL: no 'all frames' row"; cat "$work/table.txt"; exit 1; }
grep -q "^| all frames | 9 |" "$work/out.md" || { echo "FAIL: markdown"; cat "$work/out.md"; exit 1; }
python3 - "$work/out.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
names = sorted(s["name"] for s in j["sequences"])
assert names == ["camera_pan", "chelsea_pan"], names
methods = {m["method"]: m for m in j["methods"]}
assert sorted(methods) == ["bicubic", "srvgg_x2"], sorted(methods)
for m in methods.values():
    frames = {s["sequence"]: len(s["frame_psnr"]) for s in m["sequences"]}
    assert frames == {"camera_pan": 4, "chelsea_pan": 5}, (m["method"], frames)
    assert m["all_frames"]["tpsnr"] is not None, m["method"]
model, bicubic = methods["srvgg_x2"]["all_frames"], methods["bicubic"]["all_frames"]
assert model["psnr"] > bicubic["psnr"], (model, bicubic)
print("srvgg_x2 %.3f dB vs bicubic %.3f dB (tPSNR %.3f vs %.3f)" %
      (model["psnr"], bicubic["psnr"], model["tpsnr"], bicubic["tpsnr"]))
EOF

# Bad folders: the run fails, and the message names the folder at fault.
expect_failure() {  # expect_failure DATA_DIR WHAT_THE_MESSAGE_NAMES
  if "$tool" --data "$1" --model srvgg_x2 --threads 1 >/dev/null 2>"$work/err"; then
    echo "FAIL: $1 was accepted"; exit 1
  fi
  grep -q "^vsr-eval-video: .*$2" "$work/err" || { echo "FAIL: the error does not name $2"; cat "$work/err"; exit 1; }
}
pan "$root/tests/data/zoo/chelsea.png" "$work/one/lonely_frame" 1
expect_failure "$work/one" "lonely_frame"
pan "$root/tests/data/zoo/chelsea.png" "$work/sizes/mixed_sizes" 3
ffmpeg -nostdin -v error -i "$work/sizes/mixed_sizes/frame_001.png" -vf scale=66:48 "$work/wider.png"
mv "$work/wider.png" "$work/sizes/mixed_sizes/frame_001.png"
expect_failure "$work/sizes" "mixed_sizes"
echo "eval video smoke test passed"

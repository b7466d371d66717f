#!/usr/bin/env bash
# vsr-eval --real without ../shared: "real" frames made here by lossy round trips (the shipped photo
# through a low-quality JPEG, ffmpeg's testsrc2 through x264 at a high CRF), plus a flat frame with a
# textured corner. Checks: the report holds only the real-footage section, every frame has the input
# and every method's crop (all 96x96, all decoded by headless Chromium), the crop window goes to the
# textured corner rather than the flat centre, --data and --real together give both sections in
# order, and the option errors name what is missing.
set -euo pipefail
root=$1
build=$2
tool="$build/eval/vsr-eval"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

frames="$work/footage"
mkdir -p "$frames"
ffmpeg -nostdin -v error -i "$root/tests/data/zoo/chelsea.png" -vf "crop=160:120:150:60" -q:v 31 "$work/cat.jpg"
ffmpeg -nostdin -v error -i "$work/cat.jpg" "$frames/cat_jpeg.png"
ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=160x90:rate=10 -frames:v 5 -c:v libx264 -crf 45 -pix_fmt yuv420p \
  "$work/clip.mp4"
ffmpeg -nostdin -v error -i "$work/clip.mp4" -vf "select=eq(n\,4)" -fps_mode passthrough "$frames/clip_x264.png"
# Flat grey 200x150 with a 60x40 patch of testsrc2 in its bottom-right corner (input pixels 140.., 110..).
ffmpeg -nostdin -v error -f lavfi -i color=gray:size=200x150 -f lavfi -i testsrc2=size=60x40 \
  -filter_complex "overlay=140:110" -frames:v 1 "$frames/flat_corner.png"

"$tool" --real "$frames" --model srvgg_x2 --bicubic --html "$work/report" --threads 1 >"$work/out.txt"
grep -q "^report: " "$work/out.txt" || { cat "$work/out.txt"; fail "no report line"; }
html="$work/report/index.html"
grep -q '<section id="real-footage">' "$html" || fail "no real-footage section"
grep -q 'Real footage (no ground truth)' "$html" || fail "no real-footage heading"
! grep -q '<table id="scores">' "$html" || fail "a scores table without --data"
python3 - "$work/report" <<'EOF'
import os, re, struct, sys
dir = sys.argv[1]
html = open(os.path.join(dir, "index.html")).read()
frames = re.findall(r"<h2>([^<]*)</h2>", html)
assert frames == ["footage/cat_jpeg.png", "footage/clip_x264.png", "footage/flat_corner.png"], frames
for row in re.findall(r'<div class="crops">(.*?)</div>', html):
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", row)
    assert captions == ["input (nearest)", "bicubic", "srvgg_x2"], captions
for src in re.findall(r'<img src="([^"]*)"', html):
    with open(os.path.join(dir, src), "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", src
    assert struct.unpack(">II", head[16:24]) == (96, 96), (src, struct.unpack(">II", head[16:24]))
# The flat frame's window (output pixels, x2: the patch covers 280..400 x 220..300) must show the patch.
x, y = map(int, re.search(r"flat_corner.png</h2>\n<p class=\"window\">200x150 input; the 96x96 window at \((\d+), (\d+)\)",
                          html).groups())
assert x >= 200 and y >= 150, ("window not on the textured corner", x, y)
print("real footage: %d frames, 3 crops each, flat frame's window at (%d, %d)" % (len(frames), x, y))
EOF

browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$browser" ]] || fail "no chromium (scripts/install-deps.sh installs it)"
dom=$(HOME="$work" "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 --dump-dom \
  "file://$html" 2>"$work/chromium.log")
loaded=$(grep -o 'data-images-loaded="[0-9]*/[0-9]*"' <<<"$dom" | head -1 | sed -E 's/.*="([0-9]+)\/([0-9]+)"/\1 \2/')
read -r ok total <<<"${loaded:-0 0}"
echo "chromium decoded $ok of $total crops"
[[ "$total" == 9 && "$ok" == "$total" ]] || { tail -5 "$work/chromium.log"; fail "crops missing in the browser"; }

# Both kinds in one run: the scored section (table, HR crops) first, then the real footage.
"$tool" --data "$root/tests/data" --real "$frames" --bicubic --scale 2 --html "$work/both" >/dev/null
python3 - "$work/both/index.html" <<'EOF'
import sys
html = open(sys.argv[1]).read()
table, real = html.find('<table id="scores">'), html.find('<section id="real-footage">')
assert 0 <= table < real, (table, real)
assert html.count("<figcaption>HR</figcaption>") == 4, "the scored section lost its HR crops"
EOF

# Option errors: the run fails and the message names what to give.
expect_failure() {  # expect_failure WHAT_THE_MESSAGE_NAMES ARGS...
  local want=$1
  shift
  if "$tool" "$@" >/dev/null 2>"$work/err"; then fail "accepted: $*"; fi
  grep -q -- "^vsr-eval: .*$want" "$work/err" || { cat "$work/err"; fail "the error for '$*' does not name $want"; }
}
expect_failure "--data .*--real" --model srvgg_x2 --bicubic --html "$work/none"
expect_failure "--html" --real "$frames" --bicubic --scale 2
mkdir -p "$work/empty_footage"
expect_failure "empty_footage" --real "$work/empty_footage" --bicubic --scale 2 --html "$work/empty"
expect_failure "--json" --real "$frames" --bicubic --scale 2 --html "$work/r" --json "$work/r.json"
echo "eval real footage test passed"

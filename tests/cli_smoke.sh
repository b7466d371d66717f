#!/usr/bin/env bash
# The command-line programs on shippable data: vsr-upscale (file and folder), vsr-eval, vsr-bench --json,
# and a clear failure for a missing model.
set -euo pipefail
root=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/samples/vsr-upscale" --model espcn_x2 "$root/tests/data/imresize_hr.png" "$work/out.png"
# PNG width and height: big-endian 32-bit words at bytes 16 and 20 of the IHDR chunk.
size=$(od -An -tu1 -j16 -N8 "$work/out.png" | awk '{print $3*256+$4 "x" $7*256+$8}')
[[ "$size" == "254x244" ]] || { echo "FAIL: vsr-upscale output is $size, expected 254x244"; exit 1; }
"$build/samples/vsr-upscale" --input-dir "$root/tests/data" --output-dir "$work/dir" >/dev/null
[[ $(ls "$work/dir"/*.png | wc -l) -eq $(ls "$root/tests/data"/*.png | wc -l) ]] || { echo "FAIL: folder mode"; exit 1; }
"$build/samples/vsr-upscale" --describe | grep -q "^scale: 2" || { echo "FAIL: --describe"; exit 1; }
if "$build/samples/vsr-upscale" --model "$work/missing.onnx" "$root/tests/data/imresize_hr.png" "$work/x.png" 2>"$work/err"; then
  echo "FAIL: a missing model succeeded"; exit 1
fi
grep -q "missing.onnx" "$work/err" || { echo "FAIL: error does not name the model"; cat "$work/err"; exit 1; }
[[ ! -e "$work/x.png" ]] || { echo "FAIL: output written despite the error"; exit 1; }
"$build/eval/vsr-eval" --model espcn_x2 --bicubic --lanczos --data "$root/tests/data" --json "$work/eval.json" \
  --markdown "$work/eval.md" --html "$work/eval-report" | grep -q "^mean" || { echo "FAIL: vsr-eval"; exit 1; }
grep -q '"method": "espcn_x2"' "$work/eval.json" && grep -q "| lanczos3 |" "$work/eval.md" &&
  grep -q "<img src=" "$work/eval-report/index.html" || { echo "FAIL: vsr-eval reports"; exit 1; }
json=$("$build/tools/vsr-bench" --size 64x48 --runs 2 --warmup 1 --json)
grep -q '"output": "128x96"' <<<"$json" || { echo "FAIL: vsr-bench --json"; echo "$json"; exit 1; }
grep -Eq '"network_ms_median": [0-9]' <<<"$json" || { echo "FAIL: vsr-bench --json timing"; echo "$json"; exit 1; }
echo "cli smoke test passed"

#!/usr/bin/env bash
# vsr-eval's HTML report in a real browser: headless Chromium loads it, and the page's own script
# reports how many of its crops decoded (every one must), beside the scores table.
set -euo pipefail
root=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/eval/vsr-eval" --model espcn_x2 --bicubic --lanczos --data "$root/tests/data" --html "$work/report" >/dev/null
browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$browser" ]] || { echo "FAIL: no chromium (scripts/install-deps.sh installs it)"; exit 1; }
dom=$(HOME="$work" "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 --dump-dom \
  "file://$work/report/index.html" 2>"$work/chromium.log")
loaded=$(grep -o 'data-images-loaded="[0-9]*/[0-9]*"' <<<"$dom" | head -1 | sed -E 's/.*="([0-9]+)\/([0-9]+)"/\1 \2/')
read -r ok total <<<"${loaded:-0 0}"
echo "chromium decoded $ok of $total crops"
[[ "$total" -gt 0 && "$ok" == "$total" ]] || { echo "FAIL: crops missing in the browser"; tail -5 "$work/chromium.log"; exit 1; }
grep -q '<table id="scores">' <<<"$dom" || { echo "FAIL: no scores table in the rendered page"; exit 1; }
grep -q 'lanczos3' <<<"$dom" || { echo "FAIL: a method is missing"; exit 1; }
echo "report browser test passed"

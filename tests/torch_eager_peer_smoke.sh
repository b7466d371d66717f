#!/usr/bin/env bash
# vsr-torch-eager-peer (the GPU benchmark's PyTorch-eager peer) on the CPU: it exits 0 with one JSON
# line per size carrying a positive time, and refuses fp16 off the GPU naming the reason.
set -euo pipefail
tool=$1
err=$(mktemp)
trap 'rm -f "$err"' EXIT
out=$("$tool" --arch srvgg:16,2 --scale 2 --size 48x32 --size 24x16 --device cpu --precision fp32 --runs 3 --warmup 1)
echo "$out"
python3 - "$out" <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert [l["input"] for l in lines] == ["48x32", "24x16"], lines
assert all(l["network_ms_median"] > 0 and l["arch"] == "srvgg:16,2" and l["precision"] == "fp32" for l in lines), lines
PY
if "$tool" --arch espcn --size 16x16 --device cpu --precision fp16 2>"$err"; then
  echo "FAIL: fp16 on the CPU was accepted"; exit 1
fi
grep -q "use --device cuda" "$err" || { echo "FAIL: the refusal does not say why"; cat "$err"; exit 1; }
echo "torch eager peer smoke test passed"

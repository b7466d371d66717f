#!/usr/bin/env bash
# vsr-eval-interp on triplets it makes itself (96x64 windows panning over the shipped photos, so the
# middle frame is exactly halfway): the learned model beats blending, --predicted scores frames made
# elsewhere (blend's own, saved with --save, score the same), timing without --data, and the errors
# of a bad triplet folder and of a run that names no data and no timing.
set -euo pipefail
root=$1
build=$2
tool="$build/eval/vsr-eval-interp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

triplet() {  # triplet PHOTO NAME X0 Y0: frames 0, 1, 2 of a pan of 4 px right, 2 px down per frame
  mkdir -p "$work/data/$2"
  ffmpeg -nostdin -v error -loop 1 -i "$1" -vf "crop=96:64:$3+4*n:$4+2*n" -frames:v 3 "$work/data/$2/frame_%d.png"
}
triplet "$root/tests/data/zoo/chelsea.png" chelsea 100 80
triplet "$root/tests/data/zoo/camera.png" camera 200 120

"$tool" --data "$work/data" --model blend --model interp_ifnet_lite --threads 1 --save "$work/made" \
  --json "$work/out.json" --markdown "$work/out.md" >"$work/table.txt"
"$tool" --data "$work/data" --predicted saved_blend="$work/made/blend" --json "$work/saved.json" >/dev/null
python3 - "$work/out.json" "$work/saved.json" <<'EOF'
import json, sys
j, saved = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert j["triplets"] == 2 and j["backend"] == "cpu", j
m = j["methods"]
assert sorted(m) == ["blend", "interp_ifnet_lite"], sorted(m)
assert [p["triplet"] for p in m["blend"]["per_triplet"]] == ["camera", "chelsea"]
model, blend = m["interp_ifnet_lite"]["psnr"], m["blend"]["psnr"]
assert model > blend + 1.0, (model, blend)
again = saved["methods"]["saved_blend"]["psnr"]
assert abs(again - blend) < 1e-9, (again, blend)
print("interp_ifnet_lite %.2f dB vs blend %.2f dB on the pans" % (model, blend))
EOF
grep -q "^| interp_ifnet_lite |" "$work/out.md" || { echo "FAIL: markdown"; cat "$work/out.md"; exit 1; }

# Timing alone: no triplets needed, one line per model.
"$tool" --model interp_ifnet_lite --speed 64x48 --runs 2 --threads 1 --json "$work/speed.json" >"$work/speed.txt"
grep -Eq "^interp_ifnet_lite +[0-9.]+ ms per 64x48 frame \(cpu, auto\)" "$work/speed.txt" ||
  { echo "FAIL: timing line"; cat "$work/speed.txt"; exit 1; }
python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["speed"]["interp_ifnet_lite"]; assert s["median_ms"] > 0, s' \
  "$work/speed.json"

expect_failure() {  # expect_failure WHAT_THE_MESSAGE_NAMES ARGS...
  local what=$1
  shift
  if "$tool" "$@" >/dev/null 2>"$work/err"; then echo "FAIL: '$*' was accepted"; exit 1; fi
  grep -q "^vsr-eval-interp: .*$what" "$work/err" || { echo "FAIL: the error does not name $what"; cat "$work/err"; exit 1; }
}
expect_failure "name --data" --model blend
expect_failure "--predicted needs --data" --predicted x="$work/made/blend" --speed 64x48
rm "$work/data/camera/frame_2.png"
expect_failure "data/camera: a triplet folder holds 3 PNGs" --data "$work/data" --model blend
echo "vsr-eval-interp smoke test passed"

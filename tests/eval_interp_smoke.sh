#!/usr/bin/env bash
# vsr-eval-interp on samples it makes itself (96x64 windows panning over the shipped photos at a
# constant speed, so an inner frame is exactly at its t): two triplets (t = 0.5) and a quadruplet
# (t = 1/3, 2/3). The learned model beats blending, --predicted scores frames made elsewhere (blend's
# own, saved with --save, score the same), timing without --data, and the errors of a bad sample folder
# and of a run that names no data and no timing; --profile lists the network's steps.
set -euo pipefail
root=$1
build=$2
tool="$build/eval/vsr-eval-interp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sample() {  # sample PHOTO NAME X0 Y0 FRAMES: a pan of 4 px right, 2 px down per frame
  mkdir -p "$work/data/$2"
  ffmpeg -nostdin -v error -loop 1 -i "$1" -vf "crop=96:64:$3+4*n:$4+2*n" -frames:v "$5" "$work/data/$2/frame_%d.png"
}
sample "$root/tests/data/zoo/chelsea.png" chelsea 100 80 3
sample "$root/tests/data/zoo/camera.png" camera 200 120 3
sample "$root/tests/data/zoo/chelsea.png" quad 60 40 4

"$tool" --data "$work/data" --model blend --model interp_ifnet_lite --threads 1 --save "$work/made" \
  --json "$work/out.json" --markdown "$work/out.md" >"$work/table.txt"
"$tool" --data "$work/data" --predicted saved_blend="$work/made/blend" --json "$work/saved.json" >/dev/null
ls "$work/made/blend/quad_t1.png" "$work/made/blend/quad_t2.png" "$work/made/blend/chelsea.png" >/dev/null
grep -q "t=0.333: .*t=0.500: .*t=0.667: " "$work/table.txt" || { echo "FAIL: no per-t means"; cat "$work/table.txt"; exit 1; }
python3 - "$work/out.json" "$work/saved.json" <<'PY'
import json, sys
j, saved = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert j["samples"] == 3 and j["frames_made"] == 4 and j["backend"] == "cpu", j
m = j["methods"]
assert sorted(m) == ["blend", "interp_ifnet_lite"], sorted(m)
frames = [(p["sample"], round(p["t"], 3)) for p in m["blend"]["per_frame"]]
assert frames == [("camera", 0.5), ("chelsea", 0.5), ("quad", 0.333), ("quad", 0.667)], frames
assert sorted(m["interp_ifnet_lite"]["psnr_by_t"]) == ["0.333", "0.500", "0.667"], m["interp_ifnet_lite"]
model, blend = m["interp_ifnet_lite"]["psnr"], m["blend"]["psnr"]
assert model > blend + 1.0, (model, blend)
for t in ("0.333", "0.667"):  # the model follows the motion at any t, not only halfway
    assert m["interp_ifnet_lite"]["psnr_by_t"][t] > m["blend"]["psnr_by_t"][t] + 1.0, (t, m)
again = saved["methods"]["saved_blend"]["psnr"]
assert abs(again - blend) < 1e-9, (again, blend)
print("interp_ifnet_lite %.2f dB vs blend %.2f dB on the pans" % (model, blend))
PY
grep -q "^| interp_ifnet_lite |" "$work/out.md" || { echo "FAIL: markdown"; cat "$work/out.md"; exit 1; }

# Timing alone: no samples needed, one line per model.
"$tool" --model interp_ifnet_lite --speed 64x48 --runs 2 --threads 1 --json "$work/speed.json" >"$work/speed.txt"
grep -Eq "^interp_ifnet_lite +[0-9.]+ ms per 64x48 frame \(cpu, auto\)" "$work/speed.txt" ||
  { echo "FAIL: timing line"; cat "$work/speed.txt"; exit 1; }
python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["speed"]["interp_ifnet_lite"]; assert s["median_ms"] > 0, s' \
  "$work/speed.json"
"$tool" --model interp_ifnet_lite --speed 64x48 --runs 1 --threads 1 --profile >/dev/null 2>"$work/profile.txt"
grep -Eq "^  step node '[^']+' \(GridSample\) +[0-9.]+ ms" "$work/profile.txt" ||
  { echo "FAIL: --profile lists no GridSample step"; cat "$work/profile.txt"; exit 1; }

expect_failure() {  # expect_failure WHAT_THE_MESSAGE_NAMES ARGS...
  local what=$1
  shift
  if "$tool" "$@" >/dev/null 2>"$work/err"; then echo "FAIL: '$*' was accepted"; exit 1; fi
  grep -q "^vsr-eval-interp: .*$what" "$work/err" || { echo "FAIL: the error does not name $what"; cat "$work/err"; exit 1; }
}
expect_failure "name --data" --model blend
expect_failure "--profile times the network: it needs --speed" --data "$work/data" --model blend --profile
expect_failure "--predicted needs --data" --predicted x="$work/made/blend" --speed 64x48
rm "$work/made/blend/quad_t2.png"
expect_failure "quad_t2.png" --data "$work/data" --predicted x="$work/made/blend"
rm "$work/data/camera/frame_2.png"
expect_failure "data/camera: a sample folder holds 3 or more PNGs" --data "$work/data" --model blend
echo "vsr-eval-interp smoke test passed"

#!/usr/bin/env bash
# FSRCNN-size networks in the vsr engine beside OpenCV dnn_superres running the same architectures, at
# the same sizes and thread count, in one run on one machine (speed only: our copies have random
# weights, see make_bench_models.py).
#   960x540 -> 1920x1080 (x2) and 480x270 -> 1920x1080 (x4): FSRCNN, FSRCNN-small, ESPCN (the peers'
#   own architectures), and FSRCNN with the paper's 9x9 transposed convolution (no peer file has it).
# Usage: scripts/bench/fsrcnn_side_by_side.sh [SHARED_DIR]
#   VSR_BUILD_DIR (default build), VSR_BENCH_THREADS (2), VSR_BENCH_RUNS (10),
#   VSR_BENCH_MODELS (out/bench-models; made by make_bench_models.py when missing).
# vsr-bench: "network" = planar float in/out, "frame" = I420 in/out (Y through the network, chroma
# bicubic). OpenCV: "network" = cv2.dnn forward on the Y blob, "frame" = sr.upsample() on BGR.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${1:-$root/../shared}
build=${VSR_BUILD_DIR:-$root/build}
threads=${VSR_BENCH_THREADS:-2}
runs=${VSR_BENCH_RUNS:-10}
models=${VSR_BENCH_MODELS:-$root/out/bench-models}

if [[ ! -f "$models/fsrcnn-deconv_x4.onnx" ]]; then
  /usr/bin/python3 "$root/scripts/bench/make_bench_models.py" --out "$models" >/dev/null
fi
if ! /usr/bin/python3 -c 'import cv2; cv2.dnn_superres' 2>/dev/null; then
  echo "fsrcnn_side_by_side: needs python3-opencv (apt-get install python3-opencv)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $threads threads, median of $runs runs after 2 warm-up runs"
for case in 960x540:2 480x270:4; do
  size=${case%:*}
  s=${case#*:}
  "$build/tools/vsr-bench" --json --size "$size" --threads "$threads" --runs "$runs" --format I420 \
    --model "$models/fsrcnn_x$s.onnx" --model "$models/fsrcnn-small_x$s.onnx" --model "$models/espcn_x$s.onnx" \
    --model "$models/fsrcnn-deconv_x$s.onnx" >"$tmp/vsr_x$s.json"
  /usr/bin/python3 "$root/scripts/bench/opencv_peers.py" --json --shared "$shared" --size "$size" \
    --threads "$threads" --runs "$runs" --warmup 2 \
    --models "fsrcnn:FSRCNN_x$s.pb,fsrcnn:FSRCNN-small_x$s.pb,espcn:ESPCN_x$s.pb" >"$tmp/opencv_x$s.json"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$tmp" <<'EOF'
import json, os, sys
tmp = sys.argv[1]
# Our file -> the peer file with the same architecture (None: no peer; compared with FSRCNN, marked).
peer_of = {'fsrcnn': 'FSRCNN', 'fsrcnn-small': 'FSRCNN-small', 'espcn': 'ESPCN', 'fsrcnn-deconv': None}
print('| network | input → output | vsr network | vsr frame (I420) | OpenCV network | OpenCV upsample (BGR) '
      '| frame-path speed-up | network speed-up |')
print('|---|---|---|---|---|---|---|---|')
for s in (2, 4):
    vsr = json.load(open(os.path.join(tmp, f'vsr_x{s}.json')))['results']
    cv = {r['model']: r for r in json.load(open(os.path.join(tmp, f'opencv_x{s}.json')))['results']}
    for r in vsr:
        name = os.path.basename(r['model']).rsplit('_x', 1)[0]
        peer = peer_of.get(name)
        p = cv.get(f'{peer or "FSRCNN"}_x{s}.pb')
        label = f'{name} x{s}' + ('' if peer else ' (paper: 9x9 ConvTranspose; vs OpenCV FSRCNN)')
        row = [label, f'{r["input"]} → {r["output"]}', f'{r["network_ms_median"]:.1f} ms',
               f'{r["frame_path_ms_median"]:.1f} ms']
        if p:
            row += [f'{p["network_ms_median"]:.1f} ms', f'{p["upsample_ms_median"]:.1f} ms',
                    f'{p["upsample_ms_median"] / r["frame_path_ms_median"]:.2f}×',
                    f'{p["network_ms_median"] / r["network_ms_median"]:.2f}×']
        else:
            row += ['—'] * 4
        print('| ' + ' | '.join(row) + ' |')
EOF

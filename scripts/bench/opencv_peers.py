#!/usr/bin/python3
"""Peer baselines for docs/BENCHMARKS.md: OpenCV dnn_superres models (../shared/peers/models), timed per
frame at a given size and, with --data, scored on an image folder with the standard protocol (srlib.py).

  /usr/bin/python3 scripts/bench/opencv_peers.py --shared ../shared --data ../shared/datasets/Set5 \\
      --size 960x540 --threads 2 --runs 5
  /usr/bin/python3 scripts/bench/opencv_peers.py --shared ../shared --size 480x270 --threads 2 --runs 10 \\
      --models fsrcnn:FSRCNN_x4.pb,fsrcnn:FSRCNN-small_x4.pb,espcn:ESPCN_x4.pb,lapsrn:LapSRN_x4.pb --json

--models is a comma-separated list of algo:file[:scale] (algo as dnn_superres names it: fsrcnn, espcn,
lapsrn, edsr; the scale defaults to the _xN in the file name). Two times per model, each the median of
--runs after --warmup runs on a random frame of --size:
  upsample  sr.upsample() on a BGR frame: what a user calls (BGR -> YCrCb, the network on Y, chroma
            resized, back to BGR)
  network   the same network alone through cv2.dnn on a 1-channel float blob (FSRCNN/ESPCN run on Y)
Needs python3-opencv (Debian; dnn_superres is in its contrib build). Not used by the build or tests."""
import argparse, json, os, re, statistics, sys, time

import cv2
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument('--shared', required=True)
ap.add_argument('--data', help='image folder to score (PSNR, standard protocol); omit for speed only')
ap.add_argument('--size', default='960x540', help='input WxH for the timings')
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--runs', type=int, default=5)
ap.add_argument('--warmup', type=int, default=1)
ap.add_argument('--models', default='fsrcnn:FSRCNN_x2.pb,espcn:ESPCN_x2.pb')
ap.add_argument('--no-network', action='store_true', help='skip the network-only timing')
ap.add_argument('--json', action='store_true', help='print one JSON document instead of text')
args = ap.parse_args()
sys.path.insert(0, os.path.join(args.shared, 'peers'))

cv2.setNumThreads(args.threads)
w, h = map(int, args.size.split('x'))
rng = np.random.default_rng(0)
frame = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)


def median_ms(f):
    for _ in range(args.warmup):
        f()
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def set5_psnr(sr, scale):
    import srlib  # noqa: E402 (../shared/peers)
    files = sorted(f for f in os.listdir(args.data) if f.lower().endswith('.png'))
    psnrs = []
    for f in files:
        hr, grey = srlib.read_rgb_flag(os.path.join(args.data, f))
        hr = srlib.modcrop(hr, scale)
        lr = srlib.imresize(hr, 1.0 / scale)
        out = sr.upsample(np.ascontiguousarray(lr[:, :, ::-1]))[:, :, ::-1]
        a = srlib.to_metric_channel(srlib.rgb_to_y(out), grey)
        b = srlib.to_metric_channel(srlib.rgb_to_y(hr), grey)
        psnrs.append(srlib.psnr(a, b, scale))
    return statistics.mean(psnrs)


results = []
for spec in args.models.split(','):
    parts = spec.split(':')
    algo, fname = parts[0], parts[1]
    if len(parts) > 2:
        scale = int(parts[2])
    else:
        m = re.search(r'_x(\d+)', fname)
        if not m:
            sys.exit(f'opencv_peers: no scale in {fname!r}; write algo:file:scale')
        scale = int(m.group(1))
    path = os.path.join(args.shared, 'peers', 'models', fname)
    sr = cv2.dnn_superres.DnnSuperResImpl_create()
    sr.readModel(path)  # also registers dnn_superres's layers (DepthToSpace) for cv2.dnn below
    sr.setModel(algo, scale)
    r = {'peer': 'opencv-dnn_superres', 'opencv': cv2.__version__, 'model': fname, 'algo': algo, 'scale': scale,
         'input': f'{w}x{h}', 'output': f'{w * scale}x{h * scale}', 'threads': args.threads, 'runs': args.runs}
    if args.data:
        r['psnr_set5_protocol'] = set5_psnr(sr, scale)
    r['upsample_ms_median'] = median_ms(lambda: sr.upsample(frame))
    if not args.no_network and algo in ('fsrcnn', 'espcn'):
        net = cv2.dnn.readNetFromTensorflow(path)
        blob = rng.random((1, 1, h, w), dtype=np.float32)

        def forward():
            net.setInput(blob)
            net.forward()
        r['network_ms_median'] = median_ms(forward)
    results.append(r)
    if not args.json:
        line = f'opencv-dnn {fname} x{scale} {w}x{h}: upsample median {r["upsample_ms_median"]:.1f} ms/frame'
        if 'network_ms_median' in r:
            line += f', network alone {r["network_ms_median"]:.1f} ms'
        if 'psnr_set5_protocol' in r:
            line = f'opencv-dnn {fname}: Set5-protocol PSNR {r["psnr_set5_protocol"]:.3f} dB; ' + line.split(': ', 1)[1]
        print(line + f' ({args.threads} threads, {args.runs} runs)', flush=True)
if args.json:
    print(json.dumps({'tool': 'opencv_peers.py', 'results': results}, indent=2))

#!/usr/bin/python3
"""Peer baselines for docs/BENCHMARKS.md: OpenCV dnn_superres models (../shared/peers/models) scored on
an image folder with the standard protocol (srlib.py), and timed per frame at a given size.

  /usr/bin/python3 scripts/bench/opencv_peers.py --shared ../shared --data ../shared/datasets/Set5 \
      --size 960x540 --threads 2 --runs 5

Needs python3-opencv (Debian; dnn_superres is in its contrib build). Not used by the build or tests."""
import argparse, os, statistics, sys, time

import cv2
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument('--shared', required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--size', default='960x540')
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--runs', type=int, default=5)
ap.add_argument('--models', default='fsrcnn:FSRCNN_x2.pb,espcn:ESPCN_x2.pb')
args = ap.parse_args()
sys.path.insert(0, os.path.join(args.shared, 'peers'))
import srlib  # noqa: E402

cv2.setNumThreads(args.threads)
scale = 2
files = sorted(f for f in os.listdir(args.data) if f.lower().endswith('.png'))
w, h = map(int, args.size.split('x'))
rng = np.random.default_rng(0)
frame = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)


for spec in args.models.split(','):
    algo, fname = spec.split(':')
    sr = cv2.dnn_superres.DnnSuperResImpl_create()
    sr.readModel(os.path.join(args.shared, 'peers', 'models', fname))
    sr.setModel(algo, scale)
    psnrs = []
    for f in files:
        hr, grey = srlib.read_rgb_flag(os.path.join(args.data, f))
        hr = srlib.modcrop(hr, scale)
        lr = srlib.imresize(hr, 1.0 / scale)
        out = sr.upsample(np.ascontiguousarray(lr[:, :, ::-1]))[:, :, ::-1]
        a = srlib.to_metric_channel(srlib.rgb_to_y(out), grey)
        b = srlib.to_metric_channel(srlib.rgb_to_y(hr), grey)
        psnrs.append(srlib.psnr(a, b, scale))
    sr.upsample(frame)  # warm-up
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        sr.upsample(frame)
        times.append((time.perf_counter() - t0) * 1000)
    print(f'opencv-dnn {fname}: Set5-protocol PSNR {statistics.mean(psnrs):.3f} dB; '
          f'{w}x{h} median {statistics.median(times):.1f} ms/frame ({args.threads} threads, {args.runs} runs)')

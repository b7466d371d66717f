#!/usr/bin/env python3
"""ONNX Runtime on the GPU (CUDAExecutionProvider) running the same ONNX file at the same size as
vsr-bench --backend cuda: the peer of the GPU benchmark. Network only, host tensors in and out (as
vsr-bench's "network only" figure), warm-up then the median of --runs. Prints one JSON line per size.
Usage: ort_gpu_peer.py --model M.onnx --size 960x540 [--size ...] [--runs 20] [--fp16-io no]"""
import argparse
import json
import statistics
import time

import numpy as np
import onnxruntime as ort


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--size", action="append", required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in ort.get_available_providers()]
    session = ort.InferenceSession(a.model, providers=providers)
    inp = session.get_inputs()[0]
    channels = inp.shape[1] if isinstance(inp.shape[1], int) else 3
    for size in a.size:
        w, h = (int(v) for v in size.split("x"))
        x = np.random.default_rng(1).random((1, channels, h, w), dtype=np.float32)
        for _ in range(a.warmup):
            session.run(None, {inp.name: x})
        times = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            session.run(None, {inp.name: x})
            times.append((time.perf_counter() - t0) * 1000.0)
        print(json.dumps({"peer": "onnxruntime " + ort.__version__, "provider": session.get_providers()[0],
                          "model": a.model, "input": size, "network_ms_median": statistics.median(times)}))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The command that made models/zoo/srvgg_x3.onnx (2026-12-06, 2-core CPU, one training thread while
# the other core trained an interpolation model; 1,687 s for 8,000 iterations). Re-running it resumes
# from out/train-srvgg-x3 if the checkpoints are there. The shipped file is the EMA export of the last
# checkpoint (8,000 iterations).
# Data: ../shared/datasets (T91 + BSD200 for training, Set5 for the validation column of the log).
# The config (train/configs/srvgg_x3.json): SRVGGNetCompact 32 wide with 6 body convolutions, x3, L1,
# EMA 0.999, batch 16 x 32x32 LR patches, Adam with cosine decay from 1e-3, seed 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/build/train/vsr-train" --config train/configs/srvgg_x3.json
cp out/train-srvgg-x3/srvgg_x3.onnx models/zoo/srvgg_x3.onnx

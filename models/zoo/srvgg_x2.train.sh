#!/usr/bin/env bash
# The command that made models/zoo/srvgg_x2.onnx (2026-11-28, 2-core CPU, about an hour for 20k
# iterations at ~180 ms each). Re-running it resumes from out/train-srvgg-x2 if the checkpoints are there.
# Data: ../shared/datasets (T91 + BSD200 for training, Set5 for the validation column of the log).
# The config (train/configs/srvgg_x2.json): SRVGGNetCompact 32 wide with 6 body convolutions, x2, L1,
# EMA 0.999 of the weights (what is exported), 20k iterations of batch 16 x 32x32 LR patches, Adam
# with cosine decay from 1e-3, seed 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/build/train/vsr-train" --config train/configs/srvgg_x2.json
cp out/train-srvgg-x2/srvgg_x2.onnx models/zoo/srvgg_x2.onnx

#!/usr/bin/env bash
# The command that made models/zoo/srvgg_x4.onnx (2026-11-28, 2-core CPU shared with other jobs, one
# training thread; ~108 min for 18k iterations). Re-running it resumes from out/train-srvgg-x4 if the
# checkpoints are there. The shipped file is the EMA export of the 18,000-iteration checkpoint: the run
# was stopped there (of 20,000) to free the CPU, with the cosine learning rate already at 3.4e-5 and
# Set5 flat since 12k (31.00 -> 31.01 dB); see srvgg_x4.train.log.
# Data: ../shared/datasets (T91 + BSD200 for training, Set5 for the validation column of the log).
# The config (train/configs/srvgg_x4.json): SRVGGNetCompact 32 wide with 6 body convolutions, x4, L1,
# EMA 0.999, batch 16 x 32x32 LR patches, Adam with cosine decay from 1e-3, seed 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/build/train/vsr-train" --config train/configs/srvgg_x4.json
cp out/train-srvgg-x4/srvgg_x4.onnx models/zoo/srvgg_x4.onnx

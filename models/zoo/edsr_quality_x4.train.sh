#!/usr/bin/env bash
# The command that made models/zoo/edsr_quality_x4.onnx (2026-12-07, 2-core CPU, 5,372 s of training,
# part of it beside compiles). Re-running it resumes from out/train-edsr-quality-x4 if the checkpoints
# are there.
# Data: ../shared/datasets (T91 + BSD200 for training, Set5 for the validation column of the log).
# The config (train/configs/edsr_quality_x4.json): EDSR-baseline's structure at 64 features and 8
# residual blocks, x4, started from the shipped models/zoo/edsr_quality_x2.onnx (init + init_partial:
# the weights read back from the ONNX export, train/export_readback.h; everything loads but the second
# x2 upsampler stage, which x2 does not have), L1, batch 16 x 24x24 LR patches with the 8
# flips/rotations, Adam with cosine decay from 5e-4 over 5,000 iterations, EMA 0.999, seed 1.
# The shipped file holds the run's own weights at 5,000 (Set5 31.473 dB through the engine), not its
# EMA (31.392): the EMA began as a copy of the partly random start, and 0.999^5000 still keeps 0.7 % of
# the random second upsampler stage. They are exported as the trainer exports a run without EMA: the
# finished run folder resumed with "ema": 0, which only validates and exports.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/build/train/vsr-train" --config train/configs/edsr_quality_x4.json
"$root/build/train/vsr-train" --config train/configs/edsr_quality_x4.json --ema 0 \
  --export out/train-edsr-quality-x4/edsr_quality_x4_weights.onnx
cp out/train-edsr-quality-x4/edsr_quality_x4_weights.onnx models/zoo/edsr_quality_x4.onnx

#!/usr/bin/env bash
# The command that made models/zoo/edsr_quality_x2.onnx (2026-12-06, 2-core CPU, about 3 h 20 min of
# training spread over two sessions, often beside other jobs). Re-running it resumes from
# out/train-edsr-quality-x2 if the checkpoints are there.
# Data: ../shared/datasets (T91 + BSD200 for training, Set5 for the validation column of the log).
# The config (train/configs/edsr_quality_x2.json): EDSR-baseline's structure at 64 features and 8
# residual blocks (the paper's has 16), x2, L1, EMA 0.999 of the weights (what is exported), batch 16
# x 32x32 LR patches with the 8 flips/rotations, Adam with cosine decay from 5e-4, seed 1. Planned as
# 24k iterations (the first 10k ran with "iterations": 24000), shortened to 20k at iteration 10k (the
# cosine recomputed); the shipped file is the export of the iteration-12k checkpoint (Set5 37.548 dB
# through the engine), taken when the CPU was needed for the x4 run: to remake it, stop the run once
# its log shows "iter 12000" (the export is rewritten at every checkpoint).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/build/train/vsr-train" --config train/configs/edsr_quality_x2.json
cp out/train-edsr-quality-x2/edsr_quality_x2.onnx models/zoo/edsr_quality_x2.onnx

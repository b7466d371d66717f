#!/usr/bin/env bash
# The command that made models/zoo/realworld_x2.onnx (2026-12-06, 2-core CPU, one training thread while
# the other core trained the video models). Re-running it resumes from out/train-realworld-x2 if the
# checkpoints are there. The shipped file is the EMA export of the last checkpoint (6,000 iterations).
# Data: ../shared/datasets T91 + BSD200 as HR only; each LR patch is made on the fly by the 'video'
# degradation (train/degrade/pipeline.h): Real-ESRGAN's second-order pipeline (random blur kernels,
# resizes, Gaussian/Poisson noise, JPEG, twice, then a sinc filter) whose last compression is H.264
# through libx264 (CRF 18-40, presets veryfast/medium/slow) two times in three, JPEG otherwise.
# The Set5 column of the log is bicubic Set5: a real-world model is not meant to score there (it
# removes blur and noise that bicubic inputs do not have); it is watched for divergence only.
# The config (train/configs/realworld_x2.json): SRVGGNetCompact 32 wide with 6 body convolutions, x2,
# L1, EMA 0.999, batch 16 x 32x32 LR patches, Adam with cosine decay from 1e-3, seed 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
"$root/build/train/vsr-train" --config train/configs/realworld_x2.json
cp out/train-realworld-x2/realworld_x2.onnx models/zoo/realworld_x2.onnx

#!/usr/bin/env bash
# The command that made models/zoo/recurrent_x4.onnx (2026-12-06, 2-core CPU, one training thread while
# the other core trained another model; 3,123 s for 12,000 iterations, interrupted once at 1,819 and
# resumed exactly). Re-running it resumes from out/train-recurrent-x4 if the checkpoints are there. The
# shipped file is the EMA export of the last checkpoint (12,000 iterations); the validation columns of
# the log are only watched, never used to pick a checkpoint.
# Data: ../shared/datasets/video (cityCC0.mpg, tree.avi, vtest.avi: runs of 6 consecutive frames from the
# first 85% of each; the last 15% is held back for evaluation) and synthetic sub-pixel pans over
# ../shared/datasets/photos_lomiri. Validation sets are made first: the videos' held-back tails
# (scripts/eval/video_sequences.sh) and held-back pans over photos_skimage (--make-sequences).
# The config (train/configs/recurrent_x4.json): the causal recurrent network (train/recurrent_net.h)
# 32 wide, 5 convolutions, 16-channel hidden state, x4, L1, EMA 0.999, batch 8 of 6 frames of 32x32 LR,
# Adam with cosine decay from 1e-3, seed 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scripts/eval/video_sequences.sh ../shared/datasets/video out/video-eval
"$root/build/train/vsr-train-video" --make-sequences out/video-eval/synthetic \
    --photos ../shared/datasets/photos_skimage --count 10 --frames 12 --size 160 --max-step 4 --seed 7
"$root/build/train/vsr-train-video" --config train/configs/recurrent_x4.json
cp out/train-recurrent-x4/recurrent_x4.onnx models/zoo/recurrent_x4.onnx

#!/usr/bin/env bash
# The command that made models/zoo/espcn_x2.onnx (2026-11-28, 2-core CPU, ~23 min for 50k iterations).
# Re-running it resumes from out/train-espcn-x2 if the checkpoints are there.
# Data: ../shared/datasets (T91 + BSD200 for training, Set5 for the validation column of the log).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${VSR_DATASETS:-$root/../shared/datasets}
"$root/build/train/vsr-train" \
  --data "$data/T91" --data "$data/BSD200" --validate "$data/Set5" \
  --out "$root/out/train-espcn-x2" --export "$root/out/train-espcn-x2/espcn_x2.onnx" \
  --scale 2 --features 64 32 --iterations 50000 --batch 16 --patch 32 --lr 1e-3 \
  --checkpoint-every 2000 --threads 2 --seed 1 \
  --trained-on "T91+BSD200 (291 images, x1/x0.8/x0.6 rescaled), MATLAB bicubic x2"

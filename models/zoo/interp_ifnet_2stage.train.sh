#!/usr/bin/env bash
# The commands that made models/zoo/interp_ifnet_2stage.onnx (2026-12-07, 2-core CPU, one training
# thread, the other core busy with builds and a second run; 2,578 s + 1,498 s). Re-running them resumes
# from out/train-interp-stage2 and out/train-interp-mse if the checkpoints are there.
#   stage 2: the shipped interp_ifnet_lite (its weights read back from the ONNX file) with a second,
#            finer flow stage added (its head at zero, so it starts as interp_ifnet_lite), 7,000
#            iterations of L1 from 2e-4 (cosine), video crops ranked by motion (the most moving of 4);
#   stage 3: from stage 2's export, 4,000 iterations of MSE from 1e-4 (flow weight 1e-3).
# The stage-3 run was started with command-line overrides of interp_x1_stage2.json that
# interp_x1_stage3_mse.json now holds (same values; its trained_on text was written by re-running it,
# which found the run complete and only exported). Data and validation as in interp_ifnet_lite.train.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scripts/eval/interp_triplets.sh ../shared/datasets/video out/interp-eval 10
"$root/build/train/vsr-train-interp" --config train/configs/interp_x1_stage2.json
"$root/build/train/vsr-train-interp" --config train/configs/interp_x1_stage3_mse.json
cp out/train-interp-mse/interp_ifnet_2stage.onnx models/zoo/interp_ifnet_2stage.onnx

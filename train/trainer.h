// The training loop: L1 loss, Adam with cosine decay, checkpoints that resume, Set5-style validation.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vsr::train {

struct TrainOptions {
  std::vector<std::string> data;      // training image folders
  std::string validate;               // optional folder scored with the standard protocol
  std::string out_dir = "train-out";  // checkpoints and log
  std::string export_path;            // ONNX written at the end (and at each checkpoint)
  int scale = 2;
  std::vector<int> features = {64, 32};
  int iterations = 20000;
  int batch = 16;
  int lr_patch = 32;
  double learning_rate = 1e-3;
  int checkpoint_every = 500;
  int threads = 2;
  uint64_t seed = 1;
  std::string trained_on;             // recorded in the model's vsr.trained_on
};

// Trains (resuming from out_dir if a checkpoint is there) and exports. Returns the last validation
// PSNR (NaN without a validation folder).
double train_espcn(const TrainOptions& options);

}  // namespace vsr::train

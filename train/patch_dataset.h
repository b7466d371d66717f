// Random training patches from image folders: LR/HR pairs given as two folders, or HR only (the LR
// made here), degraded with MATLAB bicubic (the standard protocol; pairs made once) or, per patch, by a
// random pipeline of
// train/degrade (classic, second_order, video) for real-world models, on `threads` threads.
// Torch-free on purpose: the trainer wraps the float batches in tensors, and this file compiles fast.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eval/image.h"
#include "train/degrade/kernels.h"

namespace vsr::train {

struct PatchDatasetConfig {
  std::vector<std::string> folders;       // every *.png under each folder is used
  // Paired data: the LR images of each folder (one LR folder per folder), matched by file name
  // (0001.png or DIV2K's 0001x2.png for 0001.png at x2), each exactly 1/scale of its HR image (the HR
  // may be larger by less than `scale` pixels: it is cropped top-left). Empty: LR made from the HR.
  // Paired data takes no rescaled copies and no degradation: the given LR is the input.
  std::vector<std::string> lr_folders;
  int scale = 2;
  int lr_patch = 32;                      // LR patch side; HR side = lr_patch * scale
  std::vector<double> rescale = {1.0};    // extra copies of each HR image downscaled by these factors
  std::string degradation = "bicubic";    // bicubic | classic | second_order | video (train/degrade/pipeline.h)
  degrade::Kernel blur_kernel;            // classic's fixed kernel in HR pixels (no weights: random)
  uint64_t seed = 1;
  int threads = 1;                        // loading threads: images decoded and patches degraded in parallel
};

// One batch, planar float RGB in [0,1], NCHW order.
struct PatchBatch {
  int batch = 0;
  int lr_size = 0;
  int hr_size = 0;
  std::vector<float> lr;  // batch * 3 * lr_size * lr_size
  std::vector<float> hr;  // batch * 3 * hr_size * hr_size
};

class PatchDataset {
 public:
  explicit PatchDataset(const PatchDatasetConfig& config);
  size_t image_count() const { return pairs_.size(); }
  PatchBatch sample(int batch_size);

 private:
  struct Pair {
    Image8 hr;  // cropped to a multiple of the scale
    Image8 lr;  // imresize(hr, 1/scale), or the given LR image
  };
  std::vector<Pair> load_made(const std::string& file) const;
  Pair load_given(const std::string& hr_file, const std::string& lr_folder) const;
  PatchDatasetConfig config_;
  std::vector<Pair> pairs_;
  std::mt19937_64 rng_;
  std::mt19937_64 rng_local_;  // each degraded patch's seed (apart, so bicubic runs keep their patches)
};

}  // namespace vsr::train

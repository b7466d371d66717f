// The standard SR evaluation protocol over a folder (../shared/datasets/README.md): HR cropped to a
// multiple of the scale, LR by MATLAB bicubic, the method's upscaled image, PSNR and SSIM on BT.601 Y
// with `scale` pixels shaved. One Method at a time; the caller gathers them into a report.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "image.h"

namespace vsr {

struct ImageScore {
  std::string image;  // file name
  double psnr = 0.0, ssim = 0.0;
};

struct MethodScores {
  std::string method;  // "bicubic", "lanczos3", a model's name
  std::vector<ImageScore> images;
  double mean_psnr = 0.0, mean_ssim = 0.0;
};

// Upscales an LR image by the scale (the method under test).
using Upscaler = std::function<Image8(const Image8& lr)>;

// Scores `upscale` on every PNG of `folder`. `on_image` (may be null) sees each HR, LR and SR, for
// reports that show crops.
MethodScores score_folder(const std::string& method, const std::string& folder, int scale, const Upscaler& upscale,
                          const std::function<void(const std::string& image, const Image8& hr, const Image8& lr,
                                                   const Image8& sr)>& on_image = nullptr);

}  // namespace vsr

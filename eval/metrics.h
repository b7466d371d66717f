// Quality metrics exactly as the SR literature computes them: BT.601 studio-swing Y, `shave` border
// pixels removed, PSNR against 255, SSIM of Wang et al. (11x11 Gaussian, sigma 1.5, 'valid').
#pragma once
#include <vector>

#include "image.h"

namespace vsr {

// Luma plane in double precision, row-major width*height.
struct LumaPlane {
  int width = 0;
  int height = 0;
  std::vector<double> values;
};

// BT.601 Y = 16 + 65.481 R + 128.553 G + 24.966 B (RGB in [0,1]); not rounded. With `raw_grey`, a
// single-channel ground truth is scored on its plain grey level, as the published scripts do.
LumaPlane luma_bt601(const Image8& rgb, bool raw_grey = false);

double psnr(const LumaPlane& a, const LumaPlane& b, int shave);
double ssim(const LumaPlane& a, const LumaPlane& b, int shave);

}  // namespace vsr

// The degradations' image: planar float (C x H x W), values nominally in [0,1] (noise may leave them;
// callers clamp when they quantise).
#pragma once
#include <vector>

#include "eval/image.h"

namespace vsr::degrade {

struct FloatImage {
  int channels = 3, height = 0, width = 0;
  std::vector<float> v;  // channel-major planes

  float& at(int c, int y, int x) { return v[(static_cast<size_t>(c) * height + y) * width + x]; }
  float at(int c, int y, int x) const { return v[(static_cast<size_t>(c) * height + y) * width + x]; }
  static FloatImage zeros(int channels, int height, int width) {
    return {channels, height, width, std::vector<float>(static_cast<size_t>(channels) * height * width, 0.0f)};
  }
};

FloatImage to_float(const Image8& image);
// Clamped to [0,1] and rounded to 8 bits.
Image8 to_image8(const FloatImage& image);

}  // namespace vsr::degrade

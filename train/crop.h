// Crops of 8-bit RGB images as planar float in [0,1], the layout both sequence datasets hand to
// LibTorch. Torch-free.
#pragma once
#include <cstddef>
#include <cstdint>

#include "eval/image.h"

namespace vsr::train {

// Copies the size x size crop at (x0, y0) into dst (3 planes of size x size), flipped as asked.
inline void copy_crop(const Image8& img, int x0, int y0, int size, bool flip_x, bool flip_y, float* dst) {
  const size_t plane = static_cast<size_t>(size) * size;
  for (int y = 0; y < size; ++y) {
    const uint8_t* row = img.row(y0 + (flip_y ? size - 1 - y : y));
    for (int x = 0; x < size; ++x) {
      const uint8_t* p = row + 3 * static_cast<size_t>(x0 + (flip_x ? size - 1 - x : x));
      for (int c = 0; c < 3; ++c) dst[c * plane + static_cast<size_t>(y) * size + x] = p[c] * (1.0f / 255.0f);
    }
  }
}

}  // namespace vsr::train

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

// Mean |a - b| over the size x size crop at (x0, y0) of two images of one shape, read every `stride`
// pixels in both directions: how much a crop moves between two frames, to rank crop positions.
inline double crop_difference(const Image8& a, const Image8& b, int x0, int y0, int size, int stride = 4) {
  int64_t sum = 0, count = 0;
  for (int y = y0; y < y0 + size; y += stride) {
    const uint8_t *ra = a.row(y), *rb = b.row(y);
    for (int x = x0; x < x0 + size; x += stride)
      for (int c = 0; c < a.channels; ++c, ++count) {
        const size_t i = static_cast<size_t>(x) * a.channels + c;
        sum += ra[i] > rb[i] ? ra[i] - rb[i] : rb[i] - ra[i];
      }
  }
  return count > 0 ? static_cast<double>(sum) / count : 0.0;
}

}  // namespace vsr::train

// Crops of 8-bit RGB images as planar float in [0,1], the layout both sequence datasets hand to
// LibTorch. Torch-free.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>

#include "eval/image.h"

namespace vsr::train {

// One of the 8 dihedral transforms of a square crop (the flips and rotations of training augmentation):
// output pixel (x, y) reads crop pixel (x, y) flipped as asked, then transposed.
struct Dihedral {
  bool flip_x = false, flip_y = false, transpose = false;
};

// Copies the size x size crop at (x0, y0) into dst (3 planes of size x size), transformed by `d`.
inline void copy_crop(const Image8& img, int x0, int y0, int size, Dihedral d, float* dst) {
  const size_t plane = static_cast<size_t>(size) * size;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      int sx = d.flip_x ? size - 1 - x : x, sy = d.flip_y ? size - 1 - y : y;
      if (d.transpose) std::swap(sx, sy);
      const uint8_t* p = img.row(y0 + sy) + 3 * static_cast<size_t>(x0 + sx);
      for (int c = 0; c < 3; ++c) dst[c * plane + static_cast<size_t>(y) * size + x] = p[c] * (1.0f / 255.0f);
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

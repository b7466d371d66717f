// GridSample's coordinate arithmetic, shared by cpu::grid_sample and its CUDA twin. It follows
// PyTorch's ATen/native/GridSampler.h step by step, in float like its CPU kernel, so that results
// (and nearest-mode ties) match exported models. min/max are written out: std::min/max's NaN
// behaviour, which the reference relies on, differs from fminf/fmaxf.
#pragma once
#include <cmath>
#include <cstdint>

#include "grid_sample.h"
#include "host_device.h"

namespace vsr::cpu::grid_coords {

VSR_HD inline float min_of(float a, float b) { return b < a ? b : a; }  // as std::min
VSR_HD inline float max_of(float a, float b) { return a < b ? b : a; }  // as std::max

VSR_HD inline float unnormalize(float c, int64_t size, bool align_corners) {
  if (align_corners) return ((c + 1) / 2) * static_cast<float>(size - 1);
  return ((c + 1) * static_cast<float>(size) - 1) / 2;
}

VSR_HD inline float clip(float c, int64_t size) { return min_of(static_cast<float>(size - 1), max_of(c, 0.0f)); }

// Reflects c into [twice_low/2, twice_high/2] by folding it back and forth across the bounds.
VSR_HD inline float reflect(float c, int64_t twice_low, int64_t twice_high) {
  if (twice_low == twice_high) return 0.0f;
  const float lo = static_cast<float>(twice_low) / 2, span = static_cast<float>(twice_high - twice_low) / 2;
  c = fabsf(c - lo);
  const float extra = fmodf(c, span);
  const float flips = floorf(c / span);  // parity taken in float: no int overflow for huge c
  return fmodf(flips, 2.0f) == 0.0f ? extra + lo : span - extra + lo;
}

VSR_HD inline float source_index(float c, int64_t size, const GridSampleParams& p) {
  c = unnormalize(c, size, p.align_corners);
  if (p.padding == GridPadding::Border) {
    c = clip(c, size);
  } else if (p.padding == GridPadding::Reflection) {
    c = p.align_corners ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
    c = clip(c, size);
  }
  return c;
}

// True when a tap at floor(c) or floor(c)+1 could be inside [0, size): guards the float -> int
// conversion against huge and NaN coordinates (NaN fails every comparison).
VSR_HD inline bool near_range(float c, int64_t size) { return c > -2.0f && c < static_cast<float>(size) + 1.0f; }

// The four corners of a bilinear sample at (ix, iy) of an H x W plane: where they are, whether they
// are inside (zeros outside), and their weights as PyTorch computes them: each corner by the area of
// the opposite sub-rectangle. Found once per output pixel and applied to every channel.
struct BilinearTaps {
  int64_t offset[4];
  float weight[4];
  bool inside[4];
};

VSR_HD inline BilinearTaps bilinear_taps(int64_t H, int64_t W, float ix, float iy) {
  const float fx = floorf(ix), fy = floorf(iy);
  const int64_t x0 = static_cast<int64_t>(fx), y0 = static_cast<int64_t>(fy), x1 = x0 + 1, y1 = y0 + 1;
  const float wx1 = ix - fx, wx0 = (fx + 1) - ix, wy1 = iy - fy, wy0 = (fy + 1) - iy;
  const bool vx0 = x0 >= 0 && x0 < W, vx1 = x1 >= 0 && x1 < W, vy0 = y0 >= 0 && y0 < H, vy1 = y1 >= 0 && y1 < H;
  return {{y0 * W + x0, y0 * W + x1, y1 * W + x0, y1 * W + x1},
          {wx0 * wy0, wx1 * wy0, wx0 * wy1, wx1 * wy1},
          {vy0 && vx0, vy0 && vx1, vy1 && vx0, vy1 && vx1}};
}

// The taps' weighted sum over one plane, in PyTorch's corner order (so sums round the same way).
VSR_HD inline float apply_taps(const BilinearTaps& t, const float* src) {
  float acc = 0.0f;
  for (int k = 0; k < 4; ++k)
    if (t.inside[k]) acc += src[t.offset[k]] * t.weight[k];
  return acc;
}

}  // namespace vsr::cpu::grid_coords

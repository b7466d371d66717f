#include "grid_sample.h"

#include <algorithm>
#include <cmath>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

// The arithmetic follows PyTorch's ATen/native/GridSampler.h step by step, in float like its CPU
// kernel, so that results (and nearest-mode ties) match exported models.
float unnormalize(float c, int64_t size, bool align_corners) {
  if (align_corners) return ((c + 1) / 2) * static_cast<float>(size - 1);
  return ((c + 1) * static_cast<float>(size) - 1) / 2;
}

float clip(float c, int64_t size) { return std::min(static_cast<float>(size - 1), std::max(c, 0.0f)); }

// Reflects c into [twice_low/2, twice_high/2] by folding it back and forth across the bounds.
float reflect(float c, int64_t twice_low, int64_t twice_high) {
  if (twice_low == twice_high) return 0.0f;
  const float lo = static_cast<float>(twice_low) / 2, span = static_cast<float>(twice_high - twice_low) / 2;
  c = std::fabs(c - lo);
  const float extra = std::fmod(c, span);
  const float flips = std::floor(c / span);  // parity taken in float: no int overflow for huge c
  return std::fmod(flips, 2.0f) == 0.0f ? extra + lo : span - extra + lo;
}

float source_index(float c, int64_t size, const GridSampleParams& p) {
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
bool near_range(float c, int64_t size) { return c > -2.0f && c < static_cast<float>(size) + 1.0f; }

}  // namespace

void grid_sample(const Tensor& x, const Tensor& grid, const GridSampleParams& p, Tensor& y) {
  if (x.shape.size() != 4) throw Error("GridSample supports 4-D NCHW input only, got " + shape_string(x.shape));
  if (grid.shape.size() != 4 || grid.shape[3] != 2 || grid.shape[0] != x.shape[0])
    throw Error("GridSample: grid " + shape_string(grid.shape) + " must be N x Ho x Wo x 2 for input " +
                shape_string(x.shape));
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t OH = grid.shape[1], OW = grid.shape[2];
  if (H <= 0 || W <= 0) throw Error("GridSample: empty input " + shape_string(x.shape));
  checked_shape({N, C, OH, OW}, "GridSample output");  // C from the input, OH x OW from the grid
  y.is_int = false;
  y.ints.clear();
  y.resize({N, C, OH, OW});
  if (y.data.empty()) return;
  const int64_t plane = H * W, out_plane = OH * OW;
#pragma omp parallel for schedule(static)
  for (int64_t row = 0; row < N * OH; ++row) {
    const int64_t n = row / OH, oh = row % OH;
    const float* g = grid.data.data() + (n * OH + oh) * OW * 2;
    const float* in = x.data.data() + n * C * plane;
    float* out = y.data.data() + n * C * out_plane + oh * OW;
    for (int64_t ow = 0; ow < OW; ++ow) {
      const float ix = source_index(g[2 * ow], W, p), iy = source_index(g[2 * ow + 1], H, p);
      if (p.mode == GridSampleMode::Nearest) {
        const float rx = std::nearbyint(ix), ry = std::nearbyint(iy);  // ties to even, as PyTorch
        const bool inside = rx >= 0.0f && rx < static_cast<float>(W) && ry >= 0.0f && ry < static_cast<float>(H);
        const int64_t offset = inside ? static_cast<int64_t>(ry) * W + static_cast<int64_t>(rx) : 0;
        for (int64_t c = 0; c < C; ++c) out[c * out_plane + ow] = inside ? in[c * plane + offset] : 0.0f;
        continue;
      }
      if (!near_range(ix, W) || !near_range(iy, H)) {
        for (int64_t c = 0; c < C; ++c) out[c * out_plane + ow] = 0.0f;
        continue;
      }
      const float fx = std::floor(ix), fy = std::floor(iy);
      const int64_t x0 = static_cast<int64_t>(fx), y0 = static_cast<int64_t>(fy), x1 = x0 + 1, y1 = y0 + 1;
      // Weights as PyTorch writes them: each corner weighs by the area of the opposite sub-rectangle.
      const float wx1 = ix - fx, wx0 = (fx + 1) - ix, wy1 = iy - fy, wy0 = (fy + 1) - iy;
      const float w00 = wx0 * wy0, w01 = wx1 * wy0, w10 = wx0 * wy1, w11 = wx1 * wy1;
      const bool vx0 = x0 >= 0 && x0 < W, vx1 = x1 >= 0 && x1 < W, vy0 = y0 >= 0 && y0 < H, vy1 = y1 >= 0 && y1 < H;
      for (int64_t c = 0; c < C; ++c) {
        const float* src = in + c * plane;
        float acc = 0.0f;
        if (vy0 && vx0) acc += src[y0 * W + x0] * w00;
        if (vy0 && vx1) acc += src[y0 * W + x1] * w01;
        if (vy1 && vx0) acc += src[y1 * W + x0] * w10;
        if (vy1 && vx1) acc += src[y1 * W + x1] * w11;
        out[c * out_plane + ow] = acc;
      }
    }
  }
}

}  // namespace vsr::cpu

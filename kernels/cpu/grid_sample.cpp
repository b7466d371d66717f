#include "grid_sample.h"

#include <cmath>

#include "grid_sample_coords.h"
#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {

using grid_coords::near_range;
using grid_coords::source_index;

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
      const grid_coords::BilinearTaps taps = grid_coords::bilinear_taps(H, W, ix, iy);
      for (int64_t c = 0; c < C; ++c) out[c * out_plane + ow] = grid_coords::apply_taps(taps, in + c * plane);
    }
  }
}

}  // namespace vsr::cpu

#include "pad.h"

#include <algorithm>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

// Source index along an axis of length n for output position `i` shifted by the leading pad; -1
// means "the constant value".
int64_t source(int64_t i, int64_t n, PadMode mode) {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case PadMode::Constant: return -1;
    case PadMode::Edge: return i < 0 ? 0 : n - 1;
    case PadMode::Reflect: {
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);
      int64_t m = i % period;
      if (m < 0) m += period;
      return m < n ? m : period - m;
    }
  }
  return -1;
}

}  // namespace

void pad2d(const Tensor& x, const PadParams& p, Tensor& y) {
  if (x.shape.size() != 4) throw Error("Pad supports 4-D NCHW input only, got " + shape_string(x.shape));
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  for (int64_t v : {p.top, p.left, p.bottom, p.right})
    if (v > kMaxElements || v < -kMaxElements) throw Error("Pad: pad " + std::to_string(v) + " is absurd (refused)");
  const int64_t OH = H + p.top + p.bottom, OW = W + p.left + p.right;
  if (OH <= 0 || OW <= 0)
    throw Error("Pad: pads (" + std::to_string(p.top) + ", " + std::to_string(p.left) + ", " + std::to_string(p.bottom) +
                ", " + std::to_string(p.right) + ") leave nothing of " + shape_string(x.shape));
  if (p.mode != PadMode::Constant && (H == 0 || W == 0))
    throw Error("Pad: cannot reflect or extend an empty input " + shape_string(x.shape));
  checked_shape({N, C, OH, OW}, "Pad output");
  checked_element_count({OH, OW}, "Pad output plane");  // the row/column tables below, even when N*C = 0
  y.is_int = false;
  y.ints.clear();
  y.resize({N, C, OH, OW});
  if (y.data.empty()) return;
  std::vector<int64_t> sy(OH), sx(OW);
  for (int64_t i = 0; i < OH; ++i) sy[i] = source(i - p.top, H, p.mode);
  for (int64_t i = 0; i < OW; ++i) sx[i] = source(i - p.left, W, p.mode);
#pragma omp parallel for schedule(static)
  for (int64_t nc = 0; nc < N * C; ++nc) {
    const float* in = x.data.data() + nc * H * W;
    float* out = y.data.data() + nc * OH * OW;
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox)
        out[oy * OW + ox] = sy[oy] < 0 || sx[ox] < 0 ? p.value : in[sy[oy] * W + sx[ox]];
  }
}

}  // namespace vsr::cpu

#include "resize.h"

#include <algorithm>
#include <cmath>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

double source_coordinate(int64_t o, double scale, int64_t in_len, int64_t out_len, CoordinateMode m) {
  switch (m) {
    case CoordinateMode::HalfPixel: return (o + 0.5) / scale - 0.5;
    case CoordinateMode::PytorchHalfPixel: return out_len > 1 ? (o + 0.5) / scale - 0.5 : 0.0;
    case CoordinateMode::AlignCorners: return out_len == 1 ? 0.0 : o * double(in_len - 1) / double(out_len - 1);
    case CoordinateMode::Asymmetric: return o / scale;
  }
  return 0.0;
}

double cubic_weight(double x, double a) {
  x = std::fabs(x);
  if (x <= 1.0) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2.0) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0.0;
}

AxisTaps axis_taps(int64_t in_len, int64_t out_len, double scale, const ResizeParams& p) {
  AxisTaps t;
  t.taps = p.mode == ResizeMode::Nearest ? 1 : p.mode == ResizeMode::Linear ? 2 : 4;
  t.index.resize(out_len * t.taps);
  t.weight.resize(out_len * t.taps);
  auto clamp = [&](int64_t i) { return std::min<int64_t>(std::max<int64_t>(i, 0), in_len - 1); };
  for (int64_t o = 0; o < out_len; ++o) {
    double x = source_coordinate(o, scale, in_len, out_len, p.coordinates);
    int64_t* idx = &t.index[o * t.taps];
    float* w = &t.weight[o * t.taps];
    if (p.mode == ResizeMode::Nearest) {
      double r;
      switch (p.nearest) {
        case NearestRounding::RoundPreferFloor: r = (x - std::floor(x) == 0.5) ? std::floor(x) : std::round(x); break;
        case NearestRounding::RoundPreferCeil: r = std::round(x); break;
        case NearestRounding::Floor: r = std::floor(x); break;
        default: r = std::ceil(x); break;
      }
      idx[0] = clamp(static_cast<int64_t>(r));
      w[0] = 1.0f;
    } else if (p.mode == ResizeMode::Linear) {
      x = std::min(std::max(x, 0.0), double(in_len - 1));
      const int64_t x0 = static_cast<int64_t>(std::floor(x));
      const double f = x - x0;
      idx[0] = x0;
      idx[1] = clamp(x0 + 1);
      w[0] = static_cast<float>(1.0 - f);
      w[1] = static_cast<float>(f);
    } else {
      const int64_t x0 = static_cast<int64_t>(std::floor(x));
      const double f = x - x0;
      double sum = 0.0, ws[4];
      for (int k = 0; k < 4; ++k) {
        const int64_t i = x0 - 1 + k;
        ws[k] = cubic_weight(f - (k - 1), p.cubic_a);
        if (p.exclude_outside && (i < 0 || i >= in_len)) ws[k] = 0.0;
        sum += ws[k];
        idx[k] = clamp(i);
      }
      for (int k = 0; k < 4; ++k) w[k] = static_cast<float>(p.exclude_outside ? ws[k] / sum : ws[k]);
    }
  }
  return t;
}

}  // namespace

ResizePlan plan_resize(const std::vector<int64_t>& shape, const ResizeParams& p) {
  if (shape.size() != 4) throw Error("Resize supports 4-D NCHW input only, got " + shape_string(shape));
  const int64_t N = shape[0], C = shape[1], H = shape[2], W = shape[3];
  int64_t OH = p.out_h, OW = p.out_w;
  double sh = p.scale_h, sw = p.scale_w;
  if (sh > 0.0) {
    OH = static_cast<int64_t>(std::floor(H * sh));
    OW = static_cast<int64_t>(std::floor(W * sw));
  } else {
    sh = double(OH) / H;
    sw = double(OW) / W;
  }
  if (OH <= 0 || OW <= 0) throw Error("Resize output of " + shape_string(shape) + " would be empty");
  // Sampling an empty axis would read before the input; the tap tables are sized by OH and OW even
  // when N*C = 0, so the plane is bounded on its own too.
  if (H <= 0 || W <= 0) throw Error("Resize input " + shape_string(shape) + " is empty");
  checked_shape({N, C, OH, OW}, "Resize output");
  checked_element_count({OH, OW}, "Resize output plane");
  return {OH, OW, axis_taps(H, OH, sh, p), axis_taps(W, OW, sw, p)};
}

void resize_reference(const Tensor& x, const ResizeParams& p, Tensor& y) {
  const ResizePlan plan = plan_resize(x.shape, p);
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3], OH = plan.out_h, OW = plan.out_w;
  const AxisTaps &ty = plan.rows, &tx = plan.cols;
  y.resize({N, C, OH, OW});
  if (y.data.empty()) return;
#pragma omp parallel for schedule(static)
  for (int64_t nc = 0; nc < N * C; ++nc) {
    const float* in = &x.data[nc * H * W];
    float* out = &y.data[nc * OH * OW];
    std::vector<float> row(W);
    for (int64_t oy = 0; oy < OH; ++oy) {
      std::fill(row.begin(), row.end(), 0.0f);
      for (int k = 0; k < ty.taps; ++k) {
        const float wy = ty.weight[oy * ty.taps + k];
        const float* src = in + ty.index[oy * ty.taps + k] * W;
        for (int64_t i = 0; i < W; ++i) row[i] += wy * src[i];
      }
      for (int64_t ox = 0; ox < OW; ++ox) {
        float acc = 0.0f;
        for (int k = 0; k < tx.taps; ++k) acc += tx.weight[ox * tx.taps + k] * row[tx.index[ox * tx.taps + k]];
        out[oy * OW + ox] = acc;
      }
    }
  }
}

}  // namespace vsr::cpu

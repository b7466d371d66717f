#include "activation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "vsr/error.h"

namespace vsr::cpu {
namespace {

// Below this many values a parallel region costs more than it saves.
constexpr int64_t kParallelMin = 1 << 15;

// v >= 0 ? v : v * slope, written branch-free so that the loops vectorise (exact: one of the two
// terms is zero).
inline float leaky(float v, float slope) { return std::max(v, 0.0f) + slope * std::min(v, 0.0f); }

// dst[i] = f(src[i]); src may equal dst.
template <typename F>
void map(const float* src, float* dst, int64_t count, F f) {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
  for (int64_t i = 0; i < count; ++i) dst[i] = f(src[i]);
}

void activate(const Activation& a, const float* s, float* d, int64_t count, int64_t channels, int64_t channel_size) {
  switch (a.kind) {
    case ActivationKind::None:
      if (s != d) std::copy(s, s + count, d);
      return;
    case ActivationKind::Relu:
      return map(s, d, count, [](float v) { return v > 0.0f ? v : 0.0f; });
    case ActivationKind::LeakyRelu:
      return map(s, d, count, [alpha = a.alpha](float v) { return leaky(v, alpha); });
    case ActivationKind::PRelu: {
      // Slopes come from the model file: one shared, or one per channel; others would read past them.
      if (count > 0 && a.slopes.size() != 1 && static_cast<int64_t>(a.slopes.size()) != channels)
        throw Error("PRelu has " + std::to_string(a.slopes.size()) + " slopes for " + std::to_string(channels) +
                    " channels (one, or one per channel)");
      if (a.slopes.size() == 1 || channel_size <= 0 || channels <= 0)
        return map(s, d, count, [slope = a.slopes.empty() ? 0.0f : a.slopes[0]](float v) { return leaky(v, slope); });
      // One plane of `channel_size` values per (n, c): each plane has one slope.
      const int64_t planes = count / channel_size;
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t p = 0; p < planes; ++p) {
        const float slope = a.slopes[p % channels];
        const float* sp = s + p * channel_size;
        float* dp = d + p * channel_size;
        for (int64_t i = 0; i < channel_size; ++i) dp[i] = leaky(sp[i], slope);
      }
      return;
    }
    case ActivationKind::Sigmoid:
      return map(s, d, count, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
    case ActivationKind::Tanh:
      return map(s, d, count, [](float v) { return std::tanh(v); });
    case ActivationKind::Clip:
      return map(s, d, count, [lo = a.min, hi = a.max](float v) { return std::min(hi, std::max(lo, v)); });
    case ActivationKind::Sqrt:  // negative inputs give NaN, as ONNX's Sqrt does
      return map(s, d, count, [](float v) { return std::sqrt(v); });
  }
}

}  // namespace

void apply_activation(const Activation& a, float* d, int64_t count, int64_t channels, int64_t channel_size) {
  activate(a, d, d, count, channels, channel_size);
}

void activation_reference(const Activation& a, const Tensor& x, Tensor& y) {
  y.resize(x.shape);
  const int64_t channels = x.shape.size() >= 2 ? x.shape[1] : 1;
  int64_t channel_size = 1;
  for (size_t i = 2; i < x.shape.size(); ++i) channel_size *= x.shape[i];
  activate(a, x.data.data(), y.data.data(), y.numel(), channels, channel_size);
}

}  // namespace vsr::cpu

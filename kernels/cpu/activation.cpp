#include "activation.h"

#include <algorithm>
#include <cmath>

namespace vsr::cpu {

void apply_activation(const Activation& a, float* d, int64_t count, int64_t channels, int64_t channel_size) {
  switch (a.kind) {
    case ActivationKind::None:
      return;
    case ActivationKind::Relu:
      for (int64_t i = 0; i < count; ++i) d[i] = d[i] > 0.0f ? d[i] : 0.0f;
      return;
    case ActivationKind::LeakyRelu:
      for (int64_t i = 0; i < count; ++i) d[i] = d[i] >= 0.0f ? d[i] : d[i] * a.alpha;
      return;
    case ActivationKind::PRelu:
      for (int64_t i = 0; i < count; ++i) {
        const float s = a.slopes.size() == 1 ? a.slopes[0] : a.slopes[(i / channel_size) % channels];
        d[i] = d[i] >= 0.0f ? d[i] : d[i] * s;
      }
      return;
    case ActivationKind::Sigmoid:
      for (int64_t i = 0; i < count; ++i) d[i] = 1.0f / (1.0f + std::exp(-d[i]));
      return;
    case ActivationKind::Tanh:
      for (int64_t i = 0; i < count; ++i) d[i] = std::tanh(d[i]);
      return;
    case ActivationKind::Clip:
      for (int64_t i = 0; i < count; ++i) d[i] = std::min(a.max, std::max(a.min, d[i]));
      return;
  }
}

void activation_reference(const Activation& a, const Tensor& x, Tensor& y) {
  y.resize(x.shape);
  std::copy(x.data.begin(), x.data.end(), y.data.begin());
  const int64_t channels = x.shape.size() >= 2 ? x.shape[1] : 1;
  int64_t channel_size = 1;
  for (size_t i = 2; i < x.shape.size(); ++i) channel_size *= x.shape[i];
  apply_activation(a, y.data.data(), y.numel(), channels, channel_size);
}

}  // namespace vsr::cpu

// Element-wise activations, standalone or fused after a convolution.
#pragma once
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

// Sqrt: the gradient magnitude of SPSR-style gradient branches (sqrt(dx^2 + dy^2 + eps)).
enum class ActivationKind { None, Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Clip, Sqrt };

struct Activation {
  ActivationKind kind = ActivationKind::None;
  float alpha = 0.01f;          // LeakyRelu slope
  float min = 0.0f, max = 0.0f; // Clip bounds
  std::vector<float> slopes;    // PRelu: one per channel, or a single shared slope
};

// Applies in place. `channel_size` = H*W so PRelu can find each value's channel in NCHW.
void apply_activation(const Activation& a, float* data, int64_t count, int64_t channels, int64_t channel_size);
void activation_reference(const Activation& a, const Tensor& x, Tensor& y);

}  // namespace vsr::cpu

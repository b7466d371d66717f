// ONNX Pad (constant, reflect, edge) on the two spatial axes of an NCHW float tensor. Negative pads
// crop, as the spec allows.
#pragma once
#include "tensor.h"

namespace vsr::cpu {

enum class PadMode { Constant, Reflect, Edge };

struct PadParams {
  PadMode mode = PadMode::Constant;
  float value = 0.0f;  // Constant mode
  int64_t top = 0, left = 0, bottom = 0, right = 0;
};

// Reflect mirrors without repeating the edge pixel (NumPy 'reflect'), folding again when a pad is
// wider than the image. Throws vsr::Error for a non-4-D input, an empty result or more than 2^30
// output elements.
void pad2d(const Tensor& x, const PadParams& p, Tensor& y);

}  // namespace vsr::cpu

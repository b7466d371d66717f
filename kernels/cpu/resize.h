// ONNX Resize on the two spatial axes of an NCHW tensor: nearest, linear and cubic, with the
// coordinate modes exporters emit (half_pixel, pytorch_half_pixel, align_corners, asymmetric).
#pragma once
#include <string>

#include "tensor.h"

namespace vsr::cpu {

enum class ResizeMode { Nearest, Linear, Cubic };
enum class CoordinateMode { HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric };
enum class NearestRounding { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };

struct ResizeParams {
  ResizeMode mode = ResizeMode::Nearest;
  CoordinateMode coordinates = CoordinateMode::HalfPixel;
  NearestRounding nearest = NearestRounding::RoundPreferFloor;
  float cubic_a = -0.75f;
  bool exclude_outside = false;
  // Either scales (when > 0) or an explicit output size.
  double scale_h = 0.0, scale_w = 0.0;
  int64_t out_h = 0, out_w = 0;
};

void resize_reference(const Tensor& x, const ResizeParams& p, Tensor& y);

}  // namespace vsr::cpu

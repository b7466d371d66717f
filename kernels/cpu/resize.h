// ONNX Resize on the two spatial axes of an NCHW tensor: nearest, linear and cubic, with the
// coordinate modes exporters emit (half_pixel, pytorch_half_pixel, align_corners, asymmetric).
#pragma once
#include <string>
#include <vector>

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

// For one axis: each output index's source taps (indices, weights); two taps for linear, four for
// cubic, one for nearest. Index clamping = edge replication, as ONNX Runtime and PyTorch do.
struct AxisTaps {
  int taps = 1;
  std::vector<int64_t> index;
  std::vector<float> weight;
};

// Everything a Resize of one input shape needs: the output size and both axes' taps. The CUDA twin
// samples with these very tables, so both backends agree by construction.
struct ResizePlan {
  int64_t out_h = 0, out_w = 0;
  AxisTaps rows, cols;
};
ResizePlan plan_resize(const std::vector<int64_t>& x_shape, const ResizeParams& p);

void resize_reference(const Tensor& x, const ResizeParams& p, Tensor& y);

}  // namespace vsr::cpu

// ONNX GridSample (opset 16) on 4-D NCHW float input: the flow-warping op. Semantics are PyTorch's
// grid_sample, which the ONNX spec adopts: grid[n, h, w] = (x, y) in [-1, 1] (x across the width),
// unnormalised with or without align_corners, out-of-range handled by the padding mode.
#pragma once
#include "tensor.h"

namespace vsr::cpu {

enum class GridSampleMode { Bilinear, Nearest };
enum class GridPadding { Zeros, Border, Reflection };

struct GridSampleParams {
  GridSampleMode mode = GridSampleMode::Bilinear;
  GridPadding padding = GridPadding::Zeros;
  bool align_corners = false;
};

// x: N x C x H x W, grid: N x Ho x Wo x 2, y: N x C x Ho x Wo. Non-finite grid values sample 0 with
// zeros padding. Throws vsr::Error on mismatched shapes.
void grid_sample(const Tensor& x, const Tensor& grid, const GridSampleParams& p, Tensor& y);

}  // namespace vsr::cpu

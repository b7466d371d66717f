// Backward warping by a flow field, in LibTorch and as ONNX nodes that compute the same thing
// (interpolation and window SR models align frames with it).
#pragma once
#include <torch/torch.h>

#include <string>

#include "models/onnx_writer.h"

namespace vsr::train {

// Backward warp: samples `image` at (x + flow_x, y + flow_y), bilinear, border padding,
// align_corners=false, with the normalised grid computed exactly as the ONNX export computes it.
torch::Tensor backward_warp(const torch::Tensor& image, const torch::Tensor& flow);

// The run-time pieces of the sampling grid, shared by both warps: the pixel columns [W] and rows
// [H, 1] as floats, and per axis the scale 2/size and offset 1/size - 1 that map a pixel position p
// to GridSample's normalised coordinate (align_corners=false): (2p + 1)/size - 1.
struct GridParts {
  std::string columns, rows, scale_x, offset_x, scale_y, offset_y;
};

// Adds the grid pieces for images the size of `input` (one set per graph: the names are fixed).
GridParts export_grid_parts(OnnxWriter& w, const std::string& input);

// GridSample of `image` at (x, y) + flow: the graph twin of backward_warp().
std::string export_warp(OnnxWriter& w, const std::string& name, const std::string& image, const std::string& flow,
                        const GridParts& g);

}  // namespace vsr::train

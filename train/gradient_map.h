// The gradient-magnitude map sqrt(dx^2 + dy^2 + 1e-6) per colour (central differences, edges
// replicated) — SPSR's gradient-profile loss (losses.h) and its gradient branch's input — written into
// an ONNX graph the engine runs: Pad (edge) -> grouped 3x3 Conv (dx, dy per colour) -> Mul (square)
// -> grouped 1x1 Conv (dx^2 + dy^2, the 1e-6 as its bias) -> Sqrt. losses.h's gradient_magnitude()
// is the LibTorch side; the parity tests hold the two together.
#pragma once
#include <string>

#include "models/onnx_writer.h"

namespace vsr::train {

// Adds the nodes (named prefix + ...) reading the N x colours x H x W tensor `input`; returns the
// name of the N x colours x H x W magnitude tensor.
std::string export_gradient_map(OnnxWriter& w, const std::string& prefix, const std::string& input, int colours = 3);

}  // namespace vsr::train

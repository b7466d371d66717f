// Element-wise Add/Sub/Mul/Div with NumPy (ONNX multidirectional) broadcasting.
#pragma once
#include "tensor.h"

namespace vsr::cpu {

enum class BinaryOp { Add, Sub, Mul, Div };

std::vector<int64_t> broadcast_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b);
void binary_reference(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& y);

}  // namespace vsr::cpu

// Element-wise Add/Sub/Mul/Div with NumPy (ONNX multidirectional) broadcasting.
#pragma once
#include "tensor.h"

namespace vsr::cpu {

enum class BinaryOp { Add, Sub, Mul, Div };

// Element strides of a tensor of `shape` over a broadcast index space of `rank` axes (right-aligned,
// 0 on the axes where the tensor is broadcast), shared by the float and int64 element-wise ops.
std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape, size_t rank);
std::vector<int64_t> broadcast_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b);
void binary_reference(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& y);

}  // namespace vsr::cpu

// ONNX Transpose with a general permutation, on float or int64 tensors (pixel-unshuffle and RRDB
// exports emit Reshape + 6-D Transpose).
#pragma once
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

// Transpose's plan, shared with the CUDA kernel: the output shape and, per output axis, the input
// stride it walks along. An empty perm reverses the axes. Throws vsr::Error if perm is not a
// permutation of 0..rank-1.
struct TransposePlan {
  std::vector<int64_t> shape, stride;
};
TransposePlan transpose_plan(const std::vector<int64_t>& x_shape, const std::vector<int64_t>& perm);

// y.shape[i] = x.shape[perm[i]]. An empty perm reverses the axes. Throws vsr::Error if perm is not a
// permutation of 0..rank-1.
void transpose(const Tensor& x, const std::vector<int64_t>& perm, Tensor& y);

}  // namespace vsr::cpu

// ONNX Transpose with a general permutation, on float or int64 tensors (pixel-unshuffle and RRDB
// exports emit Reshape + 6-D Transpose).
#pragma once
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

// y.shape[i] = x.shape[perm[i]]. An empty perm reverses the axes. Throws vsr::Error if perm is not a
// permutation of 0..rank-1.
void transpose(const Tensor& x, const std::vector<int64_t>& perm, Tensor& y);

}  // namespace vsr::cpu

// Pooling over the spatial axes of an N x C x spatial... float tensor.
#pragma once
#include "tensor.h"

namespace vsr::cpu {

// ONNX GlobalAveragePool: y[n,c,1,...,1] = mean of x[n,c,...]. Rank >= 3.
void global_average_pool(const Tensor& x, Tensor& y);

}  // namespace vsr::cpu

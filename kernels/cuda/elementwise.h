// Element-wise CUDA kernels, twins of kernels/cpu/activation and kernels/cpu/binary_ops (the CPU
// reference is the oracle in tests/cuda).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

#include "kernels/cpu/activation.h"
#include "kernels/cpu/binary_ops.h"

namespace vsr::cuda {

// In place on `count` NCHW values with `channels` channels of `plane` values each. For PRelu,
// `prelu_slopes` is device memory holding a.slopes (one per channel, or one shared).
void activation(const cpu::Activation& a, float* x, int64_t count, int64_t channels, int64_t plane,
                const float* prelu_slopes, cudaStream_t stream);

// After a convolution, in place on N x C x plane values: y = act(y + bias[c]) (+ residual), one pass.
// `bias` (C values), `prelu_slopes` and `residual` (same shape as y) are device memory or null.
void bias_activation(float* y, int64_t batch, int64_t channels, int64_t plane, const float* bias,
                     const cpu::Activation& a, const float* prelu_slopes, const float* residual, cudaStream_t stream);

// In place: x = x * scale + offset (the engine's value-range mapping around a network).
void affine(float* x, int64_t count, float scale, float offset, cudaStream_t stream);

// y = a op b with ONNX (NumPy) broadcasting; y has broadcast_shape(a_shape, b_shape).
void binary(cpu::BinaryOp op, const float* a, const std::vector<int64_t>& a_shape, const float* b,
            const std::vector<int64_t>& b_shape, float* y, cudaStream_t stream);

}  // namespace vsr::cuda

// Convolution and transposed convolution through cuDNN, twins of kernels/cpu/conv_reference. Tensors
// stay fp32 NCHW in device memory; precision Fp16 lets cuDNN run the products on tensor cores
// (CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION), Fp32 keeps true fp32 arithmetic (no TF32). Bias, the
// activation and an optional residual are applied in one pass after the primitive. The algorithm and
// workspace are chosen once per input shape.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/cpu/conv_onednn.h"  // cpu::ConvLayer

namespace vsr::cuda {

enum class ConvPrecision { Fp32, Fp16 };

class CudnnConv {
 public:
  CudnnConv(const cpu::ConvLayer& layer, bool transpose, ConvPrecision precision, cudaStream_t stream);
  ~CudnnConv();
  CudnnConv(const CudnnConv&) = delete;
  CudnnConv& operator=(const CudnnConv&) = delete;

  std::vector<int64_t> output_shape(const std::vector<int64_t>& x_shape) const;
  // x and y (output_shape(x_shape)) are device memory; `residual` (y's shape) may be null.
  void run(const float* x, const std::vector<int64_t>& x_shape, float* y, const float* residual, cudaStream_t stream);
  // The cuDNN algorithm picked for the last shape (for logs and benchmarks).
  int algorithm() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::cuda

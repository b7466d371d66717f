// 2-D convolution and transposed convolution on NCHW float tensors, with an optional fused
// activation (the plan fuses Conv+Bias+Relu/LeakyRelu/PRelu into one call).
#pragma once
#include "activation.h"
#include "tensor.h"

namespace vsr::cpu {

struct ConvParams {
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int64_t group = 1;
  // ConvTranspose only.
  int64_t output_pad_h = 0, output_pad_w = 0;
  Activation activation;  // applied after bias
};

// Output spatial size of a convolution; throws vsr::Error if the input is too small.
std::vector<int64_t> conv_output_shape(const Tensor& x, const Tensor& w, const ConvParams& p);
std::vector<int64_t> conv_transpose_output_shape(const Tensor& x, const Tensor& w, const ConvParams& p);

// Plain loops: the oracle for every optimised convolution. `bias` may be null.
void conv2d_reference(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvParams& p, Tensor& y);
void conv_transpose2d_reference(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvParams& p, Tensor& y);

}  // namespace vsr::cpu

// cuDNN convolutions against the CPU reference: strides, dilations, groups, padding, every fused
// activation, bias, residual; transposed convolutions with output padding; fp32 exact to 1e-4 and
// fp16 (tensor cores) to a tolerance that half precision allows.
#include <gtest/gtest.h>

#include "../op_test_helpers.h"
#include "cuda_test_util.h"
#include "kernels/cpu/binary_ops.h"
#include "kernels/cpu/conv.h"
#include "kernels/cuda/conv_cudnn.h"

namespace vsr::cpu {
namespace {

using cuda_test::to_device;
using op_test::max_abs_diff;
using op_test::random_tensor;

struct Case {
  std::vector<int64_t> weight;  // Conv: K x C/g x kh x kw; ConvTranspose: C x K/g x kh x kw
  int64_t stride, pad, dilation, group;
  ActivationKind act;
  bool transpose;
  int64_t output_pad = 0;
};

ConvLayer layer_for(const Case& c) {
  ConvLayer L;
  L.weight = random_tensor(c.weight, -0.2f, 0.2f);
  const int64_t out = c.transpose ? c.weight[1] * c.group : c.weight[0];
  L.bias = random_tensor({out});
  L.has_bias = true;
  ConvParams& p = L.params;
  p.stride_h = p.stride_w = c.stride;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = c.pad;
  p.dilation_h = p.dilation_w = c.dilation;
  p.group = c.group;
  p.output_pad_h = p.output_pad_w = c.output_pad;
  p.activation.kind = c.act;
  p.activation.alpha = 0.1f;
  if (c.act == ActivationKind::PRelu) p.activation.slopes = random_tensor({out}, 0.0f, 0.3f).data;
  return L;
}

const std::vector<Case> kCases = {
    {{16, 3, 3, 3}, 1, 1, 1, 1, ActivationKind::Relu, false},
    {{32, 16, 3, 3}, 1, 1, 1, 1, ActivationKind::PRelu, false},
    {{12, 32, 1, 1}, 1, 0, 1, 1, ActivationKind::None, false},
    {{8, 4, 5, 5}, 2, 2, 1, 2, ActivationKind::LeakyRelu, false},
    {{8, 8, 3, 3}, 1, 2, 2, 1, ActivationKind::Sigmoid, false},
    {{16, 1, 9, 9}, 2, 4, 1, 1, ActivationKind::None, true, 1},  // FSRCNN's x2 deconvolution
    {{8, 2, 4, 4}, 2, 1, 1, 4, ActivationKind::Relu, true, 0},
};

void check_case(const Case& c, cuda::ConvPrecision precision, float tolerance) {
  cuda::Stream s;
  const ConvLayer L = layer_for(c);
  const int64_t in_channels = c.transpose ? c.weight[0] : c.weight[1] * c.group;
  const Tensor x = random_tensor({1, in_channels, 13, 10});
  Tensor ref;
  if (c.transpose)
    conv_transpose2d_reference(x, L.weight, &L.bias, L.params, ref);
  else
    conv2d_reference(x, L.weight, &L.bias, L.params, ref);
  cuda::CudnnConv conv(L, c.transpose, precision, s.get());
  ASSERT_EQ(conv.output_shape(x.shape), ref.shape);
  auto dx = to_device(x, s.get());
  cuda_test::Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
  conv.run(dx.data(), x.shape, y.data(), nullptr, s.get());
  EXPECT_LE(max_abs_diff(cuda_test::guarded_tensor(y, ref.shape, s.get(), "convolution"), ref), tolerance)
      << "weight " << shape_string(c.weight) << (c.transpose ? " transposed" : "") << ", algorithm " << conv.algorithm();
  // With a residual: y + r, in the same pass.
  const Tensor r = random_tensor(ref.shape);
  Tensor with_residual;
  binary_reference(BinaryOp::Add, ref, r, with_residual);
  auto dr = to_device(r, s.get());
  conv.run(dx.data(), x.shape, y.data(), dr.data(), s.get());
  EXPECT_LE(max_abs_diff(cuda_test::guarded_tensor(y, ref.shape, s.get(), "convolution + residual"), with_residual),
            tolerance)
      << "with a residual";
}

TEST(CudnnConv, Fp32MatchesTheReference) {
  VSR_REQUIRE_GPU();
  for (const Case& c : kCases) check_case(c, cuda::ConvPrecision::Fp32, 1e-4f);
}

TEST(CudnnConv, Fp16TensorCoresStayWithinHalfPrecision) {
  VSR_REQUIRE_GPU();
  for (const Case& c : kCases) check_case(c, cuda::ConvPrecision::Fp16, 2e-2f);
}

}  // namespace
}  // namespace vsr::cpu

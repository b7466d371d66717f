// CPU ops against expectations computed independently of the kernels: small cases worked out by hand
// (or copied from the ONNX operator spec) and naive formulas written here from the operator definitions.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>

#include "kernels/cpu/activation.h"
#include "kernels/cpu/binary_ops.h"
#include "kernels/cpu/conv.h"
#include "kernels/cpu/conv_onednn.h"
#include "kernels/cpu/layout_ops.h"
#include "kernels/cpu/resize.h"
#include "op_test_helpers.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

using op_test::iota;
using op_test::max_abs_diff;
using op_test::random_tensor;

Tensor make(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t{std::move(shape), std::move(values), {}, false};
  EXPECT_EQ(t.numel(), int64_t(t.data.size())) << "test bug: wrong value count for " << shape_string(t.shape);
  return t;
}




void expect_values(const Tensor& y, std::vector<int64_t> shape, const std::vector<float>& expected, float tol = 0.0f) {
  ASSERT_EQ(y.shape, shape);
  ASSERT_EQ(y.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y.data[i], expected[i], tol) << "at flat index " << i;
}


TEST(Conv2dReference, Valid2x2KernelHandComputed) {
  // x = 1..9 (3x3), k = [[1,2],[3,4]]: y(0,0) = 1*1 + 2*2 + 3*4 + 4*5 = 37, and so on.
  Tensor y;
  conv2d_reference(iota({1, 1, 3, 3}, 1), make({1, 1, 2, 2}, {1, 2, 3, 4}), nullptr, {}, y);
  expect_values(y, {1, 1, 2, 2}, {37, 47, 67, 77});
}

TEST(Conv2dReference, ZeroPaddingAndBias) {
  // A 3x3 box filter over 1..9 with one pixel of zero padding: each output is its neighbourhood sum.
  ConvParams p;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
  const Tensor bias = make({1}, {0.5f});
  Tensor y;
  conv2d_reference(iota({1, 1, 3, 3}, 1), make({1, 1, 3, 3}, std::vector<float>(9, 1.0f)), &bias, p, y);
  expect_values(y, {1, 1, 3, 3}, {12.5f, 21.5f, 16.5f, 27.5f, 45.5f, 33.5f, 24.5f, 39.5f, 28.5f});
}

TEST(Conv2dReference, StrideAndDilationPickTheRightTaps) {
  ConvParams p;
  p.stride_h = p.stride_w = 2;
  Tensor y;  // a 1x1 identity kernel with stride 2 samples the even rows and columns of 0..15
  conv2d_reference(iota({1, 1, 4, 4}), make({1, 1, 1, 1}, {1}), nullptr, p, y);
  expect_values(y, {1, 1, 2, 2}, {0, 2, 8, 10});
  p = ConvParams{};
  p.dilation_h = p.dilation_w = 2;  // taps at (0,0),(0,2),(2,0),(2,2): y(0,0) = 1*0 + 2*2 + 3*8 + 4*10
  conv2d_reference(iota({1, 1, 4, 4}), make({1, 1, 2, 2}, {1, 2, 3, 4}), nullptr, p, y);
  expect_values(y, {1, 1, 2, 2}, {68, 78, 108, 118});
}

TEST(Conv2dReference, GroupsSeeOnlyTheirOwnChannels) {
  // 4 channels in 2 groups: out0 = 1*x0 + 10*x1, out1 = 100*x2 + 1000*x3. A wrong group mapping
  // mixes the decades.
  ConvParams p;
  p.group = 2;
  Tensor y;
  conv2d_reference(make({1, 4, 1, 1}, {1, 2, 3, 4}), make({2, 2, 1, 1}, {1, 10, 100, 1000}), nullptr, p, y);
  expect_values(y, {1, 2, 1, 1}, {21, 4300});
  p.group = 4;  // depthwise: each output channel scales its own input channel
  conv2d_reference(make({1, 4, 1, 1}, {1, 2, 3, 4}), make({4, 1, 1, 1}, {1, 10, 100, 1000}), nullptr, p, y);
  expect_values(y, {1, 4, 1, 1}, {1, 20, 300, 4000});
}

TEST(Conv2dReference, FusedActivationsAfterBias) {
  // Identity 1x1 conv on 2 channels, so y = activation(x + bias) and each case is checkable by hand.
  const Tensor x = make({1, 2, 1, 3}, {-2, 0.5f, 3, -4, -1, 2});
  const Tensor w = make({2, 2, 1, 1}, {1, 0, 0, 1});
  const Tensor bias = make({2}, {1, 0});  // channel 0 becomes {-1, 1.5, 4}
  ConvParams p;
  Tensor y;
  p.activation.kind = ActivationKind::Relu;
  conv2d_reference(x, w, &bias, p, y);
  expect_values(y, {1, 2, 1, 3}, {0, 1.5f, 4, 0, 0, 2});
  p.activation.kind = ActivationKind::LeakyRelu;
  p.activation.alpha = 0.1f;
  conv2d_reference(x, w, &bias, p, y);
  expect_values(y, {1, 2, 1, 3}, {-0.1f, 1.5f, 4, -0.4f, -0.1f, 2}, 1e-6f);
  p.activation.kind = ActivationKind::PRelu;
  p.activation.slopes = {0.5f, 0.25f};  // per channel
  conv2d_reference(x, w, &bias, p, y);
  expect_values(y, {1, 2, 1, 3}, {-0.5f, 1.5f, 4, -1, -0.25f, 2});
}

// The Conv definition, written out: y[n,m,oy,ox] = b[m] + sum over the group's input channels and
// the kernel of x[n, g*Cg + c, oy*s - pad + k*d] * w[m,c,k]; positions outside the input read 0.
Tensor naive_conv(const Tensor& x, const Tensor& w, const Tensor* b, const ConvParams& p, int64_t OH, int64_t OW) {
  const int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3), M = w.dim(0), Cg = w.dim(1);
  Tensor y;
  y.resize({N, M, OH, OW});
  auto at = [&](int64_t n, int64_t c, int64_t iy, int64_t ix) {
    return (iy < 0 || iy >= H || ix < 0 || ix >= W) ? 0.0 : double(x.data[((n * C + c) * H + iy) * W + ix]);
  };
  for (int64_t n = 0; n < N; ++n)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double s = b ? b->data[m] : 0.0;
          const int64_t g = m / (M / p.group);
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t ky = 0; ky < w.dim(2); ++ky)
              for (int64_t kx = 0; kx < w.dim(3); ++kx)
                s += at(n, g * Cg + c, oy * p.stride_h - p.pad_top + ky * p.dilation_h,
                        ox * p.stride_w - p.pad_left + kx * p.dilation_w) *
                     w.data[((m * Cg + c) * w.dim(2) + ky) * w.dim(3) + kx];
          y.data[((n * M + m) * OH + oy) * OW + ox] = static_cast<float>(s);
        }
  return y;
}

struct ConvCase {
  const char* name;
  std::vector<int64_t> x_shape, w_shape;
  ConvParams p;
  bool bias;
};

ConvParams params(int64_t stride, int64_t dil, std::array<int64_t, 4> pad, int64_t group, ActivationKind act) {
  ConvParams p;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dil;
  p.pad_top = pad[0], p.pad_left = pad[1], p.pad_bottom = pad[2], p.pad_right = pad[3];
  p.group = group;
  p.activation.kind = act;
  p.activation.alpha = 0.2f;
  p.activation.min = -0.3f, p.activation.max = 0.4f;
  return p;
}

std::vector<ConvCase> conv_cases() {
  using A = ActivationKind;
  std::vector<ConvCase> cases = {
      {"3x3 pad1 bias relu", {1, 3, 17, 13}, {16, 3, 3, 3}, params(1, 1, {1, 1, 1, 1}, 1, A::Relu), true},
      {"grouped 4 leaky", {1, 16, 9, 11}, {16, 4, 3, 3}, params(1, 1, {1, 1, 1, 1}, 4, A::LeakyRelu), true},
      {"depthwise", {2, 8, 7, 7}, {8, 1, 3, 3}, params(1, 1, {1, 1, 1, 1}, 8, A::None), false},
      {"5x5 pad2 sigmoid", {1, 4, 12, 10}, {6, 4, 5, 5}, params(1, 1, {2, 2, 2, 2}, 1, A::Sigmoid), true},
      {"dilation2 tanh", {1, 5, 13, 9}, {7, 5, 3, 3}, params(1, 2, {2, 2, 2, 2}, 1, A::Tanh), true},
      {"stride2 odd clip", {1, 6, 15, 9}, {5, 6, 3, 3}, params(2, 1, {1, 1, 1, 1}, 1, A::Clip), true},
      {"asymmetric pad", {1, 3, 8, 7}, {4, 3, 2, 2}, params(1, 1, {0, 1, 1, 0}, 1, A::None), true},
      {"1x1 prelu", {1, 8, 5, 6}, {12, 8, 1, 1}, params(1, 1, {0, 0, 0, 0}, 1, A::PRelu), false},
  };
  for (ConvCase& c : cases)  // PRelu: a distinct slope per output channel
    for (int64_t m = 0; m < c.w_shape[0]; ++m) c.p.activation.slopes.push_back(0.05f * float(m + 1));
  return cases;
}

TEST(Conv2dReference, MatchesTheDefinitionOnRandomCases) {
  // Combinations of padding, stride, dilation and groups; fused activations are checked by hand above.
  for (ConvCase c : conv_cases()) {
    SCOPED_TRACE(c.name);
    c.p.activation.kind = ActivationKind::None;
    const Tensor x = random_tensor(c.x_shape), w = random_tensor(c.w_shape), b = random_tensor({c.w_shape[0]});
    Tensor y;
    conv2d_reference(x, w, c.bias ? &b : nullptr, c.p, y);
    EXPECT_LE(max_abs_diff(y, naive_conv(x, w, c.bias ? &b : nullptr, c.p, y.dim(2), y.dim(3))), 1e-5f);
  }
}

TEST(OnednnConv, MatchesReferenceOnRandomCases) {
  for (const ConvCase& c : conv_cases()) {
    SCOPED_TRACE(c.name);
    const Tensor w = random_tensor(c.w_shape), b = random_tensor({c.w_shape[0]});
    OnednnConv conv(w, c.bias ? &b : nullptr, c.p);
    // Run twice with the same shape (cached primitive, fresh data), then with a new shape (rebuild).
    std::vector<std::vector<int64_t>> shapes = {c.x_shape, c.x_shape, c.x_shape};
    shapes[2][2] += 3;
    shapes[2][3] += 1;
    for (const auto& shape : shapes) {
      const Tensor x = random_tensor(shape);
      Tensor fast, ref;
      conv.run(x, fast);
      conv2d_reference(x, w, c.bias ? &b : nullptr, c.p, ref);
      EXPECT_LE(max_abs_diff(fast, ref), 1e-4f) << "input " << shape_string(shape);
    }
  }
}

TEST(OnednnConv, ChainMatchesTheLayersOneByOne) {
  // conv5x5+relu -> grouped conv3x3+leaky -> strided conv3x3 without bias + prelu (ends the chain).
  std::vector<ConvLayer> layers(3);
  layers[0] = {random_tensor({16, 3, 5, 5}), random_tensor({16}), true, params(1, 1, {2, 2, 2, 2}, 1, ActivationKind::Relu)};
  layers[1] = {random_tensor({12, 8, 3, 3}), random_tensor({12}), true, params(1, 1, {1, 1, 1, 1}, 2, ActivationKind::LeakyRelu)};
  layers[2] = {random_tensor({5, 12, 3, 3}), Tensor{}, false, params(2, 1, {1, 0, 1, 2}, 1, ActivationKind::None)};
  layers[2].params.activation.kind = ActivationKind::PRelu;
  layers[2].params.activation.slopes = {0.1f, -0.2f, 0.3f, 0.05f, 0.5f};
  OnednnConv chain(layers);
  for (const auto& shape : std::vector<std::vector<int64_t>>{{1, 3, 17, 23}, {1, 3, 17, 23}, {1, 3, 9, 30}}) {
    const Tensor x = random_tensor(shape);
    Tensor fast, a, b, ref;
    chain.run(x, fast);
    conv2d_reference(x, layers[0].weight, &layers[0].bias, layers[0].params, a);
    conv2d_reference(a, layers[1].weight, &layers[1].bias, layers[1].params, b);
    conv2d_reference(b, layers[2].weight, nullptr, layers[2].params, ref);
    ASSERT_EQ(fast.shape, ref.shape);
    EXPECT_LE(max_abs_diff(fast, ref), 1e-4f) << "input " << shape_string(shape);
  }
  // PRelu is a oneDNN post-op like the others, so it may sit anywhere in a chain
  // (test_onednn_more.cpp runs chains with PRelu inside).
  EXPECT_TRUE(OnednnConv::chainable_inside(layers[2].params));
}

TEST(Conv2dReference, ChannelMismatchThrows) {
  Tensor y;
  const Tensor x = random_tensor({1, 3, 4, 4}), w = random_tensor({2, 4, 3, 3});
  EXPECT_THROW(conv2d_reference(x, w, nullptr, {}, y), vsr::Error);
  OnednnConv conv(w, nullptr, {});
  EXPECT_THROW(conv.run(x, y), vsr::Error);
  EXPECT_THROW(conv2d_reference(random_tensor({1, 4, 2, 2}), w, nullptr, {}, y), vsr::Error);  // too small
}

TEST(Conv2dReference, GroupsThatDoNotDivideTheChannelsThrow) {
  // 4 inputs in 2 groups is fine, but 3 output channels cannot be split into 2 groups: without the
  // check the reference read past the input.
  Tensor y;
  ConvParams p;
  p.group = 2;
  EXPECT_THROW(conv2d_reference(random_tensor({1, 4, 3, 3}), random_tensor({3, 2, 1, 1}), nullptr, p, y), vsr::Error);
  // ConvTranspose: 3 input channels in 2 groups used to drop the last channel silently.
  EXPECT_THROW(conv_transpose2d_reference(random_tensor({1, 3, 2, 2}), random_tensor({3, 1, 1, 1}), nullptr, p, y),
               vsr::Error);
}

TEST(ConvTranspose2dReference, Stride2PlacesOneKernelCopyPerInputPixel) {
  // Stride 2 with a 2x2 kernel: footprints tile the output without overlap, each x(i,j)*k.
  ConvParams p;
  p.stride_h = p.stride_w = 2;
  Tensor y;
  conv_transpose2d_reference(make({1, 1, 2, 2}, {1, 2, 3, 4}), make({1, 1, 2, 2}, {1, 10, 100, 1000}), nullptr, p, y);
  expect_values(y, {1, 1, 4, 4}, {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000});
}

TEST(ConvTranspose2dReference, OutputPaddingAddsBiasOnlyRowAndColumn) {
  // 1x1 kernel, stride 2: output (2-1)*2 + 1 = 3, plus output_padding 1 = 4. Only even positions
  // receive input; the rest, including the padded row/column, hold just the bias.
  ConvParams p;
  p.stride_h = p.stride_w = 2;
  p.output_pad_h = p.output_pad_w = 1;
  const Tensor bias = make({1}, {0.5f});
  Tensor y;
  conv_transpose2d_reference(make({1, 1, 2, 2}, {1, 2, 3, 4}), make({1, 1, 1, 1}, {2}), &bias, p, y);
  const float b = 0.5f;
  expect_values(y, {1, 1, 4, 4}, {2.5f, b, 4.5f, b, b, b, b, b, 6.5f, b, 8.5f, b, b, b, b, b});
}

TEST(ConvTranspose2dReference, MatchesScatterDefinition) {
  // Weight layout is [C_in, M/group, KH, KW]; each input value adds x * w to y[iy*s - pad + ky*d].
  // C_in=4, M=6, group 2, 3x3, different strides and pads per side, output_padding 1.
  const int64_t sh = 2, sw = 3, pt = 1, pl = 0, pb = 0, pr = 1;
  ConvParams p;
  p.stride_h = sh, p.stride_w = sw;
  p.pad_top = pt, p.pad_left = pl, p.pad_bottom = pb, p.pad_right = pr;
  p.output_pad_h = p.output_pad_w = 1;
  p.group = 2;
  const Tensor x = random_tensor({1, 4, 3, 5}), w = random_tensor({4, 3, 3, 3}), b = random_tensor({6});
  Tensor y;
  conv_transpose2d_reference(x, w, &b, p, y);
  const int64_t OH = (3 - 1) * sh - pt - pb + 3 + 1, OW = (5 - 1) * sw - pl - pr + 3 + 1;
  ASSERT_EQ(y.shape, (std::vector<int64_t>{1, 6, OH, OW}));
  std::vector<double> e(6 * OH * OW);
  for (int64_t m = 0; m < 6; ++m)
    for (int64_t i = 0; i < OH * OW; ++i) e[m * OH * OW + i] = b.data[m];
  for (int64_t ci = 0; ci < 4; ++ci)
    for (int64_t iy = 0; iy < 3; ++iy)
      for (int64_t ix = 0; ix < 5; ++ix)
        for (int64_t mg = 0; mg < 3; ++mg)
          for (int64_t ky = 0; ky < 3; ++ky)
            for (int64_t kx = 0; kx < 3; ++kx) {
              const int64_t oy = iy * sh - pt + ky, ox = ix * sw - pl + kx, m = (ci / 2) * 3 + mg;
              if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
              e[(m * OH + oy) * OW + ox] +=
                  double(x.data[(ci * 3 + iy) * 5 + ix]) * w.data[((ci * 3 + mg) * 3 + ky) * 3 + kx];
            }
  for (size_t i = 0; i < e.size(); ++i) EXPECT_NEAR(y.data[i], e[i], 1e-5) << "at flat index " << i;
}

TEST(DepthToSpace, MatchesOnnxSpecExamples) {
  // Both tables are the ONNX operator documentation's examples for x = arange(48) in [1,8,2,3], b=2.
  Tensor y;
  depth_to_space(iota({1, 8, 2, 3}), 2, DepthToSpaceMode::DCR, y);
  expect_values(y, {1, 2, 4, 6}, {0,  12, 1,  13, 2,  14, 24, 36, 25, 37, 26, 38, 3,  15, 4,  16, 5,  17,
                                  27, 39, 28, 40, 29, 41, 6,  18, 7,  19, 8,  20, 30, 42, 31, 43, 32, 44,
                                  9,  21, 10, 22, 11, 23, 33, 45, 34, 46, 35, 47});
  depth_to_space(iota({1, 8, 2, 3}), 2, DepthToSpaceMode::CRD, y);
  expect_values(y, {1, 2, 4, 6}, {0,  6,  1,  7,  2,  8,  12, 18, 13, 19, 14, 20, 3,  9,  4,  10, 5,  11,
                                  15, 21, 16, 22, 17, 23, 24, 30, 25, 31, 26, 32, 36, 42, 37, 43, 38, 44,
                                  27, 33, 28, 34, 29, 35, 39, 45, 40, 46, 41, 47});
}

TEST(DepthToSpace, IndexFormulaBlock3Batch2) {
  // DCR: y[n,c,h*b+i,w*b+j] = x[n,(i*b+j)*OC + c,h,w];  CRD: x[n, c*b*b + i*b + j, h, w].
  const int64_t N = 2, C = 18, H = 2, W = 3, b = 3, OC = 2;
  const Tensor x = iota({N, C, H, W});
  for (auto mode : {DepthToSpaceMode::DCR, DepthToSpaceMode::CRD}) {
    Tensor y;
    depth_to_space(x, b, mode, y);
    ASSERT_EQ(y.shape, (std::vector<int64_t>{N, OC, H * b, W * b}));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < OC; ++c)
        for (int64_t h = 0; h < H * b; ++h)
          for (int64_t w = 0; w < W * b; ++w) {
            const int64_t i = h % b, j = w % b;
            const int64_t ic = mode == DepthToSpaceMode::DCR ? (i * b + j) * OC + c : c * b * b + i * b + j;
            ASSERT_EQ(y.data[((n * OC + c) * H * b + h) * W * b + w], x.data[((n * C + ic) * H + h / b) * W + w / b]);
          }
  }
  Tensor y;
  EXPECT_THROW(depth_to_space(iota({1, 6, 2, 2}), 2, DepthToSpaceMode::DCR, y), vsr::Error);
}

std::vector<float> y_of_sqrt(const Tensor& x) {
  Activation a;
  a.kind = ActivationKind::Sqrt;
  Tensor y;
  activation_reference(a, x, y);
  return y.data;
}

TEST(Activation, KnownValues) {
  const Tensor x = make({1, 1, 1, 5}, {-2, -0.5f, 0, 0.5f, 2});
  auto check = [&](ActivationKind kind, const std::vector<float>& expected) {
    Activation a;
    a.kind = kind;
    a.alpha = 0.1f;
    a.min = -1.0f, a.max = 0.25f;
    Tensor y;
    activation_reference(a, x, y);
    expect_values(y, x.shape, expected, 1e-6f);
  };
  check(ActivationKind::Relu, {0, 0, 0, 0.5f, 2});
  check(ActivationKind::LeakyRelu, {-0.2f, -0.05f, 0, 0.5f, 2});
  check(ActivationKind::Sigmoid, {0.11920292f, 0.37754067f, 0.5f, 0.62245933f, 0.88079708f});
  check(ActivationKind::Tanh, {-0.96402758f, -0.46211716f, 0, 0.46211716f, 0.96402758f});
  check(ActivationKind::Clip, {-1, -0.5f, 0, 0.25f, 0.25f});
  const std::vector<float> root = y_of_sqrt(make({1, 1, 1, 4}, {0, 0.25f, 2, -1}));
  EXPECT_EQ(root[0], 0.0f);
  EXPECT_FLOAT_EQ(root[1], 0.5f);
  EXPECT_FLOAT_EQ(root[2], 1.41421356f);
  EXPECT_TRUE(std::isnan(root[3])) << "ONNX's Sqrt of a negative is NaN";
}

TEST(Activation, PReluPerChannelAndShared) {
  const Tensor x = make({1, 2, 1, 3}, {-1, 2, -4, -1, 2, -4});
  Activation a;
  a.kind = ActivationKind::PRelu;
  a.slopes = {0.5f, 0.25f};
  Tensor y;
  activation_reference(a, x, y);
  expect_values(y, x.shape, {-0.5f, 2, -2, -0.25f, 2, -1});
  a.slopes = {0.1f};  // one slope shared by every channel
  activation_reference(a, x, y);
  expect_values(y, x.shape, {-0.1f, 2, -0.4f, -0.1f, 2, -0.4f}, 1e-7f);
}

TEST(BinaryOps, PerChannelBroadcast) {
  const Tensor a = iota({1, 3, 4, 4}), b = make({1, 3, 1, 1}, {100, 200, 300});
  Tensor y;
  binary_reference(BinaryOp::Add, a, b, y);
  ASSERT_EQ(y.shape, a.shape);
  for (int64_t i = 0; i < 48; ++i) EXPECT_EQ(y.data[i], float(i) + 100.0f * float(i / 16 + 1));
  binary_reference(BinaryOp::Sub, a, b, y);  // operand order matters: a - b
  EXPECT_EQ(y.data[17], 17.0f - 200.0f);
  binary_reference(BinaryOp::Div, b, a, y);  // the broadcast operand may come first
  EXPECT_FLOAT_EQ(y.data[47], 300.0f / 47.0f);
}

TEST(BinaryOps, ScalarTrailingAxisAndTwoWayBroadcast) {
  const Tensor a = iota({1, 2, 2, 3}, 1);
  Tensor y;
  binary_reference(BinaryOp::Mul, a, make({}, {2}), y);  // rank-0 scalar
  expect_values(y, a.shape, {2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24});
  binary_reference(BinaryOp::Add, a, make({3}, {10, 20, 30}), y);  // aligns with the last axis
  expect_values(y, a.shape, {11, 22, 33, 14, 25, 36, 17, 28, 39, 20, 31, 42});
  // [2,1] x [1,3] -> [2,3]: y[i,j] = col[i] * row[j]
  binary_reference(BinaryOp::Mul, make({2, 1}, {1, 10}), make({1, 3}, {1, 2, 3}), y);
  expect_values(y, {2, 3}, {1, 2, 3, 10, 20, 30});
}

TEST(BinaryOps, FlowWarpGridShapesOnEveryThreadMatchTheIndexFormula) {
  // Large enough for the threaded path: a field plus a row of column positions, times a column of
  // row positions, and a last axis of 1 where neither operand walks along it.
  const int64_t H = 150, W = 230;
  const Tensor field = iota({1, 2, H, W}), columns = iota({1, 1, W}, 1000), rows = iota({1, H, 1}, 3);
  Tensor y;
  binary_reference(BinaryOp::Add, field, columns, y);
  ASSERT_EQ(y.shape, field.shape);
  for (int64_t i = 0; i < 2 * H * W; i += 97) ASSERT_EQ(y.data[i], float(i) + float(1000 + i % W)) << i;
  binary_reference(BinaryOp::Mul, rows, field, y);
  ASSERT_EQ(y.shape, field.shape);
  for (int64_t i = 0; i < 2 * H * W; i += 89) ASSERT_EQ(y.data[i], float(3 + (i / W) % H) * float(i)) << i;
  binary_reference(BinaryOp::Sub, make({2, 1, 1}, {10, 20}), make({1, 3, 1}, {1, 2, 3}), y);
  expect_values(y, {2, 3, 1}, {9, 8, 7, 19, 18, 17});
}

TEST(BinaryOps, IncompatibleShapesThrow) {
  Tensor y;
  EXPECT_THROW(binary_reference(BinaryOp::Add, iota({1, 3, 4, 4}), iota({1, 2, 1, 1}), y), vsr::Error);
  EXPECT_THROW(broadcast_shape({4, 3}, {4}), vsr::Error);
  EXPECT_EQ(broadcast_shape({5, 1, 3}, {4, 1}), (std::vector<int64_t>{5, 4, 3}));
}

TEST(Concat, ChannelAndLastAxis) {
  Tensor y;
  const Tensor a = iota({1, 2, 2, 2}), b = iota({1, 1, 2, 2}, 100);
  concat({&a, &b}, 1, y);
  expect_values(y, {1, 3, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 103});
  const Tensor c = iota({1, 1, 2, 1}, 50);
  concat({&b, &c}, -1, y);  // negative axis counts from the end
  expect_values(y, {1, 1, 2, 3}, {100, 101, 50, 102, 103, 51});
  EXPECT_THROW(concat({&a, &c}, 1, y), vsr::Error);  // differ off the axis
}

Tensor resize(const Tensor& x, ResizeParams p) {
  Tensor y;
  resize_reference(x, p, y);
  return y;
}

TEST(Resize, NearestAsymmetricFloor) {
  ResizeParams p;
  p.coordinates = CoordinateMode::Asymmetric;
  p.nearest = NearestRounding::Floor;
  p.scale_h = p.scale_w = 2.0;  // each source pixel becomes a 2x2 block
  expect_values(resize(iota({1, 1, 2, 3}), p), {1, 1, 4, 6},
                {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5});
  p.scale_h = 1.0, p.scale_w = 0.5;  // shrinking picks x = 2*o: 0, 2, 4
  expect_values(resize(iota({1, 1, 1, 6}), p), {1, 1, 1, 3}, {0, 2, 4});
}

// PyTorch's bilinear with align_corners=False, written from its definition: source = (o+0.5)/s - 0.5,
// negative sources clamp to 0, the right neighbour clamps to the last pixel.
float torch_bilinear(const Tensor& x, int64_t plane, double sy, double sx, int64_t oy, int64_t ox) {
  const int64_t H = x.dim(2), W = x.dim(3);
  auto src = [](int64_t o, double s) { return std::max(0.0, (o + 0.5) / s - 0.5); };
  const double fy = src(oy, sy), fx = src(ox, sx);
  const int64_t y0 = int64_t(fy), x0 = int64_t(fx), y1 = std::min(y0 + 1, H - 1), x1 = std::min(x0 + 1, W - 1);
  const double ly = fy - y0, lx = fx - x0;
  auto v = [&](int64_t yy, int64_t xx) { return double(x.data[(plane * H + yy) * W + xx]); };
  return float((1 - ly) * ((1 - lx) * v(y0, x0) + lx * v(y0, x1)) + ly * ((1 - lx) * v(y1, x0) + lx * v(y1, x1)));
}

TEST(Resize, LinearHalfPixelMatchesPytorchBilinear) {
  const Tensor x = random_tensor({1, 2, 5, 7});
  for (auto mode : {CoordinateMode::HalfPixel, CoordinateMode::PytorchHalfPixel}) {
    ResizeParams p;
    p.mode = ResizeMode::Linear;
    p.coordinates = mode;
    p.scale_h = p.scale_w = 2.0;
    const Tensor y = resize(x, p);
    ASSERT_EQ(y.shape, (std::vector<int64_t>{1, 2, 10, 14}));
    for (int64_t c = 0; c < 2; ++c)
      for (int64_t oy = 0; oy < 10; ++oy)
        for (int64_t ox = 0; ox < 14; ++ox)
          EXPECT_NEAR(y.data[(c * 10 + oy) * 14 + ox], torch_bilinear(x, c, 2.0, 2.0, oy, ox), 1e-5f)
              << "c=" << c << " oy=" << oy << " ox=" << ox;
  }
}

TEST(Resize, LinearShrinkSinglePixelAndAlignCorners) {
  ResizeParams p;
  p.mode = ResizeMode::Linear;
  p.scale_h = 1.0, p.scale_w = 0.5;  // half_pixel x0.5 samples between pixel pairs: 0.5, 2.5, ...
  expect_values(resize(iota({1, 1, 1, 8}), p), {1, 1, 1, 4}, {0.5f, 2.5f, 4.5f, 6.5f});
  // One output pixel from four: half_pixel samples the centre (1.5), pytorch_half_pixel pixel 0.
  p.scale_h = p.scale_w = 0.0;
  p.out_h = 1, p.out_w = 1;
  expect_values(resize(make({1, 1, 1, 4}, {0, 10, 30, 70}), p), {1, 1, 1, 1}, {20});
  p.coordinates = CoordinateMode::PytorchHalfPixel;
  expect_values(resize(make({1, 1, 1, 4}, {0, 10, 30, 70}), p), {1, 1, 1, 1}, {0});
  p.coordinates = CoordinateMode::AlignCorners;
  p.out_w = 5;  // source x = o * 2/4: 0, 0.5, 1, 1.5, 2 -- both corners are kept
  expect_values(resize(make({1, 1, 1, 3}, {0, 10, 30}), p), {1, 1, 1, 5}, {0, 5, 10, 20, 30});
}

TEST(Resize, CubicOnLinearRamp) {
  // Columns ramp 0..7, rows are constant. Keys' cubic reproduces straight lines only for a = -0.5:
  // there every interior output (all four taps inside) equals its source coordinate. With ONNX's
  // default a = -0.75 it does not: by the weights in CubicHandComputedValue, a ramp sampled at
  // fraction 0.25 gives 0.296875 past its base pixel instead of 0.25, so outputs alternate
  // +-0.046875 off the line. Rows must stay exactly constant either way (weights sum to 1).
  Tensor x;
  x.resize({1, 1, 3, 8});
  for (int64_t i = 0; i < 24; ++i) x.data[i] = float(i % 8);
  for (float a : {-0.5f, -0.75f}) {
    ResizeParams p;
    p.mode = ResizeMode::Cubic;
    p.cubic_a = a;
    p.scale_h = p.scale_w = 2.0;
    const Tensor y = resize(x, p);
    ASSERT_EQ(y.shape, (std::vector<int64_t>{1, 1, 6, 16}));
    int interior = 0;
    for (int64_t oy = 0; oy < 6; ++oy)
      for (int64_t ox = 0; ox < 16; ++ox) {
        const double src = (ox + 0.5) / 2.0 - 0.5, frac = src - std::floor(src);
        if (std::floor(src) - 1 < 0 || std::floor(src) + 2 > 7) continue;
        ++interior;
        const double off_line = a == -0.5f ? 0.0 : frac == 0.25 ? 0.046875 : -0.046875;
        EXPECT_NEAR(y.data[oy * 16 + ox], src + off_line, 1e-5) << "a=" << a << " oy=" << oy << " ox=" << ox;
      }
    EXPECT_EQ(interior, 6 * 10);
  }
}

TEST(Resize, CubicHandComputedValue) {
  // x2 half_pixel, output 5 samples source 2.25: taps 1..4 at distances 1.25, 0.25, 0.75, 1.75 with
  // a = -0.75 weights -0.10546875, 0.87890625, 0.26171875, -0.03515625 (sum 1). On 1,2,4,8,16,32:
  // 2*-0.10546875 + 4*0.87890625 + 8*0.26171875 + 16*-0.03515625 = 4.8359375.
  ResizeParams p;
  p.mode = ResizeMode::Cubic;
  p.scale_h = 1.0, p.scale_w = 2.0;
  const Tensor y = resize(make({1, 1, 1, 6}, {1, 2, 4, 8, 16, 32}), p);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{1, 1, 1, 12}));
  EXPECT_NEAR(y.data[5], 4.8359375f, 1e-5f);
}

}  // namespace
}  // namespace vsr::cpu

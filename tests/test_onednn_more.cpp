// oneDNN transposed convolution (both of its ways: the phase-decomposed convolution and
// dnnl::deconvolution_forward), PRelu as a oneDNN post-op, and the parallel activation pass, each
// against the plain reference kernels on random cases.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "kernels/cpu/activation.h"
#include "kernels/cpu/conv.h"
#include "kernels/cpu/conv_onednn.h"
#include "kernels/cpu/deconv_onednn.h"
#include "kernels/cpu/onednn_post_ops.h"
#include "op_test_helpers.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

using op_test::max_abs_diff;
using op_test::random_tensor;




Activation activation(ActivationKind kind, int64_t channels = 1) {
  Activation a;
  a.kind = kind;
  a.alpha = 0.2f;
  a.min = -0.3f, a.max = 0.4f;
  if (kind == ActivationKind::PRelu) a.slopes = random_tensor({channels}, -0.5f, 0.5f).data;
  return a;
}

// pads = {top, left, bottom, right}; output_padding = {h, w}.
ConvParams params(std::array<int64_t, 2> stride, std::array<int64_t, 4> pad, std::array<int64_t, 2> out_pad,
                  int64_t group = 1, int64_t dilation = 1) {
  ConvParams p;
  p.stride_h = stride[0], p.stride_w = stride[1];
  p.pad_top = pad[0], p.pad_left = pad[1], p.pad_bottom = pad[2], p.pad_right = pad[3];
  p.output_pad_h = out_pad[0], p.output_pad_w = out_pad[1];
  p.group = group;
  p.dilation_h = p.dilation_w = dilation;
  return p;
}

struct DeconvCase {
  std::string name;
  std::vector<int64_t> x_shape, w_shape;  // w: [C_in, C_out / group, KH, KW]
  ConvParams p;
  bool bias;
  bool phased;  // expected way: phase-decomposed convolution (else oneDNN deconvolution)
};

std::vector<DeconvCase> deconv_cases() {
  using A = ActivationKind;
  std::vector<DeconvCase> cases = {
      // FSRCNN's last layer: 56 -> 1, 9x9, stride = scale, pads 4, output_padding scale - 1.
      {"fsrcnn x2", {1, 56, 11, 14}, {56, 1, 9, 9}, params({2, 2}, {4, 4, 4, 4}, {1, 1}), true, true},
      {"fsrcnn x3", {1, 56, 9, 10}, {56, 1, 9, 9}, params({3, 3}, {4, 4, 4, 4}, {2, 2}), true, true},
      {"fsrcnn x4", {1, 56, 7, 9}, {56, 1, 9, 9}, params({4, 4}, {4, 4, 4, 4}, {3, 3}), true, true},
      {"4x4 stride2 pad1 3 outputs no bias", {1, 8, 10, 7}, {8, 3, 4, 4}, params({2, 2}, {1, 1, 1, 1}, {0, 0}), false, true},
      {"3x5 kernel strides 3,2 odd pads", {1, 6, 5, 8}, {6, 2, 3, 5}, params({3, 2}, {2, 0, 1, 3}, {2, 1}), true, true},
      {"stride 1", {1, 5, 9, 8}, {5, 4, 3, 3}, params({1, 1}, {1, 1, 1, 1}, {0, 0}), true, true},
      {"batch 2, 5x5 stride 2", {2, 4, 6, 7}, {4, 2, 5, 5}, params({2, 2}, {2, 2, 2, 2}, {1, 0}), true, true},
      // Right pad beyond the kernel: the decomposition cannot express it, oneDNN's deconvolution can.
      {"end pad beyond kernel", {1, 4, 8, 9}, {4, 2, 3, 3}, params({2, 2}, {0, 0, 3, 3}, {0, 0}), true, false},
      {"groups 2", {1, 4, 6, 7}, {4, 3, 3, 3}, params({2, 3}, {1, 0, 0, 1}, {1, 1}, 2), true, false},
      {"depthwise x2", {1, 6, 8, 5}, {6, 1, 4, 4}, params({2, 2}, {1, 1, 1, 1}, {0, 0}, 6), true, false},
      {"dilation 2", {1, 5, 7, 6}, {5, 3, 3, 3}, params({2, 2}, {1, 1, 1, 1}, {1, 1}, 1, 2), true, false},
      {"16 outputs 4x4 stride 2", {1, 8, 9, 10}, {8, 16, 4, 4}, params({2, 2}, {1, 1, 1, 1}, {0, 0}), true, false},
      {"9x9 stride 4, 24 outputs", {1, 12, 5, 6}, {12, 24, 9, 9}, params({4, 4}, {4, 4, 4, 4}, {3, 3}), true, false},
  };
  // Activations on both ways, PRelu per channel and shared.
  const A acts[] = {A::None, A::PRelu, A::Relu, A::Tanh, A::PRelu, A::LeakyRelu, A::None,
                    A::PRelu, A::PRelu, A::Clip, A::Sigmoid, A::PRelu, A::Relu};
  for (size_t i = 0; i < cases.size(); ++i) {
    const int64_t out_channels = cases[i].w_shape[1] * cases[i].p.group;
    cases[i].p.activation = activation(acts[i], i == 8 ? 1 : out_channels);  // case 8: one shared slope
  }
  return cases;
}

TEST(OnednnDeconv, MatchesReferenceOnRandomCases) {
  for (const DeconvCase& c : deconv_cases()) {
    SCOPED_TRACE(c.name);
    const int64_t out_channels = c.w_shape[1] * c.p.group;
    const Tensor w = random_tensor(c.w_shape), b = random_tensor({out_channels});
    OnednnDeconv deconv(w, c.bias ? &b : nullptr, c.p);
    EXPECT_EQ(deconv.runs_as_convolution(), c.phased);
    // Twice with the same shape (cached primitive, fresh data), then a new shape (rebuild).
    std::vector<std::vector<int64_t>> shapes = {c.x_shape, c.x_shape, c.x_shape};
    shapes[2][2] += 3;
    shapes[2][3] += 2;
    for (const auto& shape : shapes) {
      const Tensor x = random_tensor(shape);
      Tensor fast, ref;
      deconv.run(x, fast);
      conv_transpose2d_reference(x, w, c.bias ? &b : nullptr, c.p, ref);
      ASSERT_EQ(fast.shape, ref.shape) << "input " << shape_string(shape);
      EXPECT_LE(max_abs_diff(fast, ref), 1e-4f) << "input " << shape_string(shape);
    }
  }
}

// Weights scaled by fan-in so that values stay near 1 through a deep stack, as in a trained network
// (the 1e-4 tolerance is absolute).
Tensor random_weight(std::vector<int64_t> shape, int64_t fan_in) {
  const float bound = std::sqrt(3.0f / static_cast<float>(fan_in));
  return random_tensor(std::move(shape), -bound, bound);
}

// A small FSRCNN: every layer PRelu, the convolutions chained in front of the transposed one.
std::vector<ConvLayer> fsrcnn_body(int64_t d, int64_t s) {
  auto layer = [](std::vector<int64_t> w, int64_t pad) {
    ConvLayer L{random_weight(w, w[1] * w[2] * w[3]), random_tensor({w[0]}), true,
                params({1, 1}, {pad, pad, pad, pad}, {0, 0})};
    L.params.activation = activation(ActivationKind::PRelu, w[0]);
    return L;
  };
  return {layer({d, 1, 5, 5}, 2), layer({s, d, 1, 1}, 0), layer({s, s, 3, 3}, 1), layer({s, s, 3, 3}, 1),
          layer({d, s, 1, 1}, 0)};
}

TEST(OnednnDeconv, ChainedConvolutionsMatchTheLayersOneByOne) {
  for (int64_t scale : {2, 3}) {
    SCOPED_TRACE("scale " + std::to_string(scale));
    const std::vector<ConvLayer> body = fsrcnn_body(20, 6);
    ConvLayer last{random_weight({20, 1, 9, 9}, 20 * 81 / (scale * scale)), random_tensor({1}), true,
                   params({scale, scale}, {4, 4, 4, 4}, {scale - 1, scale - 1})};
    OnednnDeconv net(last, body);
    EXPECT_TRUE(net.runs_as_convolution());
    for (const auto& shape : std::vector<std::vector<int64_t>>{{1, 1, 13, 17}, {1, 1, 13, 17}, {1, 1, 8, 21}}) {
      Tensor x = random_tensor(shape), fast, ref, next;
      net.run(x, fast);
      for (const ConvLayer& L : body) {
        conv2d_reference(x, L.weight, &L.bias, L.params, next);
        std::swap(x, next);
      }
      conv_transpose2d_reference(x, last.weight, &last.bias, last.params, ref);
      EXPECT_LE(max_abs_diff(fast, ref), 1e-4f) << "input " << shape_string(shape);
    }
  }
  // The direct way (groups) behind a chain: the chain's output goes through NCHW once.
  const std::vector<ConvLayer> body = fsrcnn_body(8, 4);
  ConvLayer last{random_tensor({8, 2, 4, 4}), Tensor{}, false, params({2, 2}, {1, 1, 1, 1}, {0, 0}, 4)};
  last.params.activation = activation(ActivationKind::Relu);
  OnednnDeconv net(last, body);
  EXPECT_FALSE(net.runs_as_convolution());
  Tensor x = random_tensor({1, 1, 10, 12}), fast, ref, next;
  net.run(x, fast);
  for (const ConvLayer& L : body) {
    conv2d_reference(x, L.weight, &L.bias, L.params, next);
    std::swap(x, next);
  }
  conv_transpose2d_reference(x, last.weight, nullptr, last.params, ref);
  EXPECT_LE(max_abs_diff(fast, ref), 1e-4f);
}

TEST(OnednnDeconv, ShapeMismatchThrowsBeforeAnyWork) {
  const Tensor w = random_tensor({4, 1, 9, 9});
  for (bool phased_layer : {true, false}) {
    ConvParams p = params({2, 2}, {4, 4, 4, 4}, {1, 1}, phased_layer ? 1 : 2);
    OnednnDeconv deconv(w, nullptr, p);
    EXPECT_EQ(deconv.runs_as_convolution(), phased_layer);
    Tensor y;
    EXPECT_THROW(deconv.run(random_tensor({1, 3, 8, 8}), y), vsr::Error);  // 3 channels, weight wants 4
    EXPECT_THROW(deconv.run(random_tensor({1, 4, 8}), y), vsr::Error);     // not 4-D
    p.activation = activation(ActivationKind::PRelu, 3);  // 3 slopes for 1 or 2 output channels
    EXPECT_THROW(OnednnDeconv(w, nullptr, p), vsr::Error);
  }
}

TEST(OnednnConv, PReluPostOpsAnywhereInAChain) {
  // PRelu per channel, then a shared slope, then per channel again at the end, through strides
  // and groups; each layer's output feeds the next without leaving oneDNN.
  std::vector<ConvLayer> layers(3);
  layers[0] = {random_tensor({16, 3, 3, 3}), random_tensor({16}), true, params({1, 1}, {1, 1, 1, 1}, {0, 0})};
  layers[0].params.activation = activation(ActivationKind::PRelu, 16);
  layers[1] = {random_tensor({8, 8, 3, 3}), random_tensor({8}), true, params({2, 1}, {1, 1, 0, 1}, {0, 0}, 2)};
  layers[1].params.activation = activation(ActivationKind::PRelu, 1);
  layers[2] = {random_tensor({5, 8, 1, 1}), Tensor{}, false, params({1, 1}, {0, 0, 0, 0}, {0, 0})};
  layers[2].params.activation = activation(ActivationKind::PRelu, 5);
  ASSERT_TRUE(OnednnConv::chainable_inside(layers[0].params));
  OnednnConv chain(layers);
  for (const auto& shape : std::vector<std::vector<int64_t>>{{1, 3, 19, 23}, {2, 3, 10, 31}}) {
    Tensor x = random_tensor(shape), fast, next;
    chain.run(x, fast);
    for (const ConvLayer& L : layers) {
      conv2d_reference(x, L.weight, L.has_bias ? &L.bias : nullptr, L.params, next);
      std::swap(x, next);
    }
    EXPECT_LE(max_abs_diff(fast, x), 1e-4f) << "input " << shape_string(shape);
  }
}

TEST(OnednnPRelu, InPlaceOnEveryLayoutOneDnnPicks) {
  // oneDNN picks the output layout (NCHW, NHWC, 8- or 16-channel blocks, padded when the channel
  // count is not a multiple of the block): the pass must find each value's channel in all of them.
  using tag = dnnl::memory::format_tag;
  const Tensor x = random_tensor({2, 20, 7, 9});
  Activation a = activation(ActivationKind::PRelu, 20);
  Tensor expected;
  activation_reference(a, x, expected);
  auto& eng = onednn::cpu_engine();
  dnnl::stream stream(eng);
  const dnnl::memory::dims dims = onednn::dims_of(x.shape);
  for (tag t : {tag::nchw, tag::nhwc, tag::nChw8c, tag::nChw16c}) {
    SCOPED_TRACE("format tag " + std::to_string(static_cast<int>(t)));
    dnnl::memory user({dims, dnnl::memory::data_type::f32, tag::nchw}, eng, const_cast<float*>(x.data.data()));
    dnnl::memory m({dims, dnnl::memory::data_type::f32, t}, eng);
    dnnl::reorder(user, m).execute(stream, user, m);
    stream.wait();
    onednn::prelu_in_place(m, a.slopes);
    Tensor y;
    y.resize(x.shape);
    dnnl::memory back({dims, dnnl::memory::data_type::f32, tag::nchw}, eng, y.data.data());
    dnnl::reorder(m, back).execute(stream, m, back);
    stream.wait();
    EXPECT_LE(max_abs_diff(y, expected), 0.0f);
  }
}

TEST(OnednnConv, PReluWithTheWrongSlopeCountThrows) {
  ConvParams p = params({1, 1}, {1, 1, 1, 1}, {0, 0});
  p.activation = activation(ActivationKind::PRelu, 3);  // 3 slopes for 4 output channels
  OnednnConv conv(random_tensor({4, 2, 3, 3}), nullptr, p);
  Tensor y;
  EXPECT_THROW(conv.run(random_tensor({1, 2, 6, 6}), y), vsr::Error);
}

TEST(Activation, ParallelPassMatchesTheFormulaOnLargeTensors) {
  // Large enough for the OpenMP path; PRelu finds each value's channel from its plane.
  const Tensor x = random_tensor({2, 3, 97, 211}, -3.0f, 3.0f);
  const int64_t plane = 97 * 211;
  for (ActivationKind kind : {ActivationKind::PRelu, ActivationKind::Relu, ActivationKind::LeakyRelu,
                              ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::Clip,
                              ActivationKind::Sqrt}) {
    const Activation a = activation(kind, 3);
    Tensor y;
    activation_reference(a, x, y);
    ASSERT_EQ(y.shape, x.shape);
    float worst = 0.0f;
    for (int64_t i = 0; i < x.numel(); ++i) {
      const float v = x.data[i];
      if (kind == ActivationKind::Sqrt && v < 0) {  // ONNX's Sqrt: NaN below zero
        EXPECT_TRUE(std::isnan(y.data[i]));
        continue;
      }
      float e = v;
      switch (kind) {
        case ActivationKind::PRelu: e = v >= 0 ? v : v * a.slopes[(i / plane) % 3]; break;
        case ActivationKind::Relu: e = v > 0 ? v : 0; break;
        case ActivationKind::LeakyRelu: e = v >= 0 ? v : v * a.alpha; break;
        case ActivationKind::Sigmoid: e = 1.0f / (1.0f + std::exp(-v)); break;
        case ActivationKind::Tanh: e = std::tanh(v); break;
        case ActivationKind::Clip: e = std::min(a.max, std::max(a.min, v)); break;
        case ActivationKind::Sqrt: e = std::sqrt(v); break;
        default: break;
      }
      worst = std::max(worst, std::abs(y.data[i] - e));
    }
    EXPECT_LE(worst, 1e-6f) << "activation kind " << static_cast<int>(kind);
  }
}

}  // namespace
}  // namespace vsr::cpu

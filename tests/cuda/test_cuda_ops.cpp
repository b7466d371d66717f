// Each CUDA op kernel against its CPU reference twin on random inputs (kernels/cuda vs kernels/cpu).
#include <gtest/gtest.h>
#include <algorithm>
#include <cmath>

#include "../op_test_helpers.h"
#include "cuda_test_util.h"
#include "kernels/cpu/activation.h"
#include "kernels/cpu/binary_ops.h"
#include "kernels/cpu/grid_sample.h"
#include "kernels/cpu/layout_ops.h"
#include "kernels/cpu/pooling.h"
#include "kernels/cpu/resize.h"
#include "kernels/cpu/slice_ops.h"
#include "kernels/cpu/transpose.h"
#include "kernels/cuda/elementwise.h"
#include "kernels/cuda/layout.h"
#include "kernels/cuda/sampling.h"

namespace vsr::cpu {
namespace {

using cuda_test::Guarded;
using cuda_test::guarded_tensor;
using cuda_test::to_device;
using op_test::max_abs_diff;
using op_test::random_tensor;

TEST(CudaTwin, ActivationsMatchTheReference) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor signed_x = random_tensor({2, 5, 7, 9}, -3.0f, 3.0f);
  Tensor positive_x = signed_x;  // Sqrt's NaNs below zero would not compare
  for (float& v : positive_x.data) v = std::abs(v);
  for (ActivationKind kind : {ActivationKind::Relu, ActivationKind::LeakyRelu, ActivationKind::PRelu,
                              ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::Clip,
                              ActivationKind::Sqrt}) {
    const Tensor& x = kind == ActivationKind::Sqrt ? positive_x : signed_x;
    Activation a;
    a.kind = kind;
    a.alpha = 0.2f;
    a.min = -0.5f, a.max = 0.7f;
    if (kind == ActivationKind::PRelu) a.slopes = random_tensor({5}, -0.5f, 0.5f).data;
    Tensor ref;
    activation_reference(a, x, ref);
    Guarded<float> d(x.data, s.get());
    cuda::DeviceArray<float> slopes;
    if (!a.slopes.empty()) slopes.upload(a.slopes, s.get());
    cuda::activation(a, d.data(), x.numel(), 5, 63, slopes.data(), s.get());
    EXPECT_LE(max_abs_diff(guarded_tensor(d, x.shape, s.get(), "activation"), ref), 1e-6f) << "activation " << static_cast<int>(kind);
  }
}

TEST(CudaTwin, BinaryOpsBroadcastLikeTheReference) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> shapes = {
      {{1, 3, 5, 7}, {1, 3, 5, 7}}, {{1, 3, 5, 7}, {1, 3, 1, 1}}, {{1, 1, 5, 1}, {2, 3, 1, 7}}, {{5, 7}, {1, 1, 1, 7}}};
  for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div})
    for (const auto& [sa, sb] : shapes) {
      const Tensor a = random_tensor(sa), b = random_tensor(sb, 0.5f, 2.0f);
      Tensor ref;
      binary_reference(op, a, b, ref);
      auto da = to_device(a, s.get()), db = to_device(b, s.get());
      Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
      cuda::binary(op, da.data(), a.shape, db.data(), b.shape, y.data(), s.get());
      EXPECT_LE(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "binary"), ref), 1e-6f)
          << "op " << static_cast<int>(op) << " " << shape_string(sa) << " with " << shape_string(sb);
    }
}

TEST(CudaTwin, BiasActivationAndResidualInOnePass) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor y0 = random_tensor({1, 4, 6, 5}), bias = random_tensor({4}), residual = random_tensor({1, 4, 6, 5});
  Activation a;
  a.kind = ActivationKind::PRelu;
  a.slopes = random_tensor({4}, 0.0f, 0.3f).data;
  Tensor expected = y0;
  for (int64_t i = 0; i < expected.numel(); ++i) expected.data[i] += bias.data[(i / 30) % 4];
  Tensor activated;
  activation_reference(a, expected, activated);
  for (int64_t i = 0; i < activated.numel(); ++i) activated.data[i] += residual.data[i];
  Guarded<float> dy(y0.data, s.get());
  auto db = to_device(bias, s.get()), dr = to_device(residual, s.get());
  cuda::DeviceArray<float> slopes;
  slopes.upload(a.slopes, s.get());
  cuda::bias_activation(dy.data(), 1, 4, 30, db.data(), a, slopes.data(), dr.data(), s.get());
  EXPECT_LE(max_abs_diff(guarded_tensor(dy, y0.shape, s.get(), "bias_activation"), activated), 1e-6f);
}

TEST(CudaTwin, AffineRangeMapping) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  Tensor x = random_tensor({1, 3, 4, 5});
  Guarded<float> d(x.data, s.get());
  cuda::affine(d.data(), x.numel(), 219.0f / 255.0f, 16.0f / 255.0f, s.get());
  for (float& v : x.data) v = v * (219.0f / 255.0f) + 16.0f / 255.0f;
  EXPECT_LE(max_abs_diff(guarded_tensor(d, x.shape, s.get(), "affine"), x), 1e-6f);
}

TEST(CudaTwin, DepthToSpaceInBothChannelOrders) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor x = random_tensor({2, 12, 5, 7});
  for (DepthToSpaceMode mode : {DepthToSpaceMode::DCR, DepthToSpaceMode::CRD}) {
    Tensor ref;
    depth_to_space(x, 2, mode, ref);
    auto dx = to_device(x, s.get());
    Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
    cuda::depth_to_space(dx.data(), x.shape, 2, mode, y.data(), s.get());
    EXPECT_EQ(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "depth_to_space"), ref), 0.0f);
  }
}

TEST(CudaTwin, BoxCopiesMakeConcatAndSlice) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor a = random_tensor({1, 3, 4, 5}), b = random_tensor({1, 2, 4, 5});
  Tensor cat;
  concat({&a, &b}, 1, cat);
  auto da = to_device(a, s.get()), db = to_device(b, s.get());
  Guarded<float> y(static_cast<size_t>(cat.numel()), s.get());
  cuda::copy_box(da.data(), a.shape, {0, 0, 0, 0}, y.data(), cat.shape, {0, 0, 0, 0}, a.shape, s.get());
  cuda::copy_box(db.data(), b.shape, {0, 0, 0, 0}, y.data(), cat.shape, {0, 3, 0, 0}, b.shape, s.get());
  EXPECT_EQ(max_abs_diff(guarded_tensor(y, cat.shape, s.get(), "copy_box (concat)"), cat), 0.0f);
  Tensor part;
  slice(cat, {1, 2}, {4, 5}, {1, 3}, {1, 1}, part);  // channels 1..3, columns 2..4
  Guarded<float> z(static_cast<size_t>(part.numel()), s.get());
  cuda::copy_box(y.data(), cat.shape, {0, 1, 0, 2}, z.data(), part.shape, {0, 0, 0, 0}, part.shape, s.get());
  EXPECT_EQ(max_abs_diff(guarded_tensor(z, part.shape, s.get(), "copy_box (slice)"), part), 0.0f);
}

TEST(CudaTwin, TransposeEveryPermutationOfFourAxesAndTheSixAxisUnshuffle) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor x = random_tensor({2, 3, 4, 5});
  auto dx = to_device(x, s.get());
  std::vector<int64_t> perm = {0, 1, 2, 3};
  do {  // all 24, the flow warps' {0, 2, 3, 1} among them
    Tensor ref;
    transpose(x, perm, ref);
    Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
    cuda::transpose(dx.data(), transpose_plan(x.shape, perm), y.data(), s.get());
    EXPECT_EQ(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "transpose"), ref), 0.0f) << perm[0] << perm[1] << perm[2] << perm[3];
  } while (std::next_permutation(perm.begin(), perm.end()));
  // Pixel-unshuffle exports: N x C x H/2 x 2 x W/2 x 2 -> N x C x 2 x 2 x H/2 x W/2.
  Tensor six = random_tensor({1, 3, 2, 2, 3, 2}), ref;
  const std::vector<int64_t> unshuffle = {0, 1, 3, 5, 2, 4};
  transpose(six, unshuffle, ref);
  auto d6 = to_device(six, s.get());
  Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
  cuda::transpose(d6.data(), transpose_plan(six.shape, unshuffle), y.data(), s.get());
  EXPECT_EQ(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "transpose (6-D)"), ref), 0.0f);
}

TEST(CudaTwin, ResizeEveryModeAndCoordinateConvention) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor x = random_tensor({1, 3, 7, 9});
  for (ResizeMode mode : {ResizeMode::Nearest, ResizeMode::Linear, ResizeMode::Cubic})
    for (CoordinateMode coords : {CoordinateMode::HalfPixel, CoordinateMode::PytorchHalfPixel,
                                  CoordinateMode::AlignCorners, CoordinateMode::Asymmetric})
      for (double scale : {2.0, 3.0, 0.5}) {
        ResizeParams p;
        p.mode = mode;
        p.coordinates = coords;
        p.scale_h = p.scale_w = scale;
        Tensor ref;
        resize_reference(x, p, ref);
        cuda::Resize resize(x.shape, p, s.get());
        ASSERT_EQ(resize.output_shape(), ref.shape);
        auto dx = to_device(x, s.get());
        Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
        resize.run(dx.data(), y.data(), s.get());
        EXPECT_LE(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "resize"), ref), 1e-5f)
            << "mode " << static_cast<int>(mode) << " coordinates " << static_cast<int>(coords) << " scale " << scale;
      }
}

TEST(CudaTwin, GlobalAveragePool) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor x = random_tensor({2, 6, 33, 47});
  Tensor ref;
  global_average_pool(x, ref);
  auto dx = to_device(x, s.get());
  Guarded<float> y(12, s.get());
  cuda::global_average_pool(dx.data(), x.shape, y.data(), s.get());
  EXPECT_LE(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "global_average_pool"), ref), 1e-6f);
}

TEST(CudaTwin, GridSampleEveryModeAndPadding) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  const Tensor x = random_tensor({2, 3, 6, 8}), grid = random_tensor({2, 5, 7, 2}, -1.3f, 1.3f);  // some outside
  for (GridSampleMode mode : {GridSampleMode::Bilinear, GridSampleMode::Nearest})
    for (GridPadding padding : {GridPadding::Zeros, GridPadding::Border, GridPadding::Reflection})
      for (bool align : {false, true}) {
        const GridSampleParams p{mode, padding, align};
        Tensor ref;
        grid_sample(x, grid, p, ref);
        auto dx = to_device(x, s.get()), dg = to_device(grid, s.get());
        Guarded<float> y(static_cast<size_t>(ref.numel()), s.get());
        cuda::grid_sample(dx.data(), x.shape, dg.data(), grid.shape, p, y.data(), s.get());
        EXPECT_LE(max_abs_diff(guarded_tensor(y, ref.shape, s.get(), "grid_sample"), ref), 1e-5f)
            << "mode " << static_cast<int>(mode) << " padding " << static_cast<int>(padding) << " align " << align;
      }
}

}  // namespace
}  // namespace vsr::cpu

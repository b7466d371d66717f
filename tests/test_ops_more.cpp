// The Step 2 op set (Split, Slice, GlobalAveragePool, GridSample, Pad, Transpose and the shape ops
// PyTorch exports for dynamic H/W) against expectations computed independently of the kernels: hand
// values, the ONNX spec's examples, or naive formulas written here from the operator definitions.
// The same ops through make_op and through Engine on written models: test_ops_graph.cpp.
#include "op_test_helpers.h"

namespace vsr {
namespace {

using namespace op_test;

// ---------------------------------------------------------------------------------------------- Slice

TEST(Slice, OnnxSpecExamples) {
  const Tensor x = floats({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor y;
  cpu::slice(x, {1, 0}, {2, 3}, {0, 1}, {1, 2}, y);  // spec "slice"
  expect_floats(y, {1, 2}, {5, 7});
  cpu::slice(x, {0, 1}, {-1, 1000}, {}, {}, y);  // spec "slice_start_out_of_bounds"-style: end clamps
  expect_floats(y, {1, 3}, {2, 3, 4});
}

TEST(Slice, NegativeStepsAndInt64Limits) {
  const Tensor x = iota({10});
  Tensor y;
  cpu::slice(x, {-1}, {kInt64Min}, {0}, {-1}, y);  // torch.flip export: reverse the whole axis
  expect_floats(y, {10}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  cpu::slice(x, {8}, {1}, {0}, {-3}, y);
  expect_floats(y, {3}, {8, 5, 2});
  cpu::slice(x, {2}, {kInt64Max}, {-1}, {}, y);  // x[2:] as exported
  expect_floats(y, {8}, {2, 3, 4, 5, 6, 7, 8, 9});
  cpu::slice(x, {kInt64Max}, {-kInt64Max}, {0}, {-4}, y);  // start clamps to 9 for negative steps
  expect_floats(y, {3}, {9, 5, 1});
  cpu::slice(x, {5}, {5}, {}, {}, y);  // empty
  expect_floats(y, {0}, {});
  cpu::slice(x, {-20}, {kInt64Min}, {0}, {-1}, y);  // ONNX (unlike Python) clamps start to 0 here
  expect_floats(y, {1}, {0});
}

TEST(Slice, Int64TensorsStayInt) {
  Tensor y;
  cpu::slice(ints({4}, {1, 3, 480, 640}), {-2}, {kInt64Max}, {0}, {}, y);
  expect_ints(y, {2}, {480, 640});
}

// Which indices of an axis of length `dim` the spec selects, by testing every index against the
// clamped bounds rather than counting steps.
std::vector<int64_t> spec_indices(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  start = step > 0 ? std::clamp<int64_t>(start, 0, dim) : std::clamp<int64_t>(start, 0, dim - 1);
  end = step > 0 ? std::clamp<int64_t>(end, 0, dim) : std::clamp<int64_t>(end, -1, dim - 1);
  std::vector<int64_t> picked;
  for (int64_t i = 0; i < dim; ++i) {
    const bool in = step > 0 ? (i >= start && i < end && (i - start) % step == 0)
                             : (i <= start && i > end && (start - i) % (-step) == 0);
    if (in) picked.push_back(i);
  }
  if (step < 0) std::reverse(picked.begin(), picked.end());
  return picked;
}

TEST(Slice, RandomCasesMatchTheSpecDefinition) {
  std::uniform_int_distribution<int64_t> bound(-8, 8), stepd(-3, 3), pick(0, 2);
  const Tensor x = iota({3, 5, 4, 6});
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<int64_t> starts, ends, axes, steps;
    std::vector<std::vector<int64_t>> picked(4);
    for (int64_t a = 0; a < 4; ++a) picked[a] = spec_indices(x.shape[a], 0, x.shape[a], 1);
    for (int64_t a = 0; a < 4; ++a) {
      if (pick(rng()) == 0) continue;  // leave some axes whole
      int64_t s = bound(rng()), e = bound(rng()), st = 0;
      while (st == 0) st = stepd(rng());
      if (pick(rng()) == 0) e = st > 0 ? kInt64Max : kInt64Min;
      starts.push_back(s), ends.push_back(e), steps.push_back(st);
      axes.push_back(pick(rng()) == 0 ? a - 4 : a);  // negative axes too
      picked[a] = spec_indices(x.shape[a], s, e, st);
    }
    Tensor y;
    cpu::slice(x, starts, ends, axes, steps, y);
    const std::vector<int64_t> shape = {int64_t(picked[0].size()), int64_t(picked[1].size()),
                                        int64_t(picked[2].size()), int64_t(picked[3].size())};
    ASSERT_EQ(y.shape, shape) << "trial " << trial;
    size_t o = 0;
    for (int64_t i0 : picked[0])
      for (int64_t i1 : picked[1])
        for (int64_t i2 : picked[2])
          for (int64_t i3 : picked[3])
            ASSERT_EQ(y.data[o++], x.data[flat(x.shape, {i0, i1, i2, i3})]) << "trial " << trial;
  }
}

TEST(Slice, BadArgumentsThrow) {
  Tensor y;
  EXPECT_THROW(cpu::slice(iota({4}), {0}, {2}, {1}, {}, y), Error);         // axis out of range
  EXPECT_THROW(cpu::slice(iota({4, 4}), {0, 0}, {2, 2}, {1, -1}, {}, y), Error);  // same axis twice
  EXPECT_THROW(cpu::slice(iota({4}), {0}, {2}, {0}, {0}, y), Error);        // zero step
  EXPECT_THROW(cpu::slice(iota({4}), {0, 1}, {2}, {}, {}, y), Error);       // lengths differ
}

// ---------------------------------------------------------------------------------------------- Split

TEST(Split, EqualAndExplicitParts) {
  const Tensor x = iota({1, 4, 1, 2});  // channels c hold {2c, 2c+1}
  Tensor a, b, c;
  std::vector<Tensor*> two = {&a, &b};
  cpu::split(x, 1, {}, two);
  expect_floats(a, {1, 2, 1, 2}, {0, 1, 2, 3});
  expect_floats(b, {1, 2, 1, 2}, {4, 5, 6, 7});
  std::vector<Tensor*> three = {&a, &b, &c};
  cpu::split(x, 1, {1, 0, 3}, three);  // zero-sized parts are legal
  expect_floats(a, {1, 1, 1, 2}, {0, 1});
  expect_floats(b, {1, 0, 1, 2}, {});
  expect_floats(c, {1, 3, 1, 2}, {2, 3, 4, 5, 6, 7});
  cpu::split(iota({2, 3}), -1, {2, 1}, two);  // last axis, two rows
  expect_floats(a, {2, 2}, {0, 1, 3, 4});
  expect_floats(b, {2, 1}, {2, 5});
  cpu::split(ints({4}, {1, 3, 9, 7}), 0, {}, two);
  expect_ints(a, {2}, {1, 3});
  expect_ints(b, {2}, {9, 7});
}

TEST(Split, BadSizesThrow) {
  Tensor a, b;
  std::vector<Tensor*> two = {&a, &b};
  EXPECT_THROW(cpu::split(iota({1, 3, 2, 2}), 1, {}, two), Error);      // 3 into 2 equal parts
  EXPECT_THROW(cpu::split(iota({1, 3, 2, 2}), 1, {1, 1}, two), Error);  // sums to 2, not 3
  EXPECT_THROW(cpu::split(iota({1, 3, 2, 2}), 4, {}, two), Error);      // axis out of range
}

// ---------------------------------------------------------------------------------------- Transpose

TEST(Transpose, PixelUnshuffleAsExported) {
  // pixel_unshuffle(x, 2) exports as Reshape [N,C,H,2,W,2] -> Transpose [0,1,3,5,2,4] -> Reshape
  // [N,4C,H,W]; by definition y[c*4 + i*2 + j, h, w] = x[c, 2h + i, 2w + j].
  const int64_t C = 2, H = 3, W = 2;
  Tensor x = random_tensor({1, C, 2 * H, 2 * W});
  x.shape = {1, C, H, 2, W, 2};
  Tensor t;
  cpu::transpose(x, {0, 1, 3, 5, 2, 4}, t);
  ASSERT_EQ(t.shape, (std::vector<int64_t>{1, C, 2, 2, H, W}));
  for (int64_t c = 0; c < C; ++c)
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 2; ++j)
        for (int64_t h = 0; h < H; ++h)
          for (int64_t w = 0; w < W; ++w)
            EXPECT_EQ(t.data[flat(t.shape, {0, c, i, j, h, w})],
                      x.data[flat({1, C, 2 * H, 2 * W}, {0, c, 2 * h + i, 2 * w + j})]);
}

TEST(Transpose, FlowFieldToGridOnEveryThread) {
  // A warp's N x 2 x H x W flow to GridSample's N x H x W x 2, with rows enough for every thread:
  // y[n, h, w, k] = x[n, k, h, w].
  const int64_t N = 2, H = 37, W = 41;
  const Tensor x = iota({N, 2, H, W});
  Tensor y;
  cpu::transpose(x, {0, 2, 3, 1}, y);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{N, H, W, 2}));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w)
        for (int64_t k = 0; k < 2; ++k)
          ASSERT_EQ(y.data[((n * H + h) * W + w) * 2 + k], x.data[((n * 2 + k) * H + h) * W + w]) << n << h << w << k;
}

TEST(Transpose, DefaultReversesAndIntsAndBadPerm) {
  Tensor y;
  cpu::transpose(iota({2, 3}), {}, y);
  expect_floats(y, {3, 2}, {0, 3, 1, 4, 2, 5});
  cpu::transpose(ints({1, 2}, {7, 8}), {1, 0}, y);
  expect_ints(y, {2, 1}, {7, 8});
  EXPECT_THROW(cpu::transpose(iota({2, 3}), {0, 0}, y), Error);
  EXPECT_THROW(cpu::transpose(iota({2, 3}), {0, 1, 2}, y), Error);
}

// ---------------------------------------------------------------------------------- GlobalAveragePool

TEST(GlobalAveragePool, MeanOfEachPlane) {
  const Tensor x = random_tensor({2, 3, 4, 5});
  Tensor y;
  cpu::global_average_pool(x, y);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 3, 1, 1}));
  for (int64_t p = 0; p < 6; ++p) {
    double sum = 0;
    for (int64_t i = 0; i < 20; ++i) sum += x.data[p * 20 + i];
    EXPECT_NEAR(y.data[p], sum / 20, 1e-6) << "plane " << p;
  }
  cpu::global_average_pool(floats({1, 2, 1, 2}, {1, 2, 10, 30}), y);
  expect_floats(y, {1, 2, 1, 1}, {1.5f, 20});
  EXPECT_THROW(cpu::global_average_pool(iota({4, 4}), y), Error);
}

// ------------------------------------------------------------------------------------------------ Pad

TEST(Pad, ConstantReflectEdgeByHand) {
  // One row 1 2 3, padded 2 left, 1 right (and 1 row on top for the 2-D picture).
  const Tensor x = floats({1, 1, 1, 3}, {1, 2, 3});
  cpu::PadParams p;
  p.left = 2, p.right = 1;
  Tensor y;
  p.value = 9;
  cpu::pad2d(x, p, y);
  expect_floats(y, {1, 1, 1, 6}, {9, 9, 1, 2, 3, 9});
  p.mode = cpu::PadMode::Reflect;  // NumPy reflect: the edge pixel is not repeated
  cpu::pad2d(x, p, y);
  expect_floats(y, {1, 1, 1, 6}, {3, 2, 1, 2, 3, 2});
  p.mode = cpu::PadMode::Edge;
  cpu::pad2d(x, p, y);
  expect_floats(y, {1, 1, 1, 6}, {1, 1, 1, 2, 3, 3});
  // Reflect wider than the image folds again: np.pad([1,2,3], (5, 0), 'reflect') = 2 1 2 3 2 1 2 3.
  p = {};
  p.mode = cpu::PadMode::Reflect;
  p.left = 5;
  cpu::pad2d(x, p, y);
  expect_floats(y, {1, 1, 1, 8}, {2, 1, 2, 3, 2, 1, 2, 3});
  // 2-D: top 1 row, reflect -> row 1 mirrored above row 0.
  p = {};
  p.mode = cpu::PadMode::Reflect;
  p.top = 1;
  cpu::pad2d(floats({1, 1, 2, 2}, {1, 2, 3, 4}), p, y);
  expect_floats(y, {1, 1, 3, 2}, {3, 4, 1, 2, 3, 4});
}

TEST(Pad, NegativePadsCropAndAbsurdPadsAreRefused) {
  cpu::PadParams p;
  p.left = -1, p.right = 1, p.value = 0;
  Tensor y;
  cpu::pad2d(floats({1, 1, 1, 3}, {1, 2, 3}), p, y);
  expect_floats(y, {1, 1, 1, 3}, {2, 3, 0});
  p = {};
  p.bottom = int64_t(1) << 40;
  const std::string msg = error_of([&] { cpu::pad2d(iota({1, 1, 2, 2}), p, y); });
  EXPECT_NE(msg.find("refused"), std::string::npos) << msg;
  p = {};
  p.left = -3;
  EXPECT_THROW(cpu::pad2d(iota({1, 1, 2, 2}), p, y), Error);  // nothing left
}

// ----------------------------------------------------------------------------------------- GridSample

// PyTorch's grid_sample written from its documentation, in double: unnormalise, then (border) clamp,
// or (reflection) fold back and forth across the edges until inside and clamp; then sample with
// zeros outside the image. Deliberately structured differently from the kernel.
struct GridCase {
  cpu::GridSampleMode mode;
  cpu::GridPadding padding;
  bool align;
};

double pixel_coordinate(double g, int64_t size, const GridCase& k) {
  double c = k.align ? (g + 1) / 2 * (size - 1) : ((g + 1) * size - 1) / 2;
  if (k.padding == cpu::GridPadding::Border) {
    c = std::min(std::max(c, 0.0), double(size - 1));
  } else if (k.padding == cpu::GridPadding::Reflection) {
    const double lo = k.align ? 0.0 : -0.5, hi = k.align ? size - 1.0 : size - 0.5;
    if (hi <= lo) return 0.0;
    while (c < lo || c > hi) c = c < lo ? 2 * lo - c : 2 * hi - c;
    c = std::min(std::max(c, 0.0), double(size - 1));
  }
  return c;
}

double round_half_even(double v) {
  double r = std::floor(v);
  const double f = v - r;
  if (f > 0.5 || (f == 0.5 && std::fmod(r, 2.0) != 0.0)) r += 1;
  return r;
}

Tensor naive_grid_sample(const Tensor& x, const Tensor& grid, const GridCase& k) {
  const int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3), OH = grid.dim(1), OW = grid.dim(2);
  Tensor y;
  y.resize({N, C, OH, OW});
  auto at = [&](int64_t n, int64_t c, double yy, double xx) {
    if (yy < 0 || yy >= H || xx < 0 || xx >= W) return 0.0;
    return double(x.data[flat(x.shape, {n, c, int64_t(yy), int64_t(xx)})]);
  };
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        const double gx = grid.data[flat(grid.shape, {n, oh, ow, 0})], gy = grid.data[flat(grid.shape, {n, oh, ow, 1})];
        const double cx = pixel_coordinate(gx, W, k), cy = pixel_coordinate(gy, H, k);
        for (int64_t c = 0; c < C; ++c) {
          double v;
          if (k.mode == cpu::GridSampleMode::Nearest) {
            v = at(n, c, round_half_even(cy), round_half_even(cx));
          } else {
            const double x0 = std::floor(cx), y0 = std::floor(cy), fx = cx - x0, fy = cy - y0;
            v = (1 - fy) * ((1 - fx) * at(n, c, y0, x0) + fx * at(n, c, y0, x0 + 1)) +
                fy * ((1 - fx) * at(n, c, y0 + 1, x0) + fx * at(n, c, y0 + 1, x0 + 1));
          }
          y.data[flat(y.shape, {n, c, oh, ow})] = float(v);
        }
      }
  return y;
}

std::string case_name(const GridCase& k) {
  return std::string(k.mode == cpu::GridSampleMode::Nearest ? "nearest" : "bilinear") + "/" +
         (k.padding == cpu::GridPadding::Zeros ? "zeros" : k.padding == cpu::GridPadding::Border ? "border" : "reflection") +
         "/align_corners=" + (k.align ? "1" : "0");
}

TEST(GridSample, EveryModePaddingAndAlignmentMatchesTheDefinition) {
  // Grid values up to +-2.6 put many samples outside the image (several reflections deep); a few
  // are placed exactly on edges and on nearest-rounding ties.
  const std::vector<std::vector<int64_t>> input_shapes = {{2, 3, 4, 5}, {1, 2, 1, 3}, {1, 1, 3, 1}};
  for (const auto& shape : input_shapes) {
    const Tensor x = random_tensor(shape);
    Tensor grid = random_tensor({shape[0], 3, 7, 2}, -2.6f, 2.6f);
    const std::vector<float> specials = {-1.0f, 1.0f, 0.0f, -0.5f, 0.5f, 0.25f, -2.5f, 2.5f, 1.2f, -1.2f};
    for (size_t i = 0; i < specials.size(); ++i) grid.data[i] = specials[i];
    for (auto mode : {cpu::GridSampleMode::Bilinear, cpu::GridSampleMode::Nearest})
      for (auto padding : {cpu::GridPadding::Zeros, cpu::GridPadding::Border, cpu::GridPadding::Reflection})
        for (bool align : {false, true}) {
          const GridCase k{mode, padding, align};
          Tensor y;
          cpu::grid_sample(x, grid, {mode, padding, align}, y);
          const Tensor expected = naive_grid_sample(x, grid, k);
          ASSERT_EQ(y.shape, expected.shape) << case_name(k);
          for (size_t i = 0; i < y.data.size(); ++i)
            ASSERT_NEAR(y.data[i], expected.data[i], 1e-5f)
                << case_name(k) << " input " << cpu::shape_string(x.shape) << " at flat index " << i;
        }
  }
}

TEST(GridSample, HandValues) {
  // 1x1x2x2 image [[1,2],[3,4]]. align_corners=1: (-1,-1) is pixel (0,0) and (0,0) the centre (2.5).
  const Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor y;
  cpu::grid_sample(x, floats({1, 1, 3, 2}, {-1, -1, 0, 0, 1, -1}), {cpu::GridSampleMode::Bilinear, cpu::GridPadding::Zeros, true}, y);
  expect_floats(y, {1, 1, 1, 3}, {1, 2.5f, 2}, 1e-6f);
  // align_corners=0: x = -1 is the left image edge (-0.5 in pixels): half of pixel 0, half of zero.
  cpu::grid_sample(x, floats({1, 1, 1, 2}, {-1, -0.5f}), {cpu::GridSampleMode::Bilinear, cpu::GridPadding::Zeros, false}, y);
  expect_floats(y, {1, 1, 1, 1}, {0.5f}, 1e-6f);
  cpu::grid_sample(x, floats({1, 1, 1, 2}, {-1, -0.5f}), {cpu::GridSampleMode::Bilinear, cpu::GridPadding::Border, false}, y);
  expect_floats(y, {1, 1, 1, 1}, {1}, 1e-6f);
  // Nearest on a tie: x = 0 with W = 2 and align_corners=0 is pixel 0.5, which rounds to even (0).
  cpu::grid_sample(x, floats({1, 1, 1, 2}, {0, -0.5f}), {cpu::GridSampleMode::Nearest, cpu::GridPadding::Zeros, false}, y);
  expect_floats(y, {1, 1, 1, 1}, {1});
  // Reflection: x = 2 (align_corners=1) is pixel 1.5, half a pixel past the right edge (pixel 1):
  // it folds back to 0.5, halfway between 1 and 2. x = 3 is pixel 2 and folds onto pixel 0.
  cpu::grid_sample(x, floats({1, 1, 2, 2}, {2, -1, 3, -1}), {cpu::GridSampleMode::Bilinear, cpu::GridPadding::Reflection, true}, y);
  expect_floats(y, {1, 1, 1, 2}, {1.5f, 1}, 1e-6f);
}

TEST(GridSample, NonFiniteGridIsZeroNotACrashAndShapesAreChecked) {
  const Tensor x = iota({1, 1, 3, 3}, 1);
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  Tensor y;
  cpu::grid_sample(x, floats({1, 1, 3, 2}, {nan, 0, inf, 0, 1e30f, -1e30f}), {}, y);
  expect_floats(y, {1, 1, 1, 3}, {0, 0, 0});
  EXPECT_THROW(cpu::grid_sample(x, floats({1, 1, 1, 3}, {0, 0, 0}), {}, y), Error);        // last dim 3
  EXPECT_THROW(cpu::grid_sample(x, floats({2, 1, 1, 2}, {0, 0, 0, 0}), {}, y), Error);     // batch differs
  EXPECT_THROW(cpu::grid_sample(iota({3, 3}), floats({1, 1, 1, 2}, {0, 0}), {}, y), Error);  // not 4-D
}

// ------------------------------------------------------------------------------------------ Shape ops

TEST(ShapeOps, ShapeWithStartAndEnd) {
  const Tensor x = iota({1, 3, 4, 5});
  Tensor y;
  cpu::shape_of(x, 0, kInt64Max, y);
  expect_ints(y, {4}, {1, 3, 4, 5});
  cpu::shape_of(x, -2, kInt64Max, y);
  expect_ints(y, {2}, {4, 5});
  cpu::shape_of(x, 1, -1, y);
  expect_ints(y, {2}, {3, 4});
  cpu::shape_of(x, -10, 10, y);  // clamped
  expect_ints(y, {4}, {1, 3, 4, 5});
  cpu::shape_of(x, 3, 1, y);  // empty
  expect_ints(y, {0}, {});
}

TEST(ShapeOps, GatherScalarAndVectorIndices) {
  const Tensor shape = ints({4}, {1, 3, 480, 640});
  Tensor y;
  cpu::gather(shape, ints({}, {2}), 0, y);  // scalar index -> scalar
  expect_ints(y, {}, {480});
  cpu::gather(shape, ints({2}, {-1, 0}), 0, y);
  expect_ints(y, {2}, {640, 1});
  // Float data, axis 1, 2-D indices: y[i, j, k] = x[i, idx[j, k]].
  cpu::gather(iota({2, 3}), ints({2, 2}, {2, 0, 1, 1}), 1, y);
  expect_floats(y, {2, 2, 2}, {2, 0, 1, 1, 5, 3, 4, 4});
  EXPECT_THROW(cpu::gather(shape, ints({}, {4}), 0, y), Error);
  EXPECT_THROW(cpu::gather(shape, ints({}, {-5}), 0, y), Error);
  EXPECT_THROW(cpu::gather(shape, floats({}, {1}), 0, y), Error);
}

TEST(ShapeOps, SqueezeAndUnsqueeze) {
  Tensor y;
  cpu::unsqueeze(ints({}, {7}), {0}, y);
  expect_ints(y, {1}, {7});
  cpu::unsqueeze(iota({2, 3}), {0, -1}, y);  // -1 is the last axis of the rank-4 output
  expect_floats(y, {1, 2, 3, 1}, {0, 1, 2, 3, 4, 5});
  cpu::unsqueeze(iota({2, 3}), {1, 3}, y);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 1, 3, 1}));
  cpu::squeeze(iota({1, 2, 1, 3}), {}, y);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 3}));
  cpu::squeeze(iota({1, 2, 1, 3}), {-2}, y);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_THROW(cpu::unsqueeze(iota({2}), {2}, y), Error);     // output rank 2: axis 2 out of range
  EXPECT_THROW(cpu::unsqueeze(iota({2}), {0, -3}, y), Error);  // output rank 3: -3 is axis 0 again
  EXPECT_THROW(cpu::squeeze(iota({1, 2}), {1}, y), Error);     // not a size-1 axis
  EXPECT_THROW(cpu::squeeze(iota({1, 2}), {2}, y), Error);
}

TEST(ShapeOps, ReshapeTarget) {
  EXPECT_EQ(cpu::reshape_shape({1, 3, 4, 6}, {0, 0, 2, 2, 3, 2}, false), (std::vector<int64_t>{1, 3, 2, 2, 3, 2}));
  EXPECT_EQ(cpu::reshape_shape({1, 3, 4, 6}, {1, -1, 6}, false), (std::vector<int64_t>{1, 12, 6}));
  EXPECT_EQ(cpu::reshape_shape({0, 3}, {0, 3}, true), (std::vector<int64_t>{0, 3}));
  EXPECT_THROW(cpu::reshape_shape({1, 3, 4, 6}, {5, -1}, false), Error);
  EXPECT_THROW(cpu::reshape_shape({1, 3, 4, 6}, {-1, -1}, false), Error);
  EXPECT_THROW(cpu::reshape_shape({1, 3}, {0, 0, 3}, false), Error);  // copies a dim that is not there
}

TEST(ShapeOps, ConstantOfShapeAndItsCap) {
  Tensor y;
  cpu::constant_of_shape({2, 3}, floats({1}, {0.5f}), y);
  expect_floats(y, {2, 3}, std::vector<float>(6, 0.5f));
  cpu::constant_of_shape({2}, ints({1}, {-4}), y);
  expect_ints(y, {2}, {-4, -4});
  cpu::constant_of_shape({}, floats({1}, {1}), y);  // empty shape = a scalar
  expect_floats(y, {}, {1});
  const std::string msg = error_of([&] { cpu::constant_of_shape({1 << 20, 1 << 20}, floats({1}, {0}), y); });
  EXPECT_NE(msg.find("2^30"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { cpu::constant_of_shape({kInt64Max, kInt64Max, 4}, floats({1}, {0}), y); }), "");
  EXPECT_NE(error_of([&] { cpu::constant_of_shape({2, -1}, floats({1}, {0}), y); }), "");
}

TEST(ShapeOps, ExpandBroadcastsBothWays) {
  Tensor y;
  cpu::expand(floats({3, 1}, {1, 2, 3}), {2, 1, 4}, y);
  std::vector<float> expected;
  for (int b = 0; b < 2; ++b)
    for (float v : {1.0f, 2.0f, 3.0f})
      for (int k = 0; k < 4; ++k) expected.push_back(v);
  expect_floats(y, {2, 3, 4}, expected);
  cpu::expand(ints({1, 2}, {5, 6}), {3, 1}, y);  // target 1 keeps x's 2
  expect_ints(y, {3, 2}, {5, 6, 5, 6, 5, 6});
  EXPECT_THROW(cpu::expand(iota({3}), {4}, y), Error);
  const std::string msg = error_of([&] { cpu::expand(iota({1}), {1 << 16, 1 << 16}, y); });
  EXPECT_NE(msg.find("2^30"), std::string::npos) << msg;
}

TEST(ShapeOps, RangeIntAndFloat) {
  Tensor y;
  cpu::range(ints({}, {0}), ints({}, {5}), ints({}, {1}), y);  // torch.arange(0, w)
  expect_ints(y, {5}, {0, 1, 2, 3, 4});
  cpu::range(ints({}, {10}), ints({}, {1}), ints({}, {-3}), y);  // the spec's example: 10 7 4
  expect_ints(y, {3}, {10, 7, 4});
  cpu::range(ints({}, {5}), ints({}, {0}), ints({}, {1}), y);
  expect_ints(y, {0}, {});
  cpu::range(floats({}, {1}), floats({}, {2}), floats({}, {0.3f}), y);  // ceil(1 / 0.3) = 4 values
  expect_floats(y, {4}, {1, 1.3f, 1.6f, 1.9f}, 1e-6f);
  EXPECT_THROW(cpu::range(ints({}, {0}), ints({}, {5}), ints({}, {0}), y), Error);
  EXPECT_THROW(cpu::range(ints({}, {0}), floats({}, {5}), ints({}, {1}), y), Error);
  const std::string msg = error_of([&] { cpu::range(ints({}, {0}), ints({}, {kInt64Max}), ints({}, {1}), y); });
  EXPECT_NE(msg.find("2^30"), std::string::npos) << msg;
}

TEST(ShapeOps, ConcatInts) {
  Tensor y;
  const Tensor a = ints({2}, {1, 3}), b = ints({1}, {960}), c = ints({1}, {1280});
  cpu::concat_ints({&a, &b, &c}, 0, y);
  expect_ints(y, {4}, {1, 3, 960, 1280});
  const Tensor f = floats({1}, {1});
  EXPECT_THROW(cpu::concat_ints({&a, &f}, 0, y), Error);
}

TEST(NumericOps, CastTruncatesTowardZeroAndChecksRange) {
  Tensor y;
  cpu::cast(floats({4}, {2.7f, -2.7f, 0.0f, 1e9f}), cpu::ElementType::Int64, y);
  expect_ints(y, {4}, {2, -2, 0, 1000000000});
  cpu::cast(ints({2}, {3, -8}), cpu::ElementType::Float, y);
  expect_floats(y, {2}, {3, -8});
  cpu::cast(ints({1}, {(int64_t(1) << 32) + 5}), cpu::ElementType::Int32, y);  // wraps as C does
  expect_ints(y, {1}, {5});
  EXPECT_THROW(cpu::cast(floats({1}, {std::nanf("")}), cpu::ElementType::Int64, y), Error);
  EXPECT_THROW(cpu::cast(floats({1}, {3e9f}), cpu::ElementType::Int32, y), Error);
  EXPECT_THROW(cpu::cast(floats({1}, {1e19f}), cpu::ElementType::Int64, y), Error);
}

TEST(NumericOps, FloorCeil) {
  Tensor y;
  cpu::round_elements(floats({3}, {1.5f, -1.5f, 2.0f}), cpu::Rounding::Floor, y);
  expect_floats(y, {3}, {1, -2, 2});
  cpu::round_elements(floats({3}, {1.5f, -1.5f, 2.0f}), cpu::Rounding::Ceil, y);
  expect_floats(y, {3}, {2, -1, 2});
  EXPECT_THROW(cpu::round_elements(ints({1}, {1}), cpu::Rounding::Floor, y), Error);
}

TEST(NumericOps, IntegerArithmeticBroadcastsAndChecks) {
  Tensor y;
  cpu::binary_int(cpu::BinaryOp::Mul, ints({2}, {480, 640}), ints({}, {2}), y);
  expect_ints(y, {2}, {960, 1280});
  cpu::binary_int(cpu::BinaryOp::Div, ints({3}, {7, -7, 6}), ints({1}, {2}), y);
  expect_ints(y, {3}, {3, -3, 3});  // truncation toward zero
  cpu::binary_int(cpu::BinaryOp::Sub, ints({2, 1}, {10, 20}), ints({2}, {1, 2}), y);
  expect_ints(y, {2, 2}, {9, 8, 19, 18});
  cpu::binary_int(cpu::BinaryOp::Add, ints({1}, {5}), ints({1}, {-6}), y);
  expect_ints(y, {1}, {-1});
  EXPECT_THROW(cpu::binary_int(cpu::BinaryOp::Div, ints({1}, {1}), ints({1}, {0}), y), Error);
  EXPECT_THROW(cpu::binary_int(cpu::BinaryOp::Mul, ints({1}, {kInt64Max}), ints({1}, {2}), y), Error);
  EXPECT_THROW(cpu::binary_int(cpu::BinaryOp::Add, ints({1}, {1}), floats({1}, {1}), y), Error);
}


}  // namespace
}  // namespace vsr

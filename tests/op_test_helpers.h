// Small helpers shared by the op test files: tensors from literals, seeded random tensors,
// comparisons and error capture. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <random>

#include "kernels/cpu/grid_sample.h"
#include "kernels/cpu/numeric_ops.h"
#include "kernels/cpu/pad.h"
#include "kernels/cpu/pooling.h"
#include "kernels/cpu/shape_ops.h"
#include "kernels/cpu/slice_ops.h"
#include "kernels/cpu/transpose.h"
#include "models/graph.h"
#include "models/onnx_writer.h"
#include "models/op_registry.h"
#include "vsr/engine.h"
#include "vsr/error.h"

namespace vsr {
namespace op_test {

using cpu::Tensor;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

inline Tensor floats(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t;
  t.shape = std::move(shape);
  t.data = std::move(values);
  EXPECT_EQ(t.numel(), int64_t(t.data.size())) << "test bug: wrong value count";
  return t;
}

inline Tensor ints(std::vector<int64_t> shape, std::vector<int64_t> values) {
  Tensor t;
  t.shape = std::move(shape);
  t.ints = std::move(values);
  t.is_int = true;
  EXPECT_EQ(t.numel(), int64_t(t.ints.size())) << "test bug: wrong value count";
  return t;
}

inline Tensor iota(std::vector<int64_t> shape, float start = 0.0f) {
  Tensor t;
  t.resize(std::move(shape));
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = start + static_cast<float>(i);
  return t;
}

// One seed for the whole run, printed so a failing random case can be replayed (VSR_TEST_SEED=...).
inline std::mt19937& rng() {
  static std::mt19937 engine([] {
    const char* env = std::getenv("VSR_TEST_SEED");
    const unsigned seed = env ? static_cast<unsigned>(std::strtoul(env, nullptr, 10)) : 20240612u;
    std::cout << "[ seed     ] VSR_TEST_SEED=" << seed << std::endl;
    return seed;
  }());
  return engine;
}

inline Tensor random_tensor(std::vector<int64_t> shape, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t;
  t.resize(std::move(shape));
  for (float& v : t.data) v = dist(rng());
  return t;
}

// Largest absolute difference; infinite (and a test failure) when the shapes differ.
inline float max_abs_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape, b.shape);
  if (a.shape != b.shape || a.data.size() != b.data.size()) return INFINITY;
  float m = 0.0f;
  for (size_t i = 0; i < a.data.size(); ++i) m = std::max(m, std::fabs(a.data[i] - b.data[i]));
  return m;
}

inline void expect_floats(const Tensor& y, std::vector<int64_t> shape, const std::vector<float>& expected, float tol = 0.0f) {
  ASSERT_FALSE(y.is_int);
  ASSERT_EQ(y.shape, shape);
  ASSERT_EQ(y.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y.data[i], expected[i], tol) << "at flat index " << i;
}

inline void expect_ints(const Tensor& y, std::vector<int64_t> shape, const std::vector<int64_t>& expected) {
  ASSERT_TRUE(y.is_int);
  ASSERT_EQ(y.shape, shape);
  EXPECT_EQ(y.ints, expected);
}

// Runs f and returns the vsr::Error message it throws ("" if none).
template <typename F>
inline std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Row-major flat index of `idx` in `shape`.
inline int64_t flat(const std::vector<int64_t>& shape, const std::vector<int64_t>& idx) {
  int64_t f = 0;
  for (size_t d = 0; d < shape.size(); ++d) f = f * shape[d] + idx[d];
  return f;
}


}  // namespace op_test
}  // namespace vsr

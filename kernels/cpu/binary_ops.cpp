#include "binary_ops.h"

#include <algorithm>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

// Above this many outputs the loops run on every core; below, threads cost more than they save.
constexpr size_t kParallelFrom = size_t(1) << 15;

template <typename F>
void broadcast_apply(const Tensor& a, const Tensor& b, Tensor& y, F f) {
  // Broadcasting multiplies sizes ([N,1] with [1,M]): bound the result before allocating it.
  const std::vector<int64_t> shape = broadcast_shape(a.shape, b.shape);
  checked_shape(shape, "broadcast of " + shape_string(a.shape) + " and " + shape_string(b.shape));
  y.resize(shape);
  const int64_t n = static_cast<int64_t>(y.data.size());
  float* out = y.data.data();
  const float *pa = a.data.data(), *pb = b.data.data();
  if (a.shape == b.shape) {  // the common case (residual adds): one flat loop
#pragma omp parallel for schedule(static) if (y.data.size() >= kParallelFrom)
    for (int64_t i = 0; i < n; ++i) out[i] = f(pa[i], pb[i]);
    return;
  }
  if (n == 0) return;
  // Row by row along the last axis, where each operand either walks (stride 1) or stays (stride 0,
  // broadcast): the inner loops are contiguous and vectorise. A flow warp's grid arithmetic adds a
  // 1 x 1 x W row of positions or an H x 1 column to a whole field this way.
  const size_t rank = y.shape.size();
  const std::vector<int64_t> sa = broadcast_strides(a.shape, rank), sb = broadcast_strides(b.shape, rank);
  const int64_t inner = y.shape[rank - 1], rows = n / inner;
  const bool walk_a = sa[rank - 1] != 0, walk_b = sb[rank - 1] != 0;
#pragma omp parallel for schedule(static) if (y.data.size() >= kParallelFrom)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t rest = r, ia = 0, ib = 0;
    for (size_t d = rank - 1; d-- > 0;) {
      const int64_t idx = rest % y.shape[d];
      rest /= y.shape[d];
      ia += idx * sa[d];
      ib += idx * sb[d];
    }
    const float *ra = pa + ia, *rb = pb + ib;
    float* ro = out + r * inner;
    if (walk_a && walk_b) {
      for (int64_t i = 0; i < inner; ++i) ro[i] = f(ra[i], rb[i]);
    } else if (walk_a) {
      const float q = rb[0];
      for (int64_t i = 0; i < inner; ++i) ro[i] = f(ra[i], q);
    } else if (walk_b) {
      const float p = ra[0];
      for (int64_t i = 0; i < inner; ++i) ro[i] = f(p, rb[i]);
    } else {
      std::fill(ro, ro + inner, f(ra[0], rb[0]));
    }
  }
}

}  // namespace

std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape, size_t rank) {
  std::vector<int64_t> strides(rank, 0);
  int64_t extent = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    const size_t d = rank - shape.size() + i;
    strides[d] = shape[i] == 1 ? 0 : extent;
    extent *= shape[i];
  }
  return strides;
}

std::vector<int64_t> broadcast_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      throw Error("shapes " + shape_string(a) + " and " + shape_string(b) + " cannot be broadcast");
    out[i] = std::max(da, db);
  }
  return out;
}

void binary_reference(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& y) {
  switch (op) {
    case BinaryOp::Add: return broadcast_apply(a, b, y, [](float p, float q) { return p + q; });
    case BinaryOp::Sub: return broadcast_apply(a, b, y, [](float p, float q) { return p - q; });
    case BinaryOp::Mul: return broadcast_apply(a, b, y, [](float p, float q) { return p * q; });
    case BinaryOp::Div: return broadcast_apply(a, b, y, [](float p, float q) { return p / q; });
  }
}

}  // namespace vsr::cpu

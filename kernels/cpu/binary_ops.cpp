#include "binary_ops.h"

#include <algorithm>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

template <typename F>
void broadcast_apply(const Tensor& a, const Tensor& b, Tensor& y, F f) {
  // Broadcasting multiplies sizes ([N,1] with [1,M]): bound the result before allocating it.
  const std::vector<int64_t> shape = broadcast_shape(a.shape, b.shape);
  checked_shape(shape, "broadcast of " + shape_string(a.shape) + " and " + shape_string(b.shape));
  y.resize(shape);
  const size_t rank = y.shape.size();
  if (a.shape == b.shape) {  // the common case (residual adds): one flat loop
    for (size_t i = 0; i < y.data.size(); ++i) y.data[i] = f(a.data[i], b.data[i]);
    return;
  }
  const std::vector<int64_t> sa = broadcast_strides(a.shape, rank), sb = broadcast_strides(b.shape, rank);
  std::vector<int64_t> idx(rank, 0);
  for (size_t i = 0; i < y.data.size(); ++i) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia += idx[d] * sa[d];
      ib += idx[d] * sb[d];
    }
    y.data[i] = f(a.data[ia], b.data[ib]);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++idx[d] < y.shape[d]) break;
      idx[d] = 0;
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

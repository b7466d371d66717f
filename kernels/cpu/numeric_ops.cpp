#include "numeric_ops.h"

#include <cmath>
#include <limits>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

int64_t apply(BinaryOp op, int64_t a, int64_t b) {
  int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case BinaryOp::Add: overflow = __builtin_add_overflow(a, b, &r); break;
    case BinaryOp::Sub: overflow = __builtin_sub_overflow(a, b, &r); break;
    case BinaryOp::Mul: overflow = __builtin_mul_overflow(a, b, &r); break;
    case BinaryOp::Div:
      if (b == 0) throw Error("integer division by zero");
      if (a == std::numeric_limits<int64_t>::min() && b == -1) overflow = true;
      else r = a / b;
      break;
  }
  if (overflow) throw Error("int64 overflow in " + std::to_string(a) + " and " + std::to_string(b));
  return r;
}

}  // namespace

void cast(const Tensor& x, ElementType to, Tensor& y) {
  if (to == ElementType::Float) {
    std::vector<float>& out = shape_as<float>(y, x.shape);
    if (x.is_int)
      for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(x.ints[i]);
    else
      out.assign(x.data.begin(), x.data.end());
    return;
  }
  const bool to32 = to == ElementType::Int32;
  std::vector<int64_t>& out = shape_as<int64_t>(y, x.shape);
  if (x.is_int) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = to32 ? static_cast<int32_t>(x.ints[i]) : x.ints[i];
    return;
  }
  // Bounds exactly representable in float: [-2^63, 2^63) and [-2^31, 2^31).
  const float lo = to32 ? -2147483648.0f : -9223372036854775808.0f;
  const float hi = to32 ? 2147483648.0f : 9223372036854775808.0f;
  for (size_t i = 0; i < out.size(); ++i) {
    const float v = std::trunc(x.data[i]);
    if (!(v >= lo && v < hi))  // NaN fails too
      throw Error("Cast: " + std::to_string(x.data[i]) + " does not fit the target integer type");
    out[i] = static_cast<int64_t>(v);
  }
}

void round_elements(const Tensor& x, Rounding r, Tensor& y) {
  if (x.is_int) throw Error(std::string(r == Rounding::Floor ? "Floor" : "Ceil") + " takes a float tensor");
  std::vector<float>& out = shape_as<float>(y, x.shape);
  for (size_t i = 0; i < out.size(); ++i) out[i] = r == Rounding::Floor ? std::floor(x.data[i]) : std::ceil(x.data[i]);
}

void binary_int(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& y) {
  if (!a.is_int || !b.is_int) throw Error("binary op mixes int64 and float tensors");
  const std::vector<int64_t> shape = broadcast_shape(a.shape, b.shape);
  checked_shape(shape, "broadcast of " + shape_string(a.shape) + " and " + shape_string(b.shape));
  const size_t rank = shape.size();
  const std::vector<int64_t> sa = broadcast_strides(a.shape, rank), sb = broadcast_strides(b.shape, rank);
  std::vector<int64_t>& out = shape_as<int64_t>(y, shape);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t rem = static_cast<int64_t>(i), ia = 0, ib = 0;
    for (size_t d = rank; d-- > 0;) {
      const int64_t idx = rem % shape[d];
      rem /= shape[d];
      ia += idx * sa[d];
      ib += idx * sb[d];
    }
    out[i] = apply(op, a.ints[ia], b.ints[ib]);
  }
}

}  // namespace vsr::cpu

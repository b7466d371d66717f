// Typed access to a Tensor's elements. A tensor holds floats (`data`) or, for the shape arithmetic
// exporters emit around dynamic H/W, int64s (`ints`, with `is_int`). Data-movement kernels (Slice,
// Split, Gather, Transpose, Expand, ...) are written once as templates over the element type and
// dispatched with `visit_elements`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"
#include "vsr/error.h"

namespace vsr::cpu {

// Largest element count a shape computed at run time may ask for (ConstantOfShape, Expand, Pad,
// Resize sizes): a bad shape tensor must fail with a message, not allocate gigabytes.
constexpr int64_t kMaxElements = int64_t(1) << 30;

// Element count of `shape`; throws vsr::Error for a negative dimension or a count over kMaxElements.
inline int64_t checked_element_count(const std::vector<int64_t>& shape, const std::string& what) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) throw Error(what + ": shape " + shape_string(shape) + " has a negative dimension");
    if (d != 0 && n > kMaxElements / d)
      throw Error(what + ": shape " + shape_string(shape) + " has more than 2^30 elements (refused)");
    n *= d;
  }
  if (n > kMaxElements) throw Error(what + ": shape " + shape_string(shape) + " has more than 2^30 elements (refused)");
  return n;
}

template <typename T>
const std::vector<T>& elements(const Tensor& t);
template <>
inline const std::vector<float>& elements<float>(const Tensor& t) { return t.data; }
template <>
inline const std::vector<int64_t>& elements<int64_t>(const Tensor& t) { return t.ints; }

// Gives `y` the shape and element type, dropping the other kind of storage (capacity is kept, so a
// reused buffer does not reallocate), and returns its elements.
template <typename T>
std::vector<T>& shape_as(Tensor& y, std::vector<int64_t> shape);
template <>
inline std::vector<float>& shape_as<float>(Tensor& y, std::vector<int64_t> shape) {
  y.is_int = false;
  y.ints.clear();
  y.resize(std::move(shape));
  return y.data;
}
template <>
inline std::vector<int64_t>& shape_as<int64_t>(Tensor& y, std::vector<int64_t> shape) {
  y.is_int = true;
  y.data.clear();
  y.shape = std::move(shape);
  y.ints.resize(static_cast<size_t>(y.numel()));
  return y.ints;
}

// Calls f(T{}) with T = int64_t for integer tensors and float otherwise.
template <typename F>
decltype(auto) visit_elements(const Tensor& t, F&& f) {
  if (t.is_int) return f(int64_t{});
  return f(float{});
}

// Copies x into y, giving y a new shape with the same element count (Reshape, Squeeze, Unsqueeze).
inline void copy_with_shape(const Tensor& x, std::vector<int64_t> shape, Tensor& y) {
  visit_elements(x, [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T>& src = elements<T>(x);
    std::vector<T>& dst = shape_as<T>(y, std::move(shape));
    dst.assign(src.begin(), src.end());
  });
}

// Normalises an axis in [-rank, rank) to [0, rank); throws naming `what` if out of range.
inline int64_t normalize_axis(int64_t axis, int64_t rank, const std::string& what) {
  if (axis < -rank || axis >= rank)
    throw Error(what + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

}  // namespace vsr::cpu

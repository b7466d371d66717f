// Bounds on the shapes kernels compute from model content or run-time tensors, and overflow-checked
// arithmetic to stay inside them. A corrupt or hostile model must fail with a vsr::Error that says
// what was wrong, never allocate without bound, overflow int64 or index out of range.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor_elements.h"
#include "vsr/error.h"

namespace vsr::cpu {

// Largest single dimension and rank a tensor may have. SR graphs stay at rank 6 (PixelShuffle's
// reshape) and far below 2^31 per axis; anything beyond is a corrupt file.
constexpr int64_t kMaxDimension = int64_t(1) << 31;
constexpr size_t kMaxRank = 8;

// a * b for a, b >= 0; throws naming `what` when the product does not fit int64.
inline int64_t checked_mul(int64_t a, int64_t b, const std::string& what) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    throw Error(what + ": " + std::to_string(a) + " x " + std::to_string(b) + " overflows int64");
  return r;
}

// a + b; throws naming `what` when the sum does not fit int64.
inline int64_t checked_add(int64_t a, int64_t b, const std::string& what) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    throw Error(what + ": " + std::to_string(a) + " + " + std::to_string(b) + " overflows int64");
  return r;
}

// For a shape a kernel is about to allocate: rank <= kMaxRank, every dimension in [0, kMaxDimension]
// (checked even when another dimension is 0, since kernels size per-axis tables from them) and at
// most kMaxElements elements. Returns the element count.
inline int64_t checked_shape(const std::vector<int64_t>& shape, const std::string& what) {
  if (shape.size() > kMaxRank)
    throw Error(what + ": shape " + shape_string(shape) + " has rank " + std::to_string(shape.size()) +
                " (vsr refuses rank over " + std::to_string(kMaxRank) + ")");
  for (int64_t d : shape)
    if (d > kMaxDimension)
      throw Error(what + ": shape " + shape_string(shape) + " has a dimension over 2^31 (refused)");
  return checked_element_count(shape, what);
}

}  // namespace vsr::cpu

#include "slice_ops.h"

#include <algorithm>
#include <limits>

#include "tensor_elements.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

// Copies the box starting at `begin` with `step` per axis and `count` elements per axis from src to dst.
template <typename T>
void copy_strided(const std::vector<int64_t>& shape, const std::vector<int64_t>& begin, const std::vector<int64_t>& step,
                  const std::vector<int64_t>& count, const std::vector<T>& src, std::vector<T>& dst) {
  if (dst.empty()) return;
  const size_t rank = shape.size();
  if (rank == 0) {
    dst[0] = src[0];
    return;
  }
  std::vector<int64_t> stride(rank, 1);
  for (size_t d = rank - 1; d > 0; --d) stride[d - 1] = stride[d] * shape[d];
  int64_t base = 0;
  for (size_t d = 0; d < rank; ++d) base += begin[d] * stride[d];
  const size_t last = rank - 1;
  const int64_t inner = count[last], inner_step = step[last] * stride[last];
  const int64_t rows = static_cast<int64_t>(dst.size()) / inner;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t rem = r, offset = base;
    for (size_t d = last; d-- > 0;) {
      offset += (rem % count[d]) * step[d] * stride[d];
      rem /= count[d];
    }
    for (int64_t i = 0; i < inner; ++i) dst[r * inner + i] = src[offset + i * inner_step];
  }
}

}  // namespace

void slice(const Tensor& x, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
           const std::vector<int64_t>& axes_in, const std::vector<int64_t>& steps_in, Tensor& y) {
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  if (starts.size() != ends.size())
    throw Error("Slice: " + std::to_string(starts.size()) + " starts but " + std::to_string(ends.size()) + " ends");
  std::vector<int64_t> axes = axes_in;
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  const std::vector<int64_t> steps = steps_in.empty() ? std::vector<int64_t>(starts.size(), 1) : steps_in;
  if (axes.size() != starts.size() || steps.size() != starts.size())
    throw Error("Slice: starts, ends, axes and steps must have the same length");
  std::vector<int64_t> begin(rank, 0), step(rank, 1), count = x.shape;
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t a = normalize_axis(axes[i], rank, "Slice");
    if (seen[a]) throw Error("Slice: axis " + std::to_string(axes[i]) + " is listed twice");
    seen[a] = true;
    if (steps[i] == 0) throw Error("Slice: step 0 on axis " + std::to_string(axes[i]));
    const int64_t dim = x.shape[a];
    int64_t s = starts[i], e = ends[i];
    if (s < 0) s += dim;  // no overflow: s < 0 <= dim
    if (e < 0) e += dim;
    if (dim == 0) {  // nothing to take (and the clamps below need dim >= 1)
      s = e = 0;
    } else if (steps[i] > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    const int64_t st = steps[i];
    // ceil(|e - s| / |st|) when they point the same way, else 0. |e - s| <= dim + 1 after clamping;
    // |st| may be anything up to 2^63 (a file's value), so it is never added to or negated.
    const int64_t span = e - s;
    int64_t n = 0;
    if (st > 0 && span > 0) n = (span - 1) / st + 1;
    if (st < 0 && span < 0) {
      const int64_t magnitude = st == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -st;
      n = (-span - 1) / magnitude + 1;
    }
    begin[a] = n > 0 ? s : 0;
    step[a] = st;
    count[a] = n;
  }
  visit_elements(x, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T>& dst = shape_as<T>(y, count);
    copy_strided(x.shape, begin, step, count, elements<T>(x), dst);
  });
}

SplitPlan split_plan(const std::vector<int64_t>& x_shape, int64_t axis_in, const std::vector<int64_t>& sizes_in,
                     size_t parts_in) {
  const int64_t rank = static_cast<int64_t>(x_shape.size());
  const int64_t axis = normalize_axis(axis_in, rank, "Split");
  const int64_t dim = x_shape[axis], parts = static_cast<int64_t>(parts_in);
  if (parts == 0) throw Error("Split: no outputs");
  std::vector<int64_t> sizes = sizes_in;
  if (sizes.empty()) {
    if (dim % parts != 0)
      throw Error("Split: axis " + std::to_string(axis) + " of " + shape_string(x_shape) + " does not divide into " +
                  std::to_string(parts) + " equal parts");
    sizes.assign(parts, dim / parts);
  }
  if (static_cast<int64_t>(sizes.size()) != parts)
    throw Error("Split: " + std::to_string(sizes.size()) + " split sizes for " + std::to_string(parts) + " outputs");
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 0) throw Error("Split: negative split size " + std::to_string(s));
    if (s > dim)  // also keeps the sum below from overflowing
      throw Error("Split: split size " + std::to_string(s) + " exceeds axis " + std::to_string(axis) + " of " +
                  shape_string(x_shape));
    total += s;
  }
  if (total != dim)
    throw Error("Split: split sizes sum to " + std::to_string(total) + " but axis " + std::to_string(axis) + " of " +
                shape_string(x_shape) + " has " + std::to_string(dim));
  return {axis, sizes};
}

void split(const Tensor& x, int64_t axis_in, const std::vector<int64_t>& sizes_in, const std::vector<Tensor*>& outputs) {
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const SplitPlan plan = split_plan(x.shape, axis_in, sizes_in, outputs.size());
  const int64_t axis = plan.axis, dim = x.shape[axis], parts = static_cast<int64_t>(outputs.size());
  const std::vector<int64_t>& sizes = plan.sizes;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= x.shape[d];
  visit_elements(x, [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T>& src = elements<T>(x);
    int64_t offset = 0;
    for (int64_t p = 0; p < parts; ++p) {
      std::vector<int64_t> shape = x.shape;
      shape[axis] = sizes[p];
      std::vector<T>& dst = shape_as<T>(*outputs[p], shape);
      if (src.empty()) continue;  // an empty axis may sit beside huge ones: do not loop over them
      const int64_t chunk = sizes[p] * inner;
      for (int64_t o = 0; o < outer; ++o)
        std::copy_n(src.begin() + o * dim * inner + offset, chunk, dst.begin() + o * chunk);
      offset += chunk;
    }
  });
}

}  // namespace vsr::cpu

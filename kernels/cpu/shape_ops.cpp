#include "shape_ops.h"

#include <algorithm>
#include <cmath>

#include "binary_ops.h"
#include "layout_ops.h"
#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {

void shape_of(const Tensor& x, int64_t start, int64_t end, Tensor& y) {
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, 0, rank);
  const int64_t n = std::max<int64_t>(end - start, 0);
  std::vector<int64_t>& out = shape_as<int64_t>(y, {n});
  for (int64_t i = 0; i < n; ++i) out[i] = x.shape[start + i];
}

void gather(const Tensor& data, const Tensor& indices, int64_t axis_in, Tensor& y) {
  if (!indices.is_int) throw Error("Gather: indices must be an int64 tensor");
  const int64_t rank = static_cast<int64_t>(data.shape.size());
  if (rank == 0) throw Error("Gather: data must have rank >= 1");
  const int64_t axis = normalize_axis(axis_in, rank, "Gather");
  const int64_t dim = data.shape[axis];
  std::vector<int64_t> shape(data.shape.begin(), data.shape.begin() + axis);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  // Many indices into a large axis multiply the size: bound the result before allocating it.
  checked_shape(shape, "Gather output");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= data.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= data.shape[d];
  std::vector<int64_t> index(indices.ints.size());
  for (size_t i = 0; i < index.size(); ++i) {
    const int64_t v = indices.ints[i];
    if (v < -dim || v >= dim)
      throw Error("Gather: index " + std::to_string(v) + " is out of range for axis " + std::to_string(axis) + " of " +
                  shape_string(data.shape));
    index[i] = v < 0 ? v + dim : v;
  }
  visit_elements(data, [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T>& src = elements<T>(data);
    std::vector<T>& dst = shape_as<T>(y, shape);
    if (dst.empty()) return;  // an empty axis may sit beside huge ones: do not loop over them
    auto out = dst.begin();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : index) out = std::copy_n(src.begin() + (o * dim + i) * inner, inner, out);
  });
}

void unsqueeze(const Tensor& x, const std::vector<int64_t>& axes, Tensor& y) {
  if (x.shape.size() + axes.size() > kMaxRank)
    throw Error("Unsqueeze: " + std::to_string(axes.size()) + " axes on rank " + std::to_string(x.shape.size()) +
                " exceed rank " + std::to_string(kMaxRank));
  const int64_t out_rank = static_cast<int64_t>(x.shape.size() + axes.size());
  std::vector<bool> inserted(out_rank, false);
  for (int64_t a : axes) {
    const int64_t axis = normalize_axis(a, out_rank, "Unsqueeze");
    if (inserted[axis]) throw Error("Unsqueeze: axis " + std::to_string(a) + " is listed twice");
    inserted[axis] = true;
  }
  std::vector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < out_rank; ++d) shape.push_back(inserted[d] ? 1 : x.shape[next++]);
  copy_with_shape(x, shape, y);
}

void squeeze(const Tensor& x, const std::vector<int64_t>& axes, Tensor& y) {
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  std::vector<bool> removed(rank, false);
  for (int64_t a : axes) {
    const int64_t axis = normalize_axis(a, rank, "Squeeze");
    if (removed[axis]) throw Error("Squeeze: axis " + std::to_string(a) + " is listed twice");
    if (x.shape[axis] != 1)
      throw Error("Squeeze: axis " + std::to_string(a) + " of " + shape_string(x.shape) + " is not 1");
    removed[axis] = true;
  }
  std::vector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!(axes.empty() ? x.shape[d] == 1 : removed[d])) shape.push_back(x.shape[d]);
  copy_with_shape(x, shape, y);
}

std::vector<int64_t> reshape_shape(const std::vector<int64_t>& in, const std::vector<int64_t>& requested,
                                   bool allow_zero) {
  std::vector<int64_t> s = requested;
  int64_t known = 1, infer = -1, in_count = 1;
  for (int64_t d : in) in_count *= d;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 0 && !allow_zero) {
      if (i >= in.size())
        throw Error("Reshape: target " + shape_string(requested) + " copies dimension " + std::to_string(i) +
                    " that input " + shape_string(in) + " does not have");
      s[i] = in[i];
    }
    if (s[i] == -1) {
      if (infer >= 0) throw Error("Reshape: target " + shape_string(requested) + " has more than one -1");
      infer = static_cast<int64_t>(i);
    } else if (s[i] < 0) {
      throw Error("Reshape: target " + shape_string(requested) + " has a negative dimension");
    } else {
      if (s[i] != 0 && known > kMaxElements / s[i]) known = kMaxElements + 1;  // too big: fails below
      else known *= s[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || in_count % known != 0)
      throw Error("Reshape: cannot infer the -1 in " + shape_string(requested) + " for input " + shape_string(in));
    s[infer] = in_count / known;
  } else if (known != in_count) {
    throw Error("Reshape: cannot reshape " + shape_string(in) + " to " + shape_string(requested));
  }
  // The count matches the input's, but with a 0 in the target the other dimensions are unchecked.
  checked_shape(s, "Reshape target");
  return s;
}

void constant_of_shape(const std::vector<int64_t>& shape, const Tensor& value, Tensor& y) {
  checked_shape(shape, "ConstantOfShape");
  if (value.is_int) {
    if (value.ints.size() != 1) throw Error("ConstantOfShape: value must hold exactly one element");
    std::vector<int64_t>& out = shape_as<int64_t>(y, shape);
    std::fill(out.begin(), out.end(), value.ints[0]);
  } else {
    if (value.data.size() != 1) throw Error("ConstantOfShape: value must hold exactly one element");
    std::vector<float>& out = shape_as<float>(y, shape);
    std::fill(out.begin(), out.end(), value.data[0]);
  }
}

void expand(const Tensor& x, const std::vector<int64_t>& target, Tensor& y) {
  for (int64_t d : target)
    if (d < 0) throw Error("Expand: shape " + shape_string(target) + " has a negative dimension");
  const std::vector<int64_t> shape = broadcast_shape(x.shape, target);
  checked_shape(shape, "Expand");
  const size_t rank = shape.size(), lead = rank - x.shape.size();
  // x's stride along each output axis; 0 where x is broadcast.
  std::vector<int64_t> stride(rank, 0);
  for (int64_t d = static_cast<int64_t>(rank) - 1, s = 1; d >= static_cast<int64_t>(lead); --d) {
    const int64_t xd = x.shape[d - lead];
    stride[d] = xd == 1 ? 0 : s;
    s *= xd;
  }
  visit_elements(x, [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T>& src = elements<T>(x);
    std::vector<T>& dst = shape_as<T>(y, shape);
    for (size_t i = 0; i < dst.size(); ++i) {
      int64_t rem = static_cast<int64_t>(i), offset = 0;
      for (size_t d = rank; d-- > 0;) {
        offset += (rem % shape[d]) * stride[d];
        rem /= shape[d];
      }
      dst[i] = src[offset];
    }
  });
}

void range(const Tensor& start, const Tensor& limit, const Tensor& delta, Tensor& y) {
  for (const Tensor* t : {&start, &limit, &delta})
    if (t->numel() != 1 || t->shape.size() > 1) throw Error("Range: start, limit and delta must be scalars");
  if (start.is_int != limit.is_int || start.is_int != delta.is_int)
    throw Error("Range: start, limit and delta mix int64 and float");
  if (start.is_int) {
    const int64_t s = start.ints[0], l = limit.ints[0], d = delta.ints[0];
    if (d == 0) throw Error("Range: delta is 0");
    int64_t diff = 0;
    if (__builtin_sub_overflow(l, s, &diff)) throw Error("Range: limit - start overflows int64");
    int64_t n = 0;  // ceil(diff / d), at least 0, without overflow
    if (d > 0 && diff > 0) n = diff / d + (diff % d != 0);
    if (d < 0 && diff < 0) n = diff / d + (diff % d != 0);
    checked_element_count({n}, "Range");
    std::vector<int64_t>& out = shape_as<int64_t>(y, {n});
    for (int64_t i = 0; i < n; ++i) out[i] = s + i * d;
    return;
  }
  const double s = start.data[0], l = limit.data[0], d = delta.data[0];
  if (d == 0.0 || !std::isfinite(s) || !std::isfinite(l) || !std::isfinite(d))
    throw Error("Range: delta is 0 or a bound is not finite");
  const double count = std::max(std::ceil((l - s) / d), 0.0);
  if (count > double(kMaxElements)) throw Error("Range: more than 2^30 elements (refused)");
  const int64_t n = static_cast<int64_t>(count);
  std::vector<float>& out = shape_as<float>(y, {n});
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(s + static_cast<double>(i) * d);
}

void concat_ints(const std::vector<const Tensor*>& inputs, int64_t axis, Tensor& y) {
  const ConcatLayout l = concat_layout(inputs, axis);
  if (!inputs[0]->is_int) throw Error("Concat: inputs mix int64 and float tensors");
  std::vector<int64_t>& dst = shape_as<int64_t>(y, l.shape);
  if (dst.empty()) return;  // an empty axis may sit beside huge ones: do not loop over them
  auto out = dst.begin();
  for (int64_t o = 0; o < l.outer; ++o)
    for (const Tensor* t : inputs) {
      const int64_t chunk = t->shape[l.axis] * l.inner;
      out = std::copy_n(t->ints.begin() + o * chunk, chunk, out);
    }
}

std::vector<int64_t> int_values(const Tensor& t, const char* what) {
  if (!t.is_int) throw Error(std::string(what) + " must be an int64 tensor");
  if (t.shape.size() > 1) throw Error(std::string(what) + " must be 1-D, got " + shape_string(t.shape));
  return t.ints;
}

}  // namespace vsr::cpu

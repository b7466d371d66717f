#include "layout_ops.h"

#include <algorithm>

#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {

void depth_to_space(const Tensor& x, int64_t b, DepthToSpaceMode mode, Tensor& y) {
  if (x.shape.size() != 4) throw Error("DepthToSpace expects a 4-D input, got " + shape_string(x.shape));
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  if (b <= 0 || b > 4096) throw Error("DepthToSpace: blocksize " + std::to_string(b) + " is out of range");
  if (C % (b * b) != 0)
    throw Error("DepthToSpace: " + std::to_string(C) + " channels are not divisible by blocksize^2 = " +
                std::to_string(b * b));
  const int64_t OC = C / (b * b);
  checked_shape({N, OC, checked_mul(H, b, "DepthToSpace"), checked_mul(W, b, "DepthToSpace")}, "DepthToSpace output");
  y.resize({N, OC, H * b, W * b});
  if (y.data.empty()) return;  // an empty axis may sit beside huge ones: do not loop over them
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oc = 0; oc < OC; ++oc)
      for (int64_t i = 0; i < b; ++i)
        for (int64_t j = 0; j < b; ++j) {
          const int64_t ic = mode == DepthToSpaceMode::CRD ? oc * b * b + i * b + j : (i * b + j) * OC + oc;
          const float* in = &x.data[((n * C) + ic) * H * W];
          float* out = &y.data[((n * OC) + oc) * H * b * W * b];
          for (int64_t h = 0; h < H; ++h)
            for (int64_t w = 0; w < W; ++w) out[(h * b + i) * W * b + w * b + j] = in[h * W + w];
        }
}

ConcatLayout concat_layout(const std::vector<const Tensor*>& inputs, int64_t axis) {
  if (inputs.empty()) throw Error("Concat needs at least one input");
  const auto& first = inputs[0]->shape;
  const int64_t rank = static_cast<int64_t>(first.size());
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) throw Error("Concat axis out of range for shape " + shape_string(first));
  ConcatLayout layout{first, axis, 1, 1};
  layout.shape[axis] = 0;
  for (const Tensor* t : inputs) {
    if (t->is_int != inputs[0]->is_int) throw Error("Concat: inputs mix int64 and float tensors");
    if (t->shape.size() != first.size()) throw Error("Concat inputs differ in rank");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t->shape[d] != first[d])
        throw Error("Concat inputs " + shape_string(first) + " and " + shape_string(t->shape) + " differ off the axis");
    layout.shape[axis] = checked_add(layout.shape[axis], t->shape[axis], "Concat");
  }
  // A node may list the same input thousands of times: bound the result before allocating it.
  checked_shape(layout.shape, "Concat output");
  for (int64_t d = 0; d < axis; ++d) layout.outer *= first[d];
  for (int64_t d = axis + 1; d < rank; ++d) layout.inner *= first[d];
  return layout;
}

void concat(const std::vector<const Tensor*>& inputs, int64_t axis, Tensor& y) {
  const ConcatLayout l = concat_layout(inputs, axis);
  y.resize(l.shape);
  if (y.data.empty()) return;  // an empty axis may sit beside huge ones: do not loop over them
  float* out = y.data.data();
  for (int64_t o = 0; o < l.outer; ++o)
    for (const Tensor* t : inputs) {
      const int64_t chunk = t->shape[l.axis] * l.inner;
      out = std::copy_n(t->data.data() + o * chunk, chunk, out);
    }
}

}  // namespace vsr::cpu

// Slice and Split (ONNX opset 1-17 semantics) on float or int64 tensors of any rank.
#pragma once
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

// ONNX Slice: for each listed axis, starts/ends are clamped as the spec says (negative values count
// from the end, INT64_MAX/INT64_MIN mean "to the end"), steps may be negative (never 0). `axes` empty
// = 0..n-1, `steps` empty = all 1. Throws vsr::Error on bad axes, duplicate axes or a zero step.
void slice(const Tensor& x, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
           const std::vector<int64_t>& axes, const std::vector<int64_t>& steps, Tensor& y);

// Split's validated plan, shared with the CUDA step: the axis made non-negative and one size per
// output (`sizes`, or equal parts when it is empty). Throws vsr::Error naming what does not fit.
struct SplitPlan {
  int64_t axis;
  std::vector<int64_t> sizes;
};
SplitPlan split_plan(const std::vector<int64_t>& x_shape, int64_t axis, const std::vector<int64_t>& sizes, size_t parts);

// ONNX Split along `axis` into outputs.size() parts: `sizes` (one per output, summing to the axis
// length) or, when empty, equal parts (the axis length must divide evenly).
void split(const Tensor& x, int64_t axis, const std::vector<int64_t>& sizes, const std::vector<Tensor*>& outputs);

}  // namespace vsr::cpu

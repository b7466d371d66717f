// The shape-driven ops PyTorch exports for dynamic H/W (Shape -> Gather -> Unsqueeze -> Concat ->
// Resize/Reshape/Expand): they mostly run on small int64 tensors, but every kernel here also takes
// float tensors where the ONNX op allows it.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

// ONNX Shape (opset 15 start/end: negative values count from the end, both are clamped to [0, rank];
// end = INT64_MAX means the rank). y is a 1-D int64 tensor.
void shape_of(const Tensor& x, int64_t start, int64_t end, Tensor& y);

// ONNX Gather: y = data indexed by `indices` (int64, any rank incl. scalar) along `axis`; negative
// indices count from the end. Throws vsr::Error for an index out of range.
void gather(const Tensor& data, const Tensor& indices, int64_t axis, Tensor& y);

// ONNX Unsqueeze: inserts size-1 axes at `axes` (positions in the output, negative allowed).
void unsqueeze(const Tensor& x, const std::vector<int64_t>& axes, Tensor& y);
// ONNX Squeeze: removes the listed size-1 axes, or every size-1 axis when `axes` is empty.
void squeeze(const Tensor& x, const std::vector<int64_t>& axes, Tensor& y);

// ONNX Reshape's target shape: 0 copies the input dimension (unless allow_zero), one -1 is inferred.
std::vector<int64_t> reshape_shape(const std::vector<int64_t>& in, const std::vector<int64_t>& requested,
                                   bool allow_zero);

// ONNX ConstantOfShape: a tensor of `shape` filled with value's single element (float or int64).
// Refuses negative dimensions and more than 2^30 elements.
void constant_of_shape(const std::vector<int64_t>& shape, const Tensor& value, Tensor& y);

// ONNX Expand: broadcasts x against `shape` (both ways, as NumPy). Refuses more than 2^30 elements.
void expand(const Tensor& x, const std::vector<int64_t>& shape, Tensor& y);

// ONNX Range: start, start + delta, ... up to (excluding) limit; three scalars, all int64 or all float
// (torch.arange with a runtime end). Refuses delta 0 and more than 2^30 elements.
void range(const Tensor& start, const Tensor& limit, const Tensor& delta, Tensor& y);

// Concat for int64 tensors (cpu::concat in layout_ops.h handles floats).
void concat_ints(const std::vector<const Tensor*>& inputs, int64_t axis, Tensor& y);

// Reads a 1-D (or scalar) int64 tensor as a vector; throws naming `what` otherwise.
std::vector<int64_t> int_values(const Tensor& t, const char* what);

}  // namespace vsr::cpu

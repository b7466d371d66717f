// Element-type conversion and the arithmetic exporters put on shapes: Cast, Floor/Ceil, and
// Add/Sub/Mul/Div on int64 tensors (float tensors go through binary_ops.h).
#pragma once
#include "binary_ops.h"
#include "tensor.h"

namespace vsr::cpu {

// The ONNX element types vsr carries (TensorProto.DataType values).
enum class ElementType { Float = 1, Int32 = 6, Int64 = 7 };

// ONNX Cast. Float -> int truncates toward zero and throws vsr::Error for NaN, infinity or a value
// out of the target's range; int64 -> int32 wraps as C does. Int32 results are stored as int64.
void cast(const Tensor& x, ElementType to, Tensor& y);

enum class Rounding { Floor, Ceil };
void round_elements(const Tensor& x, Rounding r, Tensor& y);  // float tensors only

// Add/Sub/Mul/Div on two int64 tensors with NumPy broadcasting. Div truncates toward zero (C, as
// ONNX Runtime does); division by zero and overflow throw vsr::Error.
void binary_int(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& y);

}  // namespace vsr::cpu

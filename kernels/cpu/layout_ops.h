// Data-movement ops: DepthToSpace (both channel orders), Concat, Slice along one axis.
#pragma once
#include <string>
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

enum class DepthToSpaceMode { DCR, CRD };  // ONNX default DCR; PyTorch's pixel_shuffle is CRD

void depth_to_space(const Tensor& x, int64_t block, DepthToSpaceMode mode, Tensor& y);
void concat(const std::vector<const Tensor*>& inputs, int64_t axis, Tensor& y);

}  // namespace vsr::cpu

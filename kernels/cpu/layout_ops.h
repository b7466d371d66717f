// Data-movement ops: DepthToSpace (both channel orders), Concat, Slice along one axis.
#pragma once
#include <string>
#include <vector>

#include "tensor.h"

namespace vsr::cpu {

enum class DepthToSpaceMode { DCR, CRD };  // ONNX default DCR; PyTorch's pixel_shuffle is CRD

void depth_to_space(const Tensor& x, int64_t block, DepthToSpaceMode mode, Tensor& y);
// Output shape and copy geometry of Concat (float or int64 inputs, not mixed), validated and bounded
// before anything is allocated.
struct ConcatLayout {
  std::vector<int64_t> shape;
  int64_t axis, outer, inner;
};
ConcatLayout concat_layout(const std::vector<const Tensor*>& inputs, int64_t axis);
void concat(const std::vector<const Tensor*>& inputs, int64_t axis, Tensor& y);

}  // namespace vsr::cpu

// Data-movement CUDA kernels, twins of kernels/cpu/layout_ops, slice_ops and transpose: DepthToSpace in
// both channel orders, a strided box copy that Concat, Split and Slice are made of, and Transpose.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

#include "kernels/cpu/layout_ops.h"
#include "kernels/cpu/transpose.h"

namespace vsr::cuda {

// x: N x C x H x W (device) -> y: N x C/(b*b) x H*b x W*b (device, allocated by the caller).
void depth_to_space(const float* x, const std::vector<int64_t>& x_shape, int64_t block, cpu::DepthToSpaceMode mode,
                    float* y, cudaStream_t stream);

// Copies the 4-D box `extent` starting at `src_origin` of a tensor shaped `src_shape` to
// `dst_origin` of one shaped `dst_shape`. Concat = one copy per input at growing offsets along the
// axis; Split and Slice = copies out of the source.
void copy_box(const float* src, const std::vector<int64_t>& src_shape, const std::vector<int64_t>& src_origin,
              float* dst, const std::vector<int64_t>& dst_shape, const std::vector<int64_t>& dst_origin,
              const std::vector<int64_t>& extent, cudaStream_t stream);

// Transpose of a rank <= kMaxTransposeRank tensor by `plan` (cpu::transpose_plan of its shape and
// perm): y (device, plan.shape, allocated by the caller) walks x along plan.stride. The flow-warping
// exports transpose every flow field into GridSample's N x H x W x 2 grid, so it must not leave the GPU.
constexpr size_t kMaxTransposeRank = 6;
void transpose(const float* x, const cpu::TransposePlan& plan, float* y, cudaStream_t stream);

}  // namespace vsr::cuda

// Resampling CUDA kernels, twins of kernels/cpu/resize, pooling and grid_sample.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

#include "cuda_runtime.h"
#include "kernels/cpu/grid_sample.h"
#include "kernels/cpu/resize.h"

namespace vsr::cuda {

// A Resize for one input shape: the CPU reference's tap tables, uploaded once.
class Resize {
 public:
  Resize(const std::vector<int64_t>& x_shape, const cpu::ResizeParams& p, cudaStream_t stream);
  std::vector<int64_t> output_shape() const { return out_shape_; }
  void run(const float* x, float* y, cudaStream_t stream) const;

 private:
  std::vector<int64_t> in_shape_, out_shape_;
  int row_taps_ = 1, col_taps_ = 1;
  DeviceArray<int64_t> row_index_, col_index_;
  DeviceArray<float> row_weight_, col_weight_;
};

// x: N x C x H x W -> y: N x C x 1 x 1.
void global_average_pool(const float* x, const std::vector<int64_t>& x_shape, float* y, cudaStream_t stream);

// x: N x C x H x W, grid: N x Ho x Wo x 2 -> y: N x C x Ho x Wo, as cpu::grid_sample.
void grid_sample(const float* x, const std::vector<int64_t>& x_shape, const float* grid,
                 const std::vector<int64_t>& grid_shape, const cpu::GridSampleParams& p, float* y, cudaStream_t stream);

}  // namespace vsr::cuda

#include "sampling.h"

#include "kernels/cpu/grid_sample_coords.h"
#include "vsr/error.h"

namespace vsr::cuda {
namespace {

// Separable resize, one thread per output value: the rows' taps, each a weighted row of column taps
// (the same products as the CPU reference, summed in the same order per row).
__global__ void resize_kernel(const float* x, float* y, int64_t planes, int64_t H, int64_t W, int64_t OH, int64_t OW,
                              const int64_t* row_index, const float* row_weight, int row_taps,
                              const int64_t* col_index, const float* col_weight, int col_taps) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= planes * OH * OW) return;
  const int64_t ox = i % OW, oy = (i / OW) % OH, p = i / (OW * OH);
  const float* in = x + p * H * W;
  float acc = 0.0f;
  for (int kx = 0; kx < col_taps; ++kx) {
    const int64_t col = col_index[ox * col_taps + kx];
    float column = 0.0f;  // the CPU reference's row buffer entry at `col`
    for (int ky = 0; ky < row_taps; ++ky)
      column += row_weight[oy * row_taps + ky] * in[row_index[oy * row_taps + ky] * W + col];
    acc += col_weight[ox * col_taps + kx] * column;
  }
  y[i] = acc;
}

// One block per plane: a tree reduction in double, as the reference sums in double.
__global__ void global_average_pool_kernel(const float* x, float* y, int64_t plane) {
  __shared__ double partial[kThreads];
  const float* in = x + blockIdx.x * plane;
  double sum = 0.0;
  for (int64_t i = threadIdx.x; i < plane; i += blockDim.x) sum += in[i];
  partial[threadIdx.x] = sum;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) y[blockIdx.x] = static_cast<float>(partial[0] / static_cast<double>(plane));
}

__global__ void grid_sample_kernel(const float* x, const float* grid, float* y, int64_t N, int64_t C, int64_t H,
                                   int64_t W, int64_t OH, int64_t OW, cpu::GridSampleParams p) {
  namespace gc = cpu::grid_coords;
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= N * OH * OW) return;
  const int64_t ow = i % OW, oh = (i / OW) % OH, n = i / (OW * OH);
  const float* g = grid + ((n * OH + oh) * OW + ow) * 2;
  const float ix = gc::source_index(g[0], W, p), iy = gc::source_index(g[1], H, p);
  const int64_t plane = H * W, out_plane = OH * OW;
  const float* in = x + n * C * plane;
  float* out = y + n * C * out_plane + oh * OW + ow;
  if (p.mode == cpu::GridSampleMode::Nearest) {
    const float rx = nearbyintf(ix), ry = nearbyintf(iy);  // ties to even, as PyTorch
    const bool inside = rx >= 0.0f && rx < static_cast<float>(W) && ry >= 0.0f && ry < static_cast<float>(H);
    const int64_t offset = inside ? static_cast<int64_t>(ry) * W + static_cast<int64_t>(rx) : 0;
    for (int64_t c = 0; c < C; ++c) out[c * out_plane] = inside ? in[c * plane + offset] : 0.0f;
    return;
  }
  if (!gc::near_range(ix, W) || !gc::near_range(iy, H)) {
    for (int64_t c = 0; c < C; ++c) out[c * out_plane] = 0.0f;
    return;
  }
  const gc::BilinearTaps taps = gc::bilinear_taps(H, W, ix, iy);
  for (int64_t c = 0; c < C; ++c) out[c * out_plane] = gc::apply_taps(taps, in + c * plane);
}

}  // namespace

Resize::Resize(const std::vector<int64_t>& x_shape, const cpu::ResizeParams& p, cudaStream_t stream)
    : in_shape_(x_shape) {
  const cpu::ResizePlan plan = cpu::plan_resize(x_shape, p);
  out_shape_ = {x_shape[0], x_shape[1], plan.out_h, plan.out_w};
  row_taps_ = plan.rows.taps;
  col_taps_ = plan.cols.taps;
  row_index_.upload(plan.rows.index, stream);
  row_weight_.upload(plan.rows.weight, stream);
  col_index_.upload(plan.cols.index, stream);
  col_weight_.upload(plan.cols.weight, stream);
  check(cudaStreamSynchronize(stream), "Resize tables");  // the host tables go out of scope
}

void Resize::run(const float* x, float* y, cudaStream_t stream) const {
  const int64_t planes = in_shape_[0] * in_shape_[1], count = planes * out_shape_[2] * out_shape_[3];
  if (count == 0) return;
  resize_kernel<<<blocks_for(count), kThreads, 0, stream>>>(x, y, planes, in_shape_[2], in_shape_[3], out_shape_[2],
                                                            out_shape_[3], row_index_.data(), row_weight_.data(),
                                                            row_taps_, col_index_.data(), col_weight_.data(), col_taps_);
  check(cudaGetLastError(), "Resize kernel");
}

void global_average_pool(const float* x, const std::vector<int64_t>& s, float* y, cudaStream_t stream) {
  if (s.size() < 3) throw Error("GlobalAveragePool (CUDA) expects N x C x spatial..., got " + cpu::shape_string(s));
  int64_t plane = 1;
  for (size_t d = 2; d < s.size(); ++d) plane *= s[d];
  if (plane == 0) throw Error("GlobalAveragePool (CUDA): empty spatial extent in " + cpu::shape_string(s));
  const int64_t planes = s[0] * s[1];
  if (planes == 0) return;
  global_average_pool_kernel<<<static_cast<unsigned>(planes), kThreads, 0, stream>>>(x, y, plane);
  check(cudaGetLastError(), "GlobalAveragePool kernel");
}

void grid_sample(const float* x, const std::vector<int64_t>& xs, const float* grid, const std::vector<int64_t>& gs,
                 const cpu::GridSampleParams& p, float* y, cudaStream_t stream) {
  if (xs.size() != 4 || gs.size() != 4 || gs[3] != 2 || gs[0] != xs[0] || xs[2] <= 0 || xs[3] <= 0)
    throw Error("GridSample (CUDA): grid " + cpu::shape_string(gs) + " does not fit input " + cpu::shape_string(xs));
  const int64_t count = xs[0] * gs[1] * gs[2];
  if (count == 0 || xs[1] == 0) return;
  grid_sample_kernel<<<blocks_for(count), kThreads, 0, stream>>>(x, grid, y, xs[0], xs[1], xs[2], xs[3], gs[1], gs[2], p);
  check(cudaGetLastError(), "GridSample kernel");
}

}  // namespace vsr::cuda

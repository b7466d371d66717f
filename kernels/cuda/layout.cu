#include "layout.h"

#include "cuda_runtime.h"
#include "vsr/error.h"

namespace vsr::cuda {
namespace {

// One thread per output value: read from the input channel the mode assigns to its sub-pixel.
__global__ void depth_to_space_kernel(const float* x, float* y, int64_t N, int64_t C, int64_t H, int64_t W, int64_t b,
                                      bool crd) {
  const int64_t OC = C / (b * b), OH = H * b, OW = W * b;
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= N * OC * OH * OW) return;
  const int64_t ow = i % OW, oh = (i / OW) % OH, oc = (i / (OW * OH)) % OC, n = i / (OW * OH * OC);
  const int64_t h = oh / b, bi = oh % b, w = ow / b, bj = ow % b;
  const int64_t ic = crd ? oc * b * b + bi * b + bj : (bi * b + bj) * OC + oc;
  y[i] = x[((n * C + ic) * H + h) * W + w];
}

struct Box {
  int64_t src_shape[4], src_origin[4], dst_shape[4], dst_origin[4], extent[4];
};

__global__ void copy_box_kernel(const float* src, float* dst, Box b, int64_t count) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= count) return;
  int64_t rest = i, s = 0, d = 0, s_stride = 1, d_stride = 1;
  for (int k = 3; k >= 0; --k) {
    const int64_t idx = rest % b.extent[k];
    rest /= b.extent[k];
    s += (b.src_origin[k] + idx) * s_stride;
    d += (b.dst_origin[k] + idx) * d_stride;
    s_stride *= b.src_shape[k];
    d_stride *= b.dst_shape[k];
  }
  dst[d] = src[s];
}

struct Permutation {
  int64_t shape[kMaxTransposeRank], stride[kMaxTransposeRank];
  int rank;
};

// One thread per output value: its index over the output shape, read along the input strides.
__global__ void transpose_kernel(const float* x, float* y, Permutation p, int64_t count) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= count) return;
  int64_t rest = i, offset = 0;
  for (int k = p.rank - 1; k >= 0; --k) {
    offset += (rest % p.shape[k]) * p.stride[k];
    rest /= p.shape[k];
  }
  y[i] = x[offset];
}

// Right-aligns a shape of rank <= 4 into four axes (leading ones = 1, origins 0).
void four_axes(const std::vector<int64_t>& v, int64_t fill, int64_t out[4], const char* what) {
  if (v.size() > 4) throw Error(std::string("copy_box: ") + what + " has rank " + std::to_string(v.size()) + " (at most 4)");
  const size_t pad = 4 - v.size();
  for (size_t k = 0; k < 4; ++k) out[k] = k < pad ? fill : v[k - pad];
}

}  // namespace

void transpose(const float* x, const cpu::TransposePlan& plan, float* y, cudaStream_t stream) {
  if (plan.shape.size() > kMaxTransposeRank || plan.stride.size() != plan.shape.size())
    throw Error("Transpose (CUDA): rank " + std::to_string(plan.shape.size()) + " (at most " +
                std::to_string(kMaxTransposeRank) + ")");
  Permutation p{};
  p.rank = static_cast<int>(plan.shape.size());
  int64_t count = 1;
  for (int k = 0; k < p.rank; ++k) {
    p.shape[k] = plan.shape[k];
    p.stride[k] = plan.stride[k];
    count *= plan.shape[k];
  }
  if (count == 0) return;
  transpose_kernel<<<blocks_for(count), kThreads, 0, stream>>>(x, y, p, count);
  check(cudaGetLastError(), "Transpose kernel");
}

void depth_to_space(const float* x, const std::vector<int64_t>& s, int64_t block, cpu::DepthToSpaceMode mode, float* y,
                    cudaStream_t stream) {
  if (s.size() != 4 || block <= 0 || s[1] % (block * block) != 0)
    throw Error("DepthToSpace (CUDA): shape " + cpu::shape_string(s) + " does not fit blocksize " + std::to_string(block));
  const int64_t count = s[0] * s[1] * s[2] * s[3];
  if (count == 0) return;
  depth_to_space_kernel<<<blocks_for(count), kThreads, 0, stream>>>(x, y, s[0], s[1], s[2], s[3], block,
                                                                    mode == cpu::DepthToSpaceMode::CRD);
  check(cudaGetLastError(), "DepthToSpace kernel");
}

void copy_box(const float* src, const std::vector<int64_t>& src_shape, const std::vector<int64_t>& src_origin, float* dst,
              const std::vector<int64_t>& dst_shape, const std::vector<int64_t>& dst_origin,
              const std::vector<int64_t>& extent, cudaStream_t stream) {
  Box b{};
  four_axes(src_shape, 1, b.src_shape, "source shape");
  four_axes(src_origin, 0, b.src_origin, "source origin");
  four_axes(dst_shape, 1, b.dst_shape, "destination shape");
  four_axes(dst_origin, 0, b.dst_origin, "destination origin");
  four_axes(extent, 1, b.extent, "extent");
  int64_t count = 1;
  for (int k = 0; k < 4; ++k) {
    if (b.extent[k] < 0 || b.src_origin[k] < 0 || b.dst_origin[k] < 0 || b.src_origin[k] + b.extent[k] > b.src_shape[k] ||
        b.dst_origin[k] + b.extent[k] > b.dst_shape[k])
      throw Error("copy_box: the box leaves a tensor on axis " + std::to_string(k));
    count *= b.extent[k];
  }
  if (count == 0) return;
  copy_box_kernel<<<blocks_for(count), kThreads, 0, stream>>>(src, dst, b, count);
  check(cudaGetLastError(), "copy_box kernel");
}

}  // namespace vsr::cuda

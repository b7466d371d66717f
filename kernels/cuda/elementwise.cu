#include "elementwise.h"

#include "cuda_runtime.h"
#include "kernels/cpu/tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cuda {
namespace {

struct ActivationArgs {
  cpu::ActivationKind kind;
  float alpha, min, max;
  const float* slopes;
  int64_t slope_count, plane, channels;
};

__device__ float activate(float v, int64_t i, const ActivationArgs& a) {
  float r = v;
  switch (a.kind) {
    case cpu::ActivationKind::None: break;
    case cpu::ActivationKind::Relu: r = v > 0.0f ? v : 0.0f; break;
    case cpu::ActivationKind::LeakyRelu: r = v > 0.0f ? v : v * a.alpha; break;
    case cpu::ActivationKind::PRelu: {
      const float slope = a.slope_count == 1 ? a.slopes[0] : a.slopes[(i / a.plane) % a.channels];
      r = v > 0.0f ? v : v * slope;
      break;
    }
    case cpu::ActivationKind::Sigmoid: r = 1.0f / (1.0f + expf(-v)); break;
    case cpu::ActivationKind::Tanh: r = tanhf(v); break;
    case cpu::ActivationKind::Clip: r = fminf(fmaxf(v, a.min), a.max); break;
    case cpu::ActivationKind::Sqrt: r = sqrtf(v); break;
  }
  return r;
}

__global__ void activation_kernel(float* x, int64_t count, ActivationArgs a) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i < count) x[i] = activate(x[i], i, a);
}

__global__ void bias_activation_kernel(float* y, int64_t count, const float* bias, ActivationArgs a,
                                       const float* residual) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= count) return;
  float v = y[i];
  if (bias) v += bias[(i / a.plane) % a.channels];
  v = activate(v, i, a);
  if (residual) v += residual[i];
  y[i] = v;
}

ActivationArgs args_of(const cpu::Activation& a, int64_t channels, int64_t plane, const float* prelu_slopes) {
  ActivationArgs args{a.kind, a.alpha, a.min, a.max, prelu_slopes, static_cast<int64_t>(a.slopes.size()),
                      plane > 0 ? plane : 1, channels > 0 ? channels : 1};
  if (a.kind == cpu::ActivationKind::PRelu && (!prelu_slopes || args.slope_count == 0))
    throw Error("PRelu on the GPU needs its slopes in device memory");
  return args;
}

constexpr int kRank = static_cast<int>(cpu::kMaxRank);

struct BroadcastArgs {
  int rank;
  int64_t out_shape[kRank];
  int64_t a_stride[kRank], b_stride[kRank];
};

__device__ float apply(cpu::BinaryOp op, float a, float b) {
  switch (op) {
    case cpu::BinaryOp::Add: return a + b;
    case cpu::BinaryOp::Sub: return a - b;
    case cpu::BinaryOp::Mul: return a * b;
    case cpu::BinaryOp::Div: return a / b;
  }
  return 0.0f;
}

__global__ void binary_kernel(cpu::BinaryOp op, const float* a, const float* b, float* y, int64_t count, BroadcastArgs s) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= count) return;
  int64_t rest = i, ia = 0, ib = 0;
  for (int d = s.rank - 1; d >= 0; --d) {
    const int64_t idx = rest % s.out_shape[d];
    rest /= s.out_shape[d];
    ia += idx * s.a_stride[d];
    ib += idx * s.b_stride[d];
  }
  y[i] = apply(op, a[ia], b[ib]);
}

__global__ void affine_kernel(float* x, int64_t count, float scale, float offset) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i < count) x[i] = x[i] * scale + offset;
}

// The common case: same shapes, no index arithmetic.
__global__ void binary_same_shape_kernel(cpu::BinaryOp op, const float* a, const float* b, float* y, int64_t count) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i < count) y[i] = apply(op, a[i], b[i]);
}

}  // namespace

void activation(const cpu::Activation& a, float* x, int64_t count, int64_t channels, int64_t plane,
                const float* prelu_slopes, cudaStream_t stream) {
  if (a.kind == cpu::ActivationKind::None || count == 0) return;
  activation_kernel<<<blocks_for(count), kThreads, 0, stream>>>(x, count, args_of(a, channels, plane, prelu_slopes));
  check(cudaGetLastError(), "activation kernel");
}

void bias_activation(float* y, int64_t batch, int64_t channels, int64_t plane, const float* bias,
                     const cpu::Activation& a, const float* prelu_slopes, const float* residual, cudaStream_t stream) {
  const int64_t count = batch * channels * plane;
  if (count == 0 || (!bias && !residual && a.kind == cpu::ActivationKind::None)) return;
  bias_activation_kernel<<<blocks_for(count), kThreads, 0, stream>>>(y, count, bias,
                                                                     args_of(a, channels, plane, prelu_slopes), residual);
  check(cudaGetLastError(), "bias/activation kernel");
}

void affine(float* x, int64_t count, float scale, float offset, cudaStream_t stream) {
  if (count == 0 || (scale == 1.0f && offset == 0.0f)) return;
  affine_kernel<<<blocks_for(count), kThreads, 0, stream>>>(x, count, scale, offset);
  check(cudaGetLastError(), "affine kernel");
}

void binary(cpu::BinaryOp op, const float* a, const std::vector<int64_t>& a_shape, const float* b,
            const std::vector<int64_t>& b_shape, float* y, cudaStream_t stream) {
  const std::vector<int64_t> out = cpu::broadcast_shape(a_shape, b_shape);
  int64_t count = 1;
  for (int64_t d : out) count *= d;
  if (count == 0) return;
  if (a_shape == b_shape) {
    binary_same_shape_kernel<<<blocks_for(count), kThreads, 0, stream>>>(op, a, b, y, count);
  } else {
    BroadcastArgs s{};
    s.rank = static_cast<int>(out.size());
    const auto sa = cpu::broadcast_strides(a_shape, out.size()), sb = cpu::broadcast_strides(b_shape, out.size());
    for (int d = 0; d < s.rank; ++d) s.out_shape[d] = out[d], s.a_stride[d] = sa[d], s.b_stride[d] = sb[d];
    binary_kernel<<<blocks_for(count), kThreads, 0, stream>>>(op, a, b, y, count, s);
  }
  check(cudaGetLastError(), "binary kernel");
}

}  // namespace vsr::cuda

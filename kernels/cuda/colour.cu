#include "colour.h"

#include "cuda_runtime.h"
#include "kernels/cpu/colour_layout.h"
#include "vsr/error.h"

namespace vsr::cuda {
namespace {

using cpu::ChromaTap;
using cpu::CodeScale;
using cpu::PackedLayout;
using cpu::YccMatrix;
using cpu::YuvLayout;

__global__ void packed_to_planar(Frame f, PackedLayout L, float* dst) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  const int64_t plane = int64_t(f.width) * f.height;
  if (i >= plane) return;
  const int x = static_cast<int>(i % f.width), y = static_cast<int>(i / f.width);
  const uint8_t* p = cpu::plane_row(f, 0, y) + x * L.size;
  dst[i] = p[L.r] * (1.0f / 255.0f);
  dst[plane + i] = p[L.g] * (1.0f / 255.0f);
  dst[2 * plane + i] = p[L.b] * (1.0f / 255.0f);
}

__device__ float sample_value(const Frame& f, int plane, int row, int index, const YuvLayout& L, const CodeScale& s) {
  return (cpu::read_sample(cpu::plane_row(f, plane, row), index, L) - s.zero) * (1.0f / s.span);
}

// The chroma component stored at (first + cx * step) of `plane`, bilinear between chroma rows as the
// CPU reference does (rows first, then columns).
__device__ float chroma_at(const Frame& f, int plane, int first, const YuvLayout& L, const CodeScale& s, ChromaTap ty,
                           ChromaTap tx) {
  const int step = L.chroma_step;
  const float a0 = sample_value(f, plane, ty.i0, first + tx.i0 * step, L, s);
  const float a1 = sample_value(f, plane, ty.i1, first + tx.i0 * step, L, s);
  const float b0 = sample_value(f, plane, ty.i0, first + tx.i1 * step, L, s);
  const float b1 = sample_value(f, plane, ty.i1, first + tx.i1 * step, L, s);
  const float a = a0 + (a1 - a0) * ty.t, b = b0 + (b1 - b0) * ty.t;
  return a + (b - a) * tx.t;
}

__global__ void yuv_to_planar(Frame f, YuvLayout L, CodeScale luma, CodeScale chroma, YccMatrix k, float* dst) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  const int64_t plane = int64_t(f.width) * f.height;
  if (i >= plane) return;
  const int x = static_cast<int>(i % f.width), y = static_cast<int>(i / f.width);
  const float Y = sample_value(f, 0, y, x, L, luma);
  float r = Y, g = Y, b = Y;
  const int s = L.chroma_subsampling;
  if (s > 0) {
    const int cw = (f.width + s - 1) / s, ch = (f.height + s - 1) / s;
    const ChromaTap tx = cpu::chroma_tap(x, s, cw), ty = cpu::chroma_tap(y, s, ch);
    const float cb = chroma_at(f, L.u_plane, L.u_offset, L, chroma, ty, tx);
    const float cr = chroma_at(f, L.v_plane, L.v_offset, L, chroma, ty, tx);
    const cpu::Rgb rgb = cpu::ycc_to_rgb(Y, cb, cr, k);
    r = rgb.r, g = rgb.g, b = rgb.b;
  }
  dst[i] = r;
  dst[plane + i] = g;
  dst[2 * plane + i] = b;
}

__global__ void planar_to_packed(const float* src, Frame f, PackedLayout L, Frame alpha, PackedLayout AL) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  const int64_t plane = int64_t(f.width) * f.height;
  if (i >= plane) return;
  const int x = static_cast<int>(i % f.width), y = static_cast<int>(i / f.width);
  uint8_t a = 255;
  if (L.a >= 0 && AL.a >= 0) {  // nearest neighbour in the alpha source, as cpu::AlphaSource
    const int sx = static_cast<int>(int64_t(x) * alpha.width / f.width);
    const int sy = static_cast<int>(int64_t(y) * alpha.height / f.height);
    a = cpu::plane_row(alpha, 0, sy)[sx * AL.size + AL.a];
  }
  cpu::write_packed_pixel(cpu::plane_row_mut(f, 0, y) + x * L.size, L, src[i], src[plane + i], src[2 * plane + i], a);
}

__global__ void planar_to_luma(const float* src, Frame f, YuvLayout L, CodeScale luma, YccMatrix k) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  const int64_t plane = int64_t(f.width) * f.height;
  if (i >= plane) return;
  const int x = static_cast<int>(i % f.width), y = static_cast<int>(i / f.width);
  const float v = cpu::luma_of(cpu::clamp01(src[i]), cpu::clamp01(src[plane + i]), cpu::clamp01(src[2 * plane + i]), k);
  const int max_code = L.sample_bytes == 1 ? 255 : luma.max_code;
  cpu::write_sample(cpu::plane_row_mut(f, 0, y), x, cpu::to_code(luma.zero + luma.span * v, max_code), L);
}

// One thread per chroma sample: the box average over the luma pixels it covers.
__global__ void planar_to_chroma(const float* src, Frame f, YuvLayout L, CodeScale chroma, YccMatrix k) {
  const int s = L.chroma_subsampling, W = f.width, H = f.height;
  const int cw = (W + s - 1) / s, ch = (H + s - 1) / s;
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= int64_t(cw) * ch) return;
  const int cx = static_cast<int>(i % cw), cy = static_cast<int>(i / cw);
  const int64_t plane = int64_t(W) * H;
  const int x_end = s * cx + s < W ? s * cx + s : W, y_end = s * cy + s < H ? s * cy + s : H;
  float cb = 0.0f, cr = 0.0f;
  for (int y = s * cy; y < y_end; ++y)
    for (int x = s * cx; x < x_end; ++x) {
      const int64_t p = int64_t(y) * W + x;
      const cpu::Ycc ycc = cpu::rgb_to_ycc(cpu::clamp01(src[p]), cpu::clamp01(src[plane + p]), cpu::clamp01(src[2 * plane + p]), k);
      cb += ycc.cb;
      cr += ycc.cr;
    }
  const float n = float((y_end - s * cy) * (x_end - s * cx));
  const int max_code = L.sample_bytes == 1 ? 255 : chroma.max_code;
  cpu::write_sample(cpu::plane_row_mut(f, L.u_plane, cy), L.u_offset + cx * L.chroma_step,
                    cpu::to_code(chroma.zero + chroma.span * (cb / n), max_code), L);
  cpu::write_sample(cpu::plane_row_mut(f, L.v_plane, cy), L.v_offset + cx * L.chroma_step,
                    cpu::to_code(chroma.zero + chroma.span * (cr / n), max_code), L);
}

void check_device_frame(const Frame& f) {
  if (!f.on_device)
    throw Error(to_string(f.format) + " frame is in host memory; the CUDA colour conversion reads GPU memory");
  cpu::check_frame(f);  // sizes and strides only: the planes are not read on the host
}

}  // namespace

void frame_to_planar_rgb(const Frame& f, float* dst, cudaStream_t stream) {
  check_device_frame(f);
  const int64_t count = int64_t(f.width) * f.height;
  const PackedLayout P = cpu::packed_layout(f.format);
  if (P.size > 0) {
    packed_to_planar<<<blocks_for(count), kThreads, 0, stream>>>(f, P, dst);
  } else {
    const cpu::YuvRange q = cpu::yuv_range(f);
    yuv_to_planar<<<blocks_for(count), kThreads, 0, stream>>>(f, cpu::yuv_layout(f.format), cpu::luma_scale(q),
                                                              cpu::chroma_scale(q), cpu::ycc_matrix(f.matrix), dst);
  }
  check(cudaGetLastError(), "colour conversion kernel (frame to planar RGB)");
}

void planar_rgb_to_frame(const float* src, const Frame& f, const Frame* alpha_source, cudaStream_t stream) {
  check_device_frame(f);
  if (alpha_source) check_device_frame(*alpha_source);
  const int64_t count = int64_t(f.width) * f.height;
  const PackedLayout P = cpu::packed_layout(f.format);
  if (P.size > 0) {
    const Frame alpha = alpha_source ? *alpha_source : Frame{};
    const PackedLayout AL = alpha_source ? cpu::packed_layout(alpha_source->format) : PackedLayout{0, 0, 0, 0, -1};
    planar_to_packed<<<blocks_for(count), kThreads, 0, stream>>>(src, f, P, alpha, AL);
  } else {
    const YuvLayout L = cpu::yuv_layout(f.format);
    const cpu::YuvRange q = cpu::yuv_range(f);
    const YccMatrix k = cpu::ycc_matrix(f.matrix);
    planar_to_luma<<<blocks_for(count), kThreads, 0, stream>>>(src, f, L, cpu::luma_scale(q), k);
    if (L.chroma_subsampling > 0) {
      const int s = L.chroma_subsampling;
      const int64_t chroma = int64_t((f.width + s - 1) / s) * ((f.height + s - 1) / s);
      planar_to_chroma<<<blocks_for(chroma), kThreads, 0, stream>>>(src, f, L, cpu::chroma_scale(q), k);
    }
  }
  check(cudaGetLastError(), "colour conversion kernel (planar RGB to frame)");
}

}  // namespace vsr::cuda

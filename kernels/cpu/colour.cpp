#include "colour.h"

#include "colour_layout.h"
#include "colour_yuv.h"

namespace vsr::cpu {

int packed_pixel_size(PixelFormat format) { return packed_layout(format).size; }

void frame_to_planar_rgb(const Frame& f, float* dst) {
  check_host_frame(f);
  check_frame(f);
  const PackedLayout L = packed_layout(f.format);
  if (L.size == 0) return yuv_frame_to_planar_rgb(f, dst);
  const int W = f.width, H = f.height;
  const size_t plane = static_cast<size_t>(W) * H;
  float* R = dst;
  float* G = dst + plane;
  float* B = dst + 2 * plane;
#pragma omp parallel for schedule(static)
  for (int y = 0; y < H; ++y) {
    const uint8_t* row = plane_row(f, 0, y);
    for (int x = 0; x < W; ++x) {
      const uint8_t* p = row + x * L.size;
      const size_t i = static_cast<size_t>(y) * W + x;
      R[i] = p[L.r] * (1.0f / 255.0f);
      G[i] = p[L.g] * (1.0f / 255.0f);
      B[i] = p[L.b] * (1.0f / 255.0f);
    }
  }
}

void planar_rgb_to_frame(const float* src, const Frame& f, const Frame* alpha_source) {
  check_host_frame(f);
  if (alpha_source) check_host_frame(*alpha_source);
  check_frame(f);
  const PackedLayout L = packed_layout(f.format);
  if (L.size == 0) return planar_rgb_to_yuv_frame(src, f);
  const int W = f.width, H = f.height;
  const size_t plane = static_cast<size_t>(W) * H;
  const float* R = src;
  const float* G = src + plane;
  const float* B = src + 2 * plane;
  const AlphaSource alpha(alpha_source, W, H);
#pragma omp parallel for schedule(static)
  for (int y = 0; y < H; ++y) {
    uint8_t* row = plane_row_mut(f, 0, y);
    for (int x = 0; x < W; ++x) {
      const size_t i = static_cast<size_t>(y) * W + x;
      write_packed_pixel(row + x * L.size, L, R[i], G[i], B[i], L.a >= 0 ? alpha.at(x, y) : 255);
    }
  }
}

}  // namespace vsr::cpu

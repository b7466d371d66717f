#include "colour.h"

#include <algorithm>
#include <cmath>

#include "vsr/error.h"

namespace vsr {

int plane_count(PixelFormat f) {
  switch (f) {
    case PixelFormat::I420: return 3;
    case PixelFormat::NV12: return 2;
    default: return 1;
  }
}

std::string to_string(PixelFormat f) {
  switch (f) {
    case PixelFormat::RGB: return "RGB";
    case PixelFormat::BGR: return "BGR";
    case PixelFormat::RGBA: return "RGBA";
    case PixelFormat::BGRA: return "BGRA";
    case PixelFormat::RGBx: return "RGBx";
    case PixelFormat::BGRx: return "BGRx";
    case PixelFormat::I420: return "I420";
    case PixelFormat::NV12: return "NV12";
  }
  return "?";
}

}  // namespace vsr

namespace vsr::cpu {
namespace {

struct Coefficients {
  float kr, kg, kb;
};

Coefficients coefficients(ColourMatrix m) {
  switch (m) {
    case ColourMatrix::Bt601: return {0.299f, 0.587f, 0.114f};
    case ColourMatrix::Bt2020: return {0.2627f, 0.6780f, 0.0593f};
    default: return {0.2126f, 0.7152f, 0.0722f};
  }
}

// Offsets of R, G, B (and alpha, -1 if none) inside a packed pixel.
struct PackedLayout {
  int size, r, g, b, a;
};

PackedLayout packed_layout(PixelFormat f) {
  switch (f) {
    case PixelFormat::RGB: return {3, 0, 1, 2, -1};
    case PixelFormat::BGR: return {3, 2, 1, 0, -1};
    case PixelFormat::RGBA: return {4, 0, 1, 2, 3};
    case PixelFormat::BGRA: return {4, 2, 1, 0, 3};
    case PixelFormat::RGBx: return {4, 0, 1, 2, -1};
    case PixelFormat::BGRx: return {4, 2, 1, 0, -1};
    default: return {0, 0, 0, 0, -1};
  }
}

uint8_t to_u8(float v) { return static_cast<uint8_t>(std::lrint(std::min(255.0f, std::max(0.0f, v)))); }

void check_frame(const Frame& f) {
  if (f.width <= 0 || f.height <= 0) throw Error("frame has an empty size");
  for (int p = 0; p < plane_count(f.format); ++p)
    if (!f.planes[p].data || f.planes[p].stride <= 0)
      throw Error(to_string(f.format) + " frame is missing plane " + std::to_string(p));
}

// Chroma sample (plane `p` for I420, or component `k` of NV12's UV plane) at chroma coordinates.
uint8_t chroma_at(const Frame& f, int component, int cx, int cy) {
  if (f.format == PixelFormat::NV12) return f.planes[1].data[cy * f.planes[1].stride + cx * 2 + component];
  return f.planes[1 + component].data[cy * f.planes[1 + component].stride + cx];
}

}  // namespace

int packed_pixel_size(PixelFormat format) { return packed_layout(format).size; }

void frame_to_planar_rgb(const Frame& f, float* dst) {
  check_frame(f);
  const int W = f.width, H = f.height;
  const size_t plane = static_cast<size_t>(W) * H;
  float* R = dst;
  float* G = dst + plane;
  float* B = dst + 2 * plane;
  const PackedLayout L = packed_layout(f.format);
  if (L.size > 0) {
#pragma omp parallel for schedule(static)
    for (int y = 0; y < H; ++y) {
      const uint8_t* row = f.planes[0].data + static_cast<size_t>(y) * f.planes[0].stride;
      for (int x = 0; x < W; ++x) {
        const uint8_t* p = row + x * L.size;
        R[y * W + x] = p[L.r] * (1.0f / 255.0f);
        G[y * W + x] = p[L.g] * (1.0f / 255.0f);
        B[y * W + x] = p[L.b] * (1.0f / 255.0f);
      }
    }
    return;
  }
  const Coefficients k = coefficients(f.matrix);
  const float y_off = f.full_range ? 0.0f : 16.0f, y_scale = f.full_range ? 1.0f / 255.0f : 1.0f / 219.0f;
  const float c_scale = f.full_range ? 1.0f / 255.0f : 1.0f / 224.0f;
  const int CW = (W + 1) / 2, CH = (H + 1) / 2;
#pragma omp parallel for schedule(static)
  for (int y = 0; y < H; ++y) {
    // Centre-sited chroma: luma row y sits at chroma row (y + 0.5) / 2 - 0.5.
    const float cyf = std::min(std::max((y + 0.5f) * 0.5f - 0.5f, 0.0f), float(CH - 1));
    const int cy0 = static_cast<int>(cyf), cy1 = std::min(cy0 + 1, CH - 1);
    const float fy = cyf - cy0;
    const uint8_t* yrow = f.planes[0].data + static_cast<size_t>(y) * f.planes[0].stride;
    for (int x = 0; x < W; ++x) {
      const float cxf = std::min(std::max((x + 0.5f) * 0.5f - 0.5f, 0.0f), float(CW - 1));
      const int cx0 = static_cast<int>(cxf), cx1 = std::min(cx0 + 1, CW - 1);
      const float fx = cxf - cx0;
      float c[2];
      for (int comp = 0; comp < 2; ++comp) {
        const float top = chroma_at(f, comp, cx0, cy0) * (1 - fx) + chroma_at(f, comp, cx1, cy0) * fx;
        const float bottom = chroma_at(f, comp, cx0, cy1) * (1 - fx) + chroma_at(f, comp, cx1, cy1) * fx;
        c[comp] = ((top * (1 - fy) + bottom * fy) - 128.0f) * c_scale;
      }
      const float Y = (yrow[x] - y_off) * y_scale, cb = c[0], cr = c[1];
      R[y * W + x] = Y + 2.0f * (1.0f - k.kr) * cr;
      G[y * W + x] = Y - (2.0f * k.kb * (1.0f - k.kb) * cb + 2.0f * k.kr * (1.0f - k.kr) * cr) / k.kg;
      B[y * W + x] = Y + 2.0f * (1.0f - k.kb) * cb;
    }
  }
}

void planar_rgb_to_frame(const float* src, const Frame& f, const Frame* alpha_source) {
  check_frame(f);
  const int W = f.width, H = f.height;
  const size_t plane = static_cast<size_t>(W) * H;
  const float* R = src;
  const float* G = src + plane;
  const float* B = src + 2 * plane;
  const PackedLayout L = packed_layout(f.format);
  if (L.size > 0) {
    const PackedLayout SA = alpha_source ? packed_layout(alpha_source->format) : PackedLayout{0, 0, 0, 0, -1};
#pragma omp parallel for schedule(static)
    for (int y = 0; y < H; ++y) {
      uint8_t* row = f.planes[0].data + static_cast<size_t>(y) * f.planes[0].stride;
      for (int x = 0; x < W; ++x) {
        uint8_t* p = row + x * L.size;
        p[L.r] = to_u8(R[y * W + x] * 255.0f);
        p[L.g] = to_u8(G[y * W + x] * 255.0f);
        p[L.b] = to_u8(B[y * W + x] * 255.0f);
        if (L.size == 4) {
          uint8_t a = 255;
          if (L.a >= 0 && SA.a >= 0) {
            const int sx = static_cast<int>(int64_t(x) * alpha_source->width / W);
            const int sy = static_cast<int>(int64_t(y) * alpha_source->height / H);
            a = alpha_source->planes[0].data[static_cast<size_t>(sy) * alpha_source->planes[0].stride + sx * SA.size + SA.a];
          }
          p[L.a >= 0 ? L.a : 3] = a;
        }
      }
    }
    return;
  }
  const Coefficients k = coefficients(f.matrix);
  const float y_off = f.full_range ? 0.0f : 16.0f, y_range = f.full_range ? 255.0f : 219.0f;
  const float c_range = f.full_range ? 255.0f : 224.0f;
  auto clamp01 = [](float v) { return std::min(1.0f, std::max(0.0f, v)); };
#pragma omp parallel for schedule(static)
  for (int y = 0; y < H; ++y) {
    uint8_t* yrow = f.planes[0].data + static_cast<size_t>(y) * f.planes[0].stride;
    for (int x = 0; x < W; ++x) {
      const size_t i = static_cast<size_t>(y) * W + x;
      const float Y = k.kr * clamp01(R[i]) + k.kg * clamp01(G[i]) + k.kb * clamp01(B[i]);
      yrow[x] = to_u8(y_off + y_range * Y);
    }
  }
  const int CW = (W + 1) / 2, CH = (H + 1) / 2;
#pragma omp parallel for schedule(static)
  for (int cy = 0; cy < CH; ++cy) {
    for (int cx = 0; cx < CW; ++cx) {
      float cb = 0.0f, cr = 0.0f;
      int n = 0;
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx) {
          const int x = 2 * cx + dx, y = 2 * cy + dy;
          if (x >= W || y >= H) continue;
          const size_t i = static_cast<size_t>(y) * W + x;
          const float r = clamp01(R[i]), g = clamp01(G[i]), b = clamp01(B[i]);
          const float Y = k.kr * r + k.kg * g + k.kb * b;
          cb += (b - Y) / (2.0f * (1.0f - k.kb));
          cr += (r - Y) / (2.0f * (1.0f - k.kr));
          ++n;
        }
      const uint8_t u = to_u8(128.0f + c_range * cb / n), v = to_u8(128.0f + c_range * cr / n);
      if (f.format == PixelFormat::NV12) {
        uint8_t* uv = f.planes[1].data + static_cast<size_t>(cy) * f.planes[1].stride + cx * 2;
        uv[0] = u;
        uv[1] = v;
      } else {
        f.planes[1].data[static_cast<size_t>(cy) * f.planes[1].stride + cx] = u;
        f.planes[2].data[static_cast<size_t>(cy) * f.planes[2].stride + cx] = v;
      }
    }
  }
}

}  // namespace vsr::cpu

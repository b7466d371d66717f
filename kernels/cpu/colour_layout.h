// Internal to the colour kernels: where each pixel format keeps its samples, how codes map to
// normalised values, and the YCbCr arithmetic every conversion direction shares (VSR_HD: the CUDA
// colour kernels call the same functions).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "host_device.h"
#include "vsr/frame.h"

namespace vsr::cpu {

// A matrix's luma weights, and the factors between colour differences and Cb/Cr, worked out once.
struct YccMatrix {
  float kr, kg, kb;
  float cb_per_b_minus_y, cr_per_r_minus_y;  // 1 / (2 (1 - Kb)), 1 / (2 (1 - Kr))
  float r_per_cr, b_per_cb;                  // 2 (1 - Kr), 2 (1 - Kb)
  float g_per_cb, g_per_cr;                  // 2 Kb (1 - Kb) / Kg, 2 Kr (1 - Kr) / Kg
};
YccMatrix ycc_matrix(ColourMatrix matrix);

// Y in [0,1]; Cb, Cr in [-0.5,0.5] for colours inside the RGB cube.
struct Ycc {
  float y, cb, cr;
};
struct Rgb {
  float r, g, b;
};

VSR_HD inline float luma_of(float r, float g, float b, const YccMatrix& k) { return k.kr * r + k.kg * g + k.kb * b; }

VSR_HD inline Ycc rgb_to_ycc(float r, float g, float b, const YccMatrix& k) {
  const float y = luma_of(r, g, b, k);
  return {y, (b - y) * k.cb_per_b_minus_y, (r - y) * k.cr_per_r_minus_y};
}

VSR_HD inline Rgb ycc_to_rgb(float y, float cb, float cr, const YccMatrix& k) {
  return {y + k.r_per_cr * cr, y - k.g_per_cb * cb - k.g_per_cr * cr, y + k.b_per_cb * cb};
}

// min/max written out (not fminf/fmaxf) so host and device agree on NaN: as std::min/max, NaN -> 0.
VSR_HD inline float clamp_to(float v, float hi) { return hi < (v > 0.0f ? v : 0.0f) ? hi : (v > 0.0f ? v : 0.0f); }
VSR_HD inline float clamp01(float v) { return clamp_to(v, 1.0f); }

// Offsets of R, G, B (and alpha, -1 if none) inside a packed pixel; size 0 for YUV and grey formats.
struct PackedLayout {
  int size, r, g, b, a;
};
PackedLayout packed_layout(PixelFormat format);

// Sample placement of a YUV or grey format. Indices along a row count samples, not bytes.
struct YuvLayout {
  int bits = 8;
  int sample_bytes = 1;        // 2: little-endian 16-bit words
  int msb_shift = 0;           // P010 keeps its 10 bits at the top of the word
  int chroma_subsampling = 2;  // one chroma sample per NxN luma pixels; 0: no chroma (grey)
  int u_plane = 1, v_plane = 2;
  int chroma_step = 1;             // samples between neighbouring chroma samples of one component
  int u_offset = 0, v_offset = 0;  // position of U and V inside an interleaved pair
};
YuvLayout yuv_layout(PixelFormat format);

// Codes of black and white luma and of zero chroma: code = offset + span * value.
struct YuvRange {
  float y_black, y_span;
  float c_zero, c_span;
  int max_code;
};
YuvRange yuv_range(const Frame& frame);

VSR_HD inline const uint8_t* plane_row(const Frame& f, int plane, int y) {
  return f.planes[plane].data + static_cast<ptrdiff_t>(y) * f.planes[plane].stride;
}
VSR_HD inline uint8_t* plane_row_mut(const Frame& f, int plane, int y) {
  return f.planes[plane].data + static_cast<ptrdiff_t>(y) * f.planes[plane].stride;
}

// I420_10LE keeps only the low 10 bits and P010 only the high 10: whatever the unused bits hold
// is ignored on read and written as zero.
VSR_HD inline int read_sample(const uint8_t* row, int index, const YuvLayout& L) {
  if (L.sample_bytes == 1) return row[index];
  const uint8_t* p = row + 2 * index;
  return ((p[0] | (p[1] << 8)) >> L.msb_shift) & ((1 << L.bits) - 1);
}

VSR_HD inline void write_sample(uint8_t* row, int index, int code, const YuvLayout& L) {
  if (L.sample_bytes == 1) {
    row[index] = static_cast<uint8_t>(code);
    return;
  }
  const int word = code << L.msb_shift;
  uint8_t* p = row + 2 * index;
  p[0] = static_cast<uint8_t>(word & 0xff);
  p[1] = static_cast<uint8_t>(word >> 8);
}

VSR_HD inline int to_code(float v, int max_code) {
  return static_cast<int>(lrintf(clamp_to(v, static_cast<float>(max_code))));
}

// The two stored chroma samples around luma position v (centre-sited: at chroma position
// (v + 0.5) / s - 0.5, clamped to the plane) and the weight of the second one.
struct ChromaTap {
  int i0, i1;
  float t;
};
VSR_HD inline ChromaTap chroma_tap(int v, int subsampling, int chroma_size) {
  float pos = (v + 0.5f) / subsampling - 0.5f;
  pos = pos > 0.0f ? pos : 0.0f;
  pos = float(chroma_size - 1) < pos ? float(chroma_size - 1) : pos;
  const int i0 = static_cast<int>(pos);
  return {i0, i0 + 1 < chroma_size - 1 ? i0 + 1 : chroma_size - 1, pos - i0};
}

// How codes relate to values along one row: value = (code - zero) / span.
struct CodeScale {
  float zero, span;
  int max_code;
};
inline CodeScale luma_scale(const YuvRange& q) { return {q.y_black, q.y_span, q.max_code}; }
inline CodeScale chroma_scale(const YuvRange& q) { return {q.c_zero, q.c_span, q.max_code}; }

// n samples of a row, the i-th at sample index first + i * step, as values.
inline void read_samples(const uint8_t* row, int first, int step, int n, const YuvLayout& L, const CodeScale& s,
                         float* values) {
  const float scale = 1.0f / s.span;
  if (L.sample_bytes == 1) {  // the common case, kept free of the 16-bit unpacking
    for (int i = 0; i < n; ++i) values[i] = (row[first + i * step] - s.zero) * scale;
    return;
  }
  for (int i = 0; i < n; ++i) values[i] = (read_sample(row, first + i * step, L) - s.zero) * scale;
}

// The inverse of read_samples: codes rounded and clamped to the format's range.
inline void write_samples(uint8_t* row, int first, int step, int n, const YuvLayout& L, const CodeScale& s,
                          const float* values) {
  if (L.sample_bytes == 1) {
    for (int i = 0; i < n; ++i) row[first + i * step] = static_cast<uint8_t>(to_code(s.zero + s.span * values[i], 255));
    return;
  }
  for (int i = 0; i < n; ++i) write_sample(row, first + i * step, to_code(s.zero + s.span * values[i], s.max_code), L);
}

// Throws vsr::Error for a frame in GPU memory: the CPU kernels cannot read it.
void check_host_frame(const Frame& frame);

// Throws vsr::Error for an empty size, a missing plane or a stride shorter than the plane's row.
void check_frame(const Frame& frame);

// Alpha for packed output: nearest-neighbour lookup in a source frame of any size, or opaque when
// the source is absent or has no alpha.
class AlphaSource {
 public:
  AlphaSource(const Frame* source, int out_width, int out_height)
      : source_(source),
        layout_(source ? packed_layout(source->format) : PackedLayout{0, 0, 0, 0, -1}),
        out_width_(out_width),
        out_height_(out_height) {}
  uint8_t at(int x, int y) const {
    if (layout_.a < 0) return 255;
    const int sx = static_cast<int>(int64_t(x) * source_->width / out_width_);
    const int sy = static_cast<int>(int64_t(y) * source_->height / out_height_);
    return plane_row(*source_, 0, sy)[sx * layout_.size + layout_.a];
  }

 private:
  const Frame* source_;
  PackedLayout layout_;
  int out_width_, out_height_;
};

// Stores one packed pixel from [0,1] RGB (clamped and rounded); the 4th byte of RGBx/BGRx gets 255.
VSR_HD inline void write_packed_pixel(uint8_t* p, const PackedLayout& L, float r, float g, float b, uint8_t alpha) {
  p[L.r] = static_cast<uint8_t>(to_code(r * 255.0f, 255));
  p[L.g] = static_cast<uint8_t>(to_code(g * 255.0f, 255));
  p[L.b] = static_cast<uint8_t>(to_code(b * 255.0f, 255));
  if (L.size == 4) p[L.a >= 0 ? L.a : 3] = alpha;
}

}  // namespace vsr::cpu

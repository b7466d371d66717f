// Frames that own their planes, for the colour tests. The plane geometry and sample placement here
// are written out from the formats' definitions (GStreamer's), independently of the kernels' tables,
// so the tests check those tables instead of trusting them.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/cpu/colour.h"

namespace vsr::cpu::colour_test {

inline constexpr uint8_t kPadByte = 0xAB;  // fills stride padding; conversions must never write it

struct TestLayout {
  int planes = 1;
  int packed_size = 0;  // bytes per pixel of packed RGB, 0 otherwise
  int sample_bytes = 1;
  int shift = 0;       // bit position of the code inside a 16-bit word
  int chroma_div = 0;  // luma pixels per chroma sample each way; 0 for no chroma
  int u_plane = 1, v_plane = 2, chroma_step = 1, u_offset = 0, v_offset = 0;
};

inline TestLayout test_layout(PixelFormat f) {
  switch (f) {
    case PixelFormat::RGB:
    case PixelFormat::BGR: return {1, 3};
    case PixelFormat::RGBA:
    case PixelFormat::BGRA:
    case PixelFormat::RGBx:
    case PixelFormat::BGRx: return {1, 4};
    case PixelFormat::GRAY8: return {1, 0, 1, 0, 0};
    case PixelFormat::I420: return {3, 0, 1, 0, 2, 1, 2, 1, 0, 0};
    case PixelFormat::YV12: return {3, 0, 1, 0, 2, 2, 1, 1, 0, 0};
    case PixelFormat::Y444: return {3, 0, 1, 0, 1, 1, 2, 1, 0, 0};
    case PixelFormat::NV12: return {2, 0, 1, 0, 2, 1, 1, 2, 0, 1};
    case PixelFormat::I420_10LE: return {3, 0, 2, 0, 2, 1, 2, 1, 0, 0};
    case PixelFormat::P010_10LE: return {2, 0, 2, 6, 2, 1, 1, 2, 0, 1};
  }
  return {};
}

inline int test_max_code(PixelFormat f) {
  return f == PixelFormat::I420_10LE || f == PixelFormat::P010_10LE ? 1023 : 255;
}

// A frame that owns its planes, all bytes preset to `fill`; every row is followed by `pad` bytes.
struct OwnedFrame {
  Frame frame;
  TestLayout layout;
  std::vector<uint8_t> planes[3];

  OwnedFrame(PixelFormat format, int w, int h, int pad = 0, ColourMatrix m = ColourMatrix::Bt709, bool full = false,
             uint8_t fill = kPadByte)
      : layout(test_layout(format)), fill_(fill) {
    frame.format = format;
    frame.width = w;
    frame.height = h;
    frame.matrix = m;
    frame.full_range = full;
    const TestLayout& L = layout;
    const int d = std::max(1, L.chroma_div), cw = (w + d - 1) / d, ch = (h + d - 1) / d;
    for (int p = 0; p < L.planes; ++p) {
      row_bytes_[p] = p == 0 ? w * (L.packed_size ? L.packed_size : L.sample_bytes)
                             : cw * (L.u_plane == L.v_plane ? 2 : 1) * L.sample_bytes;
      rows_[p] = p == 0 ? h : ch;
      planes[p].assign(static_cast<size_t>(row_bytes_[p] + pad) * rows_[p], fill);
      frame.planes[p] = {planes[p].data(), row_bytes_[p] + pad};
    }
  }
  int width() const { return frame.width; }
  int height() const { return frame.height; }
  int chroma_width() const { return layout.chroma_div ? (frame.width + layout.chroma_div - 1) / layout.chroma_div : 0; }
  int chroma_height() const {
    return layout.chroma_div ? (frame.height + layout.chroma_div - 1) / layout.chroma_div : 0;
  }
  int row_bytes(int plane) const { return row_bytes_[plane]; }
  int rows(int plane) const { return rows_[plane]; }

  uint8_t& at(int plane, int x_byte, int y) {
    return planes[plane][static_cast<size_t>(y) * frame.planes[plane].stride + x_byte];
  }
  uint8_t at(int plane, int x_byte, int y) const {
    return planes[plane][static_cast<size_t>(y) * frame.planes[plane].stride + x_byte];
  }
  // The stored sample (a byte, or a little-endian 16-bit word) at sample index i of a row.
  int word(int plane, int i, int y) const {
    if (layout.sample_bytes == 1) return at(plane, i, y);
    return at(plane, 2 * i, y) | (at(plane, 2 * i + 1, y) << 8);
  }
  void set_word(int plane, int i, int y, int word) {
    if (layout.sample_bytes == 1) {
      at(plane, i, y) = uint8_t(word);
      return;
    }
    at(plane, 2 * i, y) = uint8_t(word & 0xff);
    at(plane, 2 * i + 1, y) = uint8_t(word >> 8);
  }
  // Y, U, V codes (10-bit values for the 10-bit formats) by pixel / chroma sample position.
  int y_code(int x, int y) const { return word(0, x, y) >> layout.shift; }
  int u_code(int cx, int cy) const {
    return word(layout.u_plane, cx * layout.chroma_step + layout.u_offset, cy) >> layout.shift;
  }
  int v_code(int cx, int cy) const {
    return word(layout.v_plane, cx * layout.chroma_step + layout.v_offset, cy) >> layout.shift;
  }
  void set_y(int x, int y, int code) { set_word(0, x, y, code << layout.shift); }
  void set_uv(int cx, int cy, int u, int v) {
    set_word(layout.u_plane, cx * layout.chroma_step + layout.u_offset, cy, u << layout.shift);
    set_word(layout.v_plane, cx * layout.chroma_step + layout.v_offset, cy, v << layout.shift);
  }
  // Fills the whole frame with one Y, U, V (chroma ignored for grey).
  void fill_yuv(int Y, int U, int V) {
    for (int y = 0; y < frame.height; ++y)
      for (int x = 0; x < frame.width; ++x) set_y(x, y, Y);
    if (layout.chroma_div == 0) return;
    for (int y = 0; y < chroma_height(); ++y)
      for (int x = 0; x < chroma_width(); ++x) set_uv(x, y, U, V);
  }

  // True when every byte past the row's end in every plane still holds the fill byte.
  bool padding_untouched() const {
    for (int p = 0; p < layout.planes; ++p)
      for (size_t i = 0; i < planes[p].size(); ++i)
        if (int(i % frame.planes[p].stride) >= row_bytes_[p] && planes[p][i] != fill_) return false;
    return true;
  }
  std::vector<float> to_rgb() const {
    std::vector<float> rgb(3 * static_cast<size_t>(frame.width) * frame.height);
    frame_to_planar_rgb(frame, rgb.data());
    return rgb;
  }
  std::vector<float> to_luma() const {
    std::vector<float> luma(static_cast<size_t>(frame.width) * frame.height);
    frame_to_planar_luma(frame, luma.data());
    return luma;
  }

 private:
  uint8_t fill_;
  int row_bytes_[3] = {0, 0, 0};
  int rows_[3] = {0, 0, 0};
};

inline const PixelFormat kAllFormats[] = {
    PixelFormat::RGB,   PixelFormat::BGR,       PixelFormat::RGBA,     PixelFormat::BGRA, PixelFormat::RGBx,
    PixelFormat::BGRx,  PixelFormat::I420,      PixelFormat::NV12,     PixelFormat::YV12, PixelFormat::Y444,
    PixelFormat::GRAY8, PixelFormat::I420_10LE, PixelFormat::P010_10LE};
inline const PixelFormat kYuvFormats[] = {PixelFormat::I420, PixelFormat::NV12,      PixelFormat::YV12,
                                          PixelFormat::Y444, PixelFormat::I420_10LE, PixelFormat::P010_10LE};
inline const PixelFormat kTenBitFormats[] = {PixelFormat::I420_10LE, PixelFormat::P010_10LE};

inline bool is_packed(PixelFormat f) { return test_layout(f).packed_size > 0; }
inline bool has_chroma(PixelFormat f) { return test_layout(f).chroma_div > 0; }

// Planar float RGB of one colour everywhere.
inline std::vector<float> flat_rgb(int W, int H, float r, float g, float b) {
  std::vector<float> rgb(3 * static_cast<size_t>(W) * H);
  const size_t plane = static_cast<size_t>(W) * H;
  std::fill(rgb.begin(), rgb.begin() + plane, r);
  std::fill(rgb.begin() + plane, rgb.begin() + 2 * plane, g);
  std::fill(rgb.begin() + 2 * plane, rgb.end(), b);
  return rgb;
}

// A smooth colourful image: every channel changes by at most ~2 levels per pixel. 4:2:0 stores
// chroma for 2x2 blocks, so at the image border (where interpolation clamps) chroma is off by half a
// pixel's gradient; steeper images fail any tight bound there without the kernel being wrong.
inline std::vector<float> smooth_image(int W, int H) {
  std::vector<float> rgb(3 * static_cast<size_t>(W) * H);
  const size_t plane = static_cast<size_t>(W) * H;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const size_t i = static_cast<size_t>(y) * W + x;
      rgb[i] = 0.2f + 0.006f * x;
      rgb[plane + i] = 0.45f + 0.1f * std::sin(0.05f * (x + y));
      rgb[2 * plane + i] = 0.75f - 0.008f * y;
    }
  return rgb;
}

}  // namespace vsr::cpu::colour_test

#include "colour_layout.h"

#include "vsr/error.h"

namespace vsr {

int plane_count(PixelFormat f) {
  switch (f) {
    case PixelFormat::I420:
    case PixelFormat::YV12:
    case PixelFormat::Y444:
    case PixelFormat::I420_10LE: return 3;
    case PixelFormat::NV12:
    case PixelFormat::P010_10LE: return 2;
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
    case PixelFormat::YV12: return "YV12";
    case PixelFormat::Y444: return "Y444";
    case PixelFormat::GRAY8: return "GRAY8";
    case PixelFormat::I420_10LE: return "I420_10LE";
    case PixelFormat::P010_10LE: return "P010_10LE";
  }
  return "?";
}

PlaneExtent plane_extent(PixelFormat f, int width, int height, int plane) {
  if (plane < 0 || plane >= plane_count(f) || width <= 0 || height <= 0) return {};
  const cpu::PackedLayout packed = cpu::packed_layout(f);
  if (packed.size > 0) return {width * packed.size, height};
  const cpu::YuvLayout L = cpu::yuv_layout(f);
  if (plane == 0) return {width * L.sample_bytes, height};
  const int s = L.chroma_subsampling;
  return {(width + s - 1) / s * L.chroma_step * L.sample_bytes, (height + s - 1) / s};
}

}  // namespace vsr

namespace vsr::cpu {

YccMatrix ycc_matrix(ColourMatrix m) {
  float kr = 0.2126f, kb = 0.0722f;  // BT.709
  if (m == ColourMatrix::Bt601) kr = 0.299f, kb = 0.114f;
  if (m == ColourMatrix::Bt2020) kr = 0.2627f, kb = 0.0593f;
  const float kg = 1.0f - kr - kb;
  return {kr,
          kg,
          kb,
          1.0f / (2.0f * (1.0f - kb)),
          1.0f / (2.0f * (1.0f - kr)),
          2.0f * (1.0f - kr),
          2.0f * (1.0f - kb),
          2.0f * kb * (1.0f - kb) / kg,
          2.0f * kr * (1.0f - kr) / kg};
}

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

YuvLayout yuv_layout(PixelFormat f) {
  YuvLayout L;  // I420
  switch (f) {
    case PixelFormat::YV12:
      L.u_plane = 2;
      L.v_plane = 1;
      break;
    case PixelFormat::NV12:
      L.u_plane = L.v_plane = 1;
      L.chroma_step = 2;
      L.v_offset = 1;
      break;
    case PixelFormat::Y444: L.chroma_subsampling = 1; break;
    case PixelFormat::GRAY8: L.chroma_subsampling = 0; break;
    case PixelFormat::I420_10LE:
      L.bits = 10;
      L.sample_bytes = 2;
      break;
    case PixelFormat::P010_10LE:
      L = yuv_layout(PixelFormat::NV12);
      L.bits = 10;
      L.sample_bytes = 2;
      L.msb_shift = 6;
      break;
    default: break;
  }
  return L;
}

YuvRange yuv_range(const Frame& f) {
  const YuvLayout L = yuv_layout(f.format);
  const int max_code = (1 << L.bits) - 1;
  // GStreamer's GRAY8 is full-range grey whatever the caps' colorimetry says.
  if (f.full_range || f.format == PixelFormat::GRAY8)
    return {0.0f, float(max_code), float(1 << (L.bits - 1)), float(max_code), max_code};
  // Limited-range codes keep their 8-bit values shifted up: 16/235 become 64/940 at 10 bits.
  const float unit = float(1 << (L.bits - 8));
  return {16.0f * unit, 219.0f * unit, 128.0f * unit, 224.0f * unit, max_code};
}

void check_host_frame(const Frame& f) {
  if (f.on_device)
    throw Error(to_string(f.format) + " frame " + std::to_string(f.width) + "x" + std::to_string(f.height) +
                " is in GPU memory; the CPU colour conversion cannot read it");
}

void check_frame(const Frame& f) {
  if (f.width <= 0 || f.height <= 0) throw Error(to_string(f.format) + " frame has an empty size");
  for (int p = 0; p < plane_count(f.format); ++p) {
    if (!f.planes[p].data || f.planes[p].stride <= 0)
      throw Error(to_string(f.format) + " frame is missing plane " + std::to_string(p));
    const int row_bytes = plane_extent(f.format, f.width, f.height, p).row_bytes;
    if (f.planes[p].stride < row_bytes)
      throw Error(to_string(f.format) + " frame " + std::to_string(f.width) + "x" + std::to_string(f.height) +
                  ": plane " + std::to_string(p) + " stride " + std::to_string(f.planes[p].stride) +
                  " is shorter than its " + std::to_string(row_bytes) + "-byte rows");
  }
}

}  // namespace vsr::cpu

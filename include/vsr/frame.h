// Frames as the engine sees them: a pixel format, a size and up to three planes with byte strides.
// The caller owns the memory; the engine reads and writes the planes in place.
#pragma once
#include <cstdint>
#include <string>

namespace vsr {

enum class PixelFormat {
  RGB,   // packed 8-bit R,G,B
  BGR,
  RGBA,  // packed 8-bit with alpha (the network sees RGB; alpha is upscaled by nearest neighbour)
  BGRA,
  RGBx,  // packed 8-bit, 4th byte unused
  BGRx,
  I420,  // planar Y, U, V; chroma halved both ways
  NV12,  // planar Y, interleaved UV; chroma halved both ways
};

// Which matrix turns YUV into RGB, and whether YUV uses the limited (16-235) or full range.
enum class ColourMatrix { Bt601, Bt709, Bt2020 };

struct FramePlane {
  uint8_t* data = nullptr;
  int stride = 0;  // bytes from one row to the next
};

struct Frame {
  PixelFormat format = PixelFormat::RGB;
  int width = 0;
  int height = 0;
  FramePlane planes[3];
  ColourMatrix matrix = ColourMatrix::Bt709;
  bool full_range = false;
};

// Number of planes the format uses (1 for packed RGB, 2 for NV12, 3 for I420).
int plane_count(PixelFormat format);
// Canonical name ("RGB", "NV12", ...), as GStreamer spells it.
std::string to_string(PixelFormat format);

}  // namespace vsr

// Frames as the engine sees them: a pixel format, a size and up to three planes with byte strides.
// The caller owns the memory; the engine reads and writes the planes in place.
#pragma once
#include <cstdint>
#include <string>

namespace vsr {

// Planes are listed in memory order, as GStreamer lists them. 16-bit samples are little-endian
// words; 4:2:0 chroma covers 2x2 luma pixels (rounded up for odd sizes) and is centre-sited.
enum class PixelFormat {
  RGB,   // packed 8-bit R,G,B
  BGR,
  RGBA,  // packed 8-bit with alpha (the network sees RGB; alpha is upscaled by nearest neighbour)
  BGRA,
  RGBx,  // packed 8-bit, 4th byte unused
  BGRx,
  I420,  // planar Y, U, V; chroma halved both ways
  NV12,  // planar Y, interleaved UV; chroma halved both ways
  YV12,  // I420 with the chroma planes the other way round: Y, V, U
  Y444,  // planar Y, U, V, all at full resolution
  GRAY8,  // luma only, always full range (0 black, 255 white) whatever `full_range` says, as in GStreamer
  I420_10LE,  // I420 with 16-bit samples holding 10 bits in the low bits
  P010_10LE,  // NV12 with 16-bit samples holding 10 bits in the high bits (the low 6 bits are zero)
};

// Which matrix turns YUV into RGB, and whether YUV uses the limited range (8-bit: luma 16-235,
// chroma 16-240; 10-bit: 64-940, 64-960) or the full range (0-255; 0-1023).
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
  // The planes are GPU memory (CUDA, in the CUDA context current on the calling thread), as a
  // GStreamer CUDAMemory buffer maps. Only an engine on the CUDA backend takes such frames, with no
  // copy through the host.
  bool on_device = false;
};

// Number of planes the format uses (1 for packed RGB and GRAY8, 2 for NV12/P010, 3 for I420/YV12/Y444).
int plane_count(PixelFormat format);
// Canonical name ("RGB", "NV12", "P010_10LE", ...), as GStreamer spells it.
std::string to_string(PixelFormat format);

// The bytes one row of a plane holds (without stride padding) and how many rows it has.
struct PlaneExtent {
  int row_bytes = 0;
  int rows = 0;
};
// Extent of plane `plane` of a width x height frame; zero for a plane the format does not use.
PlaneExtent plane_extent(PixelFormat format, int width, int height, int plane);

}  // namespace vsr

// Wraps an 8-bit RGB image as an engine Frame (no copy).
#pragma once
#include "image.h"
#include "vsr/frame.h"

namespace vsr {

inline Frame frame_of(Image8& image) {
  Frame f;
  f.format = PixelFormat::RGB;
  f.width = image.width;
  f.height = image.height;
  f.planes[0] = {image.pixels.data(), image.width * 3};
  return f;
}

inline Image8 blank_rgb(int width, int height) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = 3;
  image.pixels.resize(static_cast<size_t>(width) * height * 3);
  return image;
}

}  // namespace vsr

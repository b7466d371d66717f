// Reads a JPEG file as 8-bit RGB, optionally reduced by libjpeg's DCT scaling (1/1, 1/2, 1/4, 1/8):
// the synthetic-motion stills are large photos, and decoding them smaller is fast and sharp.
#pragma once
#include <string>

#include "eval/image.h"

namespace vsr::train {

// Throws vsr::Error naming the file when it cannot be read.
Image8 read_jpeg_rgb(const std::string& path, int scale_denominator = 1);

}  // namespace vsr::train

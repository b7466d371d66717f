#include "float_image.h"

#include <algorithm>
#include <cmath>

namespace vsr::degrade {

FloatImage to_float(const Image8& img) {
  FloatImage f = FloatImage::zeros(img.channels, img.height, img.width);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      for (int c = 0; c < img.channels; ++c) f.at(c, y, x) = img.row(y)[x * img.channels + c] * (1.0f / 255.0f);
  return f;
}

Image8 to_image8(const FloatImage& f) {
  Image8 img{f.width, f.height, f.channels, std::vector<uint8_t>(f.v.size())};
  for (int y = 0; y < f.height; ++y)
    for (int x = 0; x < f.width; ++x)
      for (int c = 0; c < f.channels; ++c)
        img.row(y)[x * f.channels + c] =
            static_cast<uint8_t>(std::lround(std::clamp(f.at(c, y, x), 0.0f, 1.0f) * 255.0f));
  return img;
}

}  // namespace vsr::degrade

// JPEG re-compression as a degradation: the image encoded at `quality` (1-100, libjpeg's scale) and
// decoded again, in memory. Deterministic: the same image and quality give the same result.
#pragma once
#include "float_image.h"

namespace vsr::degrade {

FloatImage jpeg(const FloatImage& image, int quality);

}  // namespace vsr::degrade

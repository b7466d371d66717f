// Video-codec compression as a degradation (what web video and broadcast do to archive footage):
// the image is encoded with libx264 through libavcodec as the second frame of a two-frame clip whose
// first frame is the same picture shifted by a few pixels, so it comes back as an inter-predicted
// P-frame with H.264's blocking, ringing and motion-compensation artefacts, at constant rate factor
// `crf` (0-51) and x264 `preset`. Deterministic (one encoder thread): the same input gives the same
// output.
#pragma once
#include <string>

#include "float_image.h"

namespace vsr::degrade {

// shift_x, shift_y: the motion between the two frames, in pixels.
FloatImage h264(const FloatImage& image, int crf, const std::string& preset, int shift_x, int shift_y);

}  // namespace vsr::degrade

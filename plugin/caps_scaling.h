// Caps algebra for an element that multiplies the frame size by an integer scale: pure functions,
// no element state (the nvcodec convention for transform_caps).
#pragma once
#include <gst/gst.h>

namespace vsr::gst {

// SINK -> SRC multiplies width/height by `scale`; SRC -> SINK divides (sizes not divisible by the
// scale are dropped). Every other field (format, framerate, PAR, colorimetry) is kept as is.
GstCaps* scale_caps(GstCaps* caps, int scale, GstPadDirection direction);

}  // namespace vsr::gst

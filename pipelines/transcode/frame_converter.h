// Same-size pixel-format conversion with libswscale, for the frames whose format has no twin in the
// engine (decoded yuv422p, gbrp, rgb48 ...) and for the encoder's format when it differs from the
// engine's. The colour matrix and range are told to swscale explicitly: its defaults (BT.601,
// limited) are wrong for HD and full-range sources.
#pragma once
extern "C" {
#include <libavutil/frame.h>
}

#include "av_check.h"
#include "pixel_formats.h"

struct SwsContext;

namespace vsr::transcode {

class FrameConverter {
 public:
  FrameConverter() = default;
  ~FrameConverter();
  FrameConverter(const FrameConverter&) = delete;
  FrameConverter& operator=(const FrameConverter&) = delete;

  // A new frame of `format` holding `source`'s picture (same size, timestamps and tags copied).
  FramePtr convert(const AVFrame& source, AVPixelFormat format, const ColourTags& colour);

 private:
  SwsContext* context_ = nullptr;
};

}  // namespace vsr::transcode

#include "frame_converter.h"

extern "C" {
#include <libswscale/swscale.h>
}

#include "vsr/error.h"

namespace vsr::transcode {

FrameConverter::~FrameConverter() { sws_freeContext(context_); }

FramePtr FrameConverter::convert(const AVFrame& source, AVPixelFormat format, const ColourTags& colour) {
  const auto source_format = static_cast<AVPixelFormat>(source.format);
  // Bit-exact and accurate rounding: the same input gives the same bytes on every machine, which
  // the segment-resume guarantee relies on.
  context_ = sws_getCachedContext(context_, source.width, source.height, source_format, source.width,
                                  source.height, format, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT,
                                  nullptr, nullptr, nullptr);
  if (!context_)
    throw Error("cannot convert " + format_name(source_format) + " to " + format_name(format) + " at " +
                std::to_string(source.width) + "x" + std::to_string(source.height));
  const int* coefficients = sws_getCoefficients(colour.matrix);
  const int full = colour.range == AVCOL_RANGE_JPEG ? 1 : 0;
  // Same matrix and range on both sides: YUV<->YUV keeps the samples' meaning, RGB<->YUV uses the
  // stream's matrix. (Fails harmlessly for formats where the details do not apply.)
  sws_setColorspaceDetails(context_, coefficients, full, coefficients, full, 0, 1 << 16, 1 << 16);

  FramePtr out = make_frame();
  out->format = format;
  out->width = source.width;
  out->height = source.height;
  av_check(av_frame_get_buffer(out.get(), 0), "allocating a " + format_name(format) + " frame");
  av_check(av_frame_copy_props(out.get(), &source), "copying frame properties");
  sws_scale(context_, source.data, source.linesize, 0, source.height, out->data, out->linesize);
  return out;
}

}  // namespace vsr::transcode

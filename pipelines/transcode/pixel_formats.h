// Which of FFmpeg's pixel formats the engine reads and writes in place, which one a frame is converted
// to when it has no twin there, and how FFmpeg's colour tags map onto the engine's matrix and range.
#pragma once
extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include <optional>
#include <string>

#include "vsr/frame.h"

namespace vsr::transcode {

// The engine's twin of an FFmpeg format (yuv420p -> I420, p010le -> P010_10LE ...), none if it has
// no twin. The JPEG formats (yuvj420p ...) are their YUV twin at full range.
std::optional<PixelFormat> engine_twin(AVPixelFormat format);
// True for yuvj420p, yuvj444p ...: full range whatever the frame's range tag says.
bool implies_full_range(AVPixelFormat format);

// The format the engine works in for frames of `source`: source itself where it has a twin, else the
// nearest that keeps the bit depth (10..16-bit -> yuv420p10le), the chroma (8-bit 4:2:2/4:4:4 ->
// yuv444p) or the alpha (-> rgba), so that 10-bit sources stay 10-bit.
AVPixelFormat working_format(AVPixelFormat source);

struct ColourTags {
  AVColorSpace matrix = AVCOL_SPC_UNSPECIFIED;
  AVColorRange range = AVCOL_RANGE_UNSPECIFIED;
  AVColorPrimaries primaries = AVCOL_PRI_UNSPECIFIED;
  AVColorTransferCharacteristic transfer = AVCOL_TRC_UNSPECIFIED;
};

// What the conversion assumes for a stream's tags: an unspecified matrix is BT.601 below 720 rows and
// BT.709 from 720 up (what players assume), an unspecified range is limited (full for JPEG formats),
// unspecified primaries and transfer follow the matrix. The output is tagged with these, so that a
// player does not guess BT.709 for an upscaled SD source that was BT.601.
ColourTags resolve_colour(ColourTags tags, AVPixelFormat format, int height);
ColourMatrix engine_matrix(AVColorSpace matrix);

// The engine's view of a frame's planes (no copy): `format` must have a twin.
Frame wrap_frame(const AVFrame& frame, const ColourTags& colour);

std::string format_name(AVPixelFormat format);

}  // namespace vsr::transcode

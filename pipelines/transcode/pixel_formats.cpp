#include "pixel_formats.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "vsr/error.h"

namespace vsr::transcode {

std::optional<PixelFormat> engine_twin(AVPixelFormat format) {
  switch (format) {
    case AV_PIX_FMT_RGB24: return PixelFormat::RGB;
    case AV_PIX_FMT_BGR24: return PixelFormat::BGR;
    case AV_PIX_FMT_RGBA: return PixelFormat::RGBA;
    case AV_PIX_FMT_BGRA: return PixelFormat::BGRA;
    case AV_PIX_FMT_RGB0: return PixelFormat::RGBx;
    case AV_PIX_FMT_BGR0: return PixelFormat::BGRx;
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P: return PixelFormat::I420;
    case AV_PIX_FMT_NV12: return PixelFormat::NV12;
    case AV_PIX_FMT_YUV444P:
    case AV_PIX_FMT_YUVJ444P: return PixelFormat::Y444;
    case AV_PIX_FMT_GRAY8: return PixelFormat::GRAY8;
    case AV_PIX_FMT_YUV420P10LE: return PixelFormat::I420_10LE;
    case AV_PIX_FMT_P010LE: return PixelFormat::P010_10LE;
    default: return std::nullopt;
  }
}

bool implies_full_range(AVPixelFormat format) {
  return format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P ||
         format == AV_PIX_FMT_YUVJ440P || format == AV_PIX_FMT_YUVJ411P;
}

AVPixelFormat working_format(AVPixelFormat source) {
  if (engine_twin(source)) return source;
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(source);
  if (!d) throw Error("unknown pixel format " + std::to_string(static_cast<int>(source)));
  if (d->comp[0].depth > 8) return AV_PIX_FMT_YUV420P10LE;
  const bool rgb = (d->flags & AV_PIX_FMT_FLAG_RGB) || (d->flags & AV_PIX_FMT_FLAG_PAL);
  if (d->flags & AV_PIX_FMT_FLAG_ALPHA) return rgb ? AV_PIX_FMT_RGBA : AV_PIX_FMT_YUV444P;
  if (rgb) return AV_PIX_FMT_RGB24;
  if (d->nb_components == 1) return AV_PIX_FMT_GRAY8;
  return implies_full_range(source) ? AV_PIX_FMT_YUVJ444P : AV_PIX_FMT_YUV444P;
}

ColourTags resolve_colour(ColourTags tags, AVPixelFormat format, int height) {
  if (tags.matrix == AVCOL_SPC_UNSPECIFIED || tags.matrix == AVCOL_SPC_RESERVED)
    tags.matrix = height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
  if (implies_full_range(format)) tags.range = AVCOL_RANGE_JPEG;
  if (tags.range == AVCOL_RANGE_UNSPECIFIED) tags.range = AVCOL_RANGE_MPEG;
  const bool hd = tags.matrix == AVCOL_SPC_BT709;
  const bool uhd = tags.matrix == AVCOL_SPC_BT2020_NCL || tags.matrix == AVCOL_SPC_BT2020_CL;
  if (tags.primaries == AVCOL_PRI_UNSPECIFIED)
    tags.primaries = uhd ? AVCOL_PRI_BT2020 : hd ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M;
  if (tags.transfer == AVCOL_TRC_UNSPECIFIED)
    tags.transfer = uhd ? AVCOL_TRC_BT2020_10 : hd ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M;
  return tags;
}

ColourMatrix engine_matrix(AVColorSpace matrix) {
  switch (matrix) {
    case AVCOL_SPC_BT709: return ColourMatrix::Bt709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return ColourMatrix::Bt2020;
    default: return ColourMatrix::Bt601;  // BT.470BG, SMPTE 170M/240M, FCC: the BT.601 coefficients
  }
}

Frame wrap_frame(const AVFrame& frame, const ColourTags& colour) {
  const auto format = static_cast<AVPixelFormat>(frame.format);
  const auto twin = engine_twin(format);
  if (!twin) throw Error("pixel format " + format_name(format) + " has no engine twin (convert it first)");
  Frame f;
  f.format = *twin;
  f.width = frame.width;
  f.height = frame.height;
  for (int p = 0; p < plane_count(*twin); ++p) f.planes[p] = {frame.data[p], frame.linesize[p]};
  f.matrix = engine_matrix(colour.matrix);
  f.full_range = colour.range == AVCOL_RANGE_JPEG || implies_full_range(format);
  return f;
}

std::string format_name(AVPixelFormat format) {
  const char* name = av_get_pix_fmt_name(format);
  return name ? name : "unknown";
}

}  // namespace vsr::transcode

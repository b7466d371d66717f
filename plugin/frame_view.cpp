#include "frame_view.h"

#include "cuda_memory.h"

vsr::Frame frame_view(GstVideoFrame* f) {
  vsr::Frame out;
  switch (GST_VIDEO_FRAME_FORMAT(f)) {
    case GST_VIDEO_FORMAT_RGB: out.format = vsr::PixelFormat::RGB; break;
    case GST_VIDEO_FORMAT_BGR: out.format = vsr::PixelFormat::BGR; break;
    case GST_VIDEO_FORMAT_RGBA: out.format = vsr::PixelFormat::RGBA; break;
    case GST_VIDEO_FORMAT_BGRA: out.format = vsr::PixelFormat::BGRA; break;
    case GST_VIDEO_FORMAT_RGBx: out.format = vsr::PixelFormat::RGBx; break;
    case GST_VIDEO_FORMAT_BGRx: out.format = vsr::PixelFormat::BGRx; break;
    case GST_VIDEO_FORMAT_I420: out.format = vsr::PixelFormat::I420; break;
    case GST_VIDEO_FORMAT_YV12: out.format = vsr::PixelFormat::YV12; break;
    case GST_VIDEO_FORMAT_NV12: out.format = vsr::PixelFormat::NV12; break;
    case GST_VIDEO_FORMAT_Y444: out.format = vsr::PixelFormat::Y444; break;
    case GST_VIDEO_FORMAT_GRAY8: out.format = vsr::PixelFormat::GRAY8; break;
    case GST_VIDEO_FORMAT_I420_10LE: out.format = vsr::PixelFormat::I420_10LE; break;
    case GST_VIDEO_FORMAT_P010_10LE: out.format = vsr::PixelFormat::P010_10LE; break;
    default: break;  // the pad templates allow nothing else
  }
  out.width = GST_VIDEO_FRAME_WIDTH(f);
  out.height = GST_VIDEO_FRAME_HEIGHT(f);
  for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(f) && p < 3; ++p)
    out.planes[p] = {static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(f, p)), GST_VIDEO_FRAME_PLANE_STRIDE(f, p)};
  const GstVideoColorimetry& c = GST_VIDEO_INFO_COLORIMETRY(&f->info);
  out.matrix = c.matrix == GST_VIDEO_COLOR_MATRIX_BT601   ? vsr::ColourMatrix::Bt601
               : c.matrix == GST_VIDEO_COLOR_MATRIX_BT2020 ? vsr::ColourMatrix::Bt2020
                                                           : vsr::ColourMatrix::Bt709;
  out.full_range = c.range == GST_VIDEO_COLOR_RANGE_0_255;
  out.on_device = (f->map[0].flags & vsr_cuda_map_flag()) != 0;  // mapped with GST_MAP_CUDA
  return out;
}


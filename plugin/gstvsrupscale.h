// vsrupscale: super-resolution upscaling of raw video with a vsr model.
#pragma once
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_VSR_UPSCALE (gst_vsr_upscale_get_type())
G_DECLARE_FINAL_TYPE(GstVsrUpscale, gst_vsr_upscale, GST, VSR_UPSCALE, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE(vsrupscale);

G_END_DECLS

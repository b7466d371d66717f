// vsrinterpolate: frame-rate up-conversion of raw video with a vsr interpolation model.
#pragma once
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_VSR_INTERPOLATE (gst_vsr_interpolate_get_type())
G_DECLARE_FINAL_TYPE(GstVsrInterpolate, gst_vsr_interpolate, GST, VSR_INTERPOLATE, GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE(vsrinterpolate);

G_END_DECLS

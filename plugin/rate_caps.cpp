#include "rate_caps.h"

namespace vsr::gst {

bool interpolated_rate(gint property_n, gint property_d, gint in_n, gint in_d, gint* out_n, gint* out_d) {
  if (property_n > 0) {
    *out_n = property_n;
    *out_d = property_d;
    return true;
  }
  // Twice a rate near G_MAXINT does not fit a fraction: unknown, not the 0/1 the failed multiply
  // would leave (which set_caps reads as "variable input rate").
  return in_n > 0 && gst_util_fraction_multiply(in_n, in_d, 2, 1, out_n, out_d);
}

GstCaps* rate_caps(GstCaps* caps, GstPadDirection direction, gint property_n, gint property_d) {
  GstCaps* out = gst_caps_copy(caps);
  for (guint i = 0; i < gst_caps_get_size(out); ++i) {
    GstStructure* s = gst_caps_get_structure(out, i);
    gint n = 0, d = 1, out_n = 0, out_d = 1;
    const bool fixed = gst_structure_get_fraction(s, "framerate", &n, &d);
    const bool known =
        direction == GST_PAD_SINK && interpolated_rate(property_n, property_d, fixed ? n : 0, d, &out_n, &out_d);
    if (known)
      gst_structure_set(s, "framerate", GST_TYPE_FRACTION, out_n, out_d, nullptr);
    else
      gst_structure_set(s, "framerate", GST_TYPE_FRACTION_RANGE, 0, 1, G_MAXINT, 1, nullptr);
  }
  return out;
}

}  // namespace vsr::gst

#include "caps_scaling.h"

#include <algorithm>
#include <climits>

namespace vsr::gst {
namespace {

// Scales one width/height field in place. Returns false if no valid value remains.
bool scale_field(GstStructure* s, const char* field, int scale, bool up) {
  const GValue* v = gst_structure_get_value(s, field);
  if (!v) return true;
  if (G_VALUE_HOLDS_INT(v)) {
    const int x = g_value_get_int(v);
    if (x < 0) return false;  // no frame has a negative size (and x * scale could overflow)
    if (up) {
      if (x > INT_MAX / scale) return false;
      gst_structure_set(s, field, G_TYPE_INT, x * scale, nullptr);
    } else {
      if (x % scale != 0) return false;
      gst_structure_set(s, field, G_TYPE_INT, x / scale, nullptr);
    }
    return true;
  }
  if (GST_VALUE_HOLDS_INT_RANGE(v)) {
    // Negative sizes hold no frame: the range starts at 0 at the lowest (and products cannot overflow).
    const int lo = std::max(0, gst_value_get_int_range_min(v)), hi = gst_value_get_int_range_max(v);
    if (hi < 0) return false;
    int new_lo, new_hi;
    if (up) {
      new_lo = lo > INT_MAX / scale ? INT_MAX : lo * scale;
      new_hi = hi > INT_MAX / scale ? INT_MAX : hi * scale;
    } else {
      new_lo = lo / scale + (lo % scale != 0);  // rounded up; lo + scale - 1 could overflow
      new_hi = hi / scale;
    }
    if (new_lo > new_hi) return false;
    if (new_lo == new_hi)
      gst_structure_set(s, field, G_TYPE_INT, new_lo, nullptr);
    else
      gst_structure_set(s, field, GST_TYPE_INT_RANGE, new_lo, new_hi, nullptr);
    return true;
  }
  // Lists and anything else: allow every size rather than guess.
  gst_structure_set(s, field, GST_TYPE_INT_RANGE, 1, INT_MAX, nullptr);
  return true;
}

}  // namespace

GstCaps* scale_caps(GstCaps* caps, int scale, GstPadDirection direction) {
  const bool up = direction == GST_PAD_SINK;
  GstCaps* out = gst_caps_new_empty();
  for (guint i = 0; i < gst_caps_get_size(caps); ++i) {
    GstStructure* s = gst_structure_copy(gst_caps_get_structure(caps, i));
    GstCapsFeatures* f = gst_caps_get_features(caps, i);
    if (scale_field(s, "width", scale, up) && scale_field(s, "height", scale, up))
      gst_caps_append_structure_full(out, s, f ? gst_caps_features_copy(f) : nullptr);
    else
      gst_structure_free(s);
  }
  return out;
}

}  // namespace vsr::gst

// vsrinterpolate's frame-rate algebra for transform_caps: pure functions, no element state (the
// element passes its framerate property in), so that tests and the caps fuzzer reach them directly.
#pragma once
#include <gst/gst.h>

namespace vsr::gst {

// The output rate for an input rate: the property's (property_n > 0), else twice the input's.
// False when neither is known: no property and a variable or unknown input rate (in_n <= 0), or
// twice the input's rate that does not fit a fraction.
bool interpolated_rate(gint property_n, gint property_d, gint in_n, gint in_d, gint* out_n, gint* out_d);

// SINK -> SRC: each structure's framerate becomes its output rate where that is known, any rate
// otherwise; SRC -> SINK: any input rate. Every other field is kept. A new reference.
GstCaps* rate_caps(GstCaps* caps, GstPadDirection direction, gint property_n, gint property_d);

}  // namespace vsr::gst

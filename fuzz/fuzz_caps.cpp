// Fuzz entry point for the elements' caps algebra: bytes -> a caps string -> gst_caps_from_string ->
// vsr::gst::scale_caps (vsrupscale) both ways at scales 1-4, and vsr::gst::rate_caps (vsrinterpolate)
// both ways with and without a framerate property. Beyond crashes and sanitizer reports, a GLib
// critical or warning raised inside our functions is a finding (a GStreamer API misused; the
// parser's own complaints about bad strings are not), and results are checked:
//  - a fixed size scaled up then down comes back unchanged;
//  - where the output rate is known it is positive and, without the property, twice the input's.
#include <gst/gst.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "caps_scaling.h"
#include "rate_caps.h"

namespace {

// Caps strings longer than this add nothing the parser has not seen (and parse slowly).
constexpr size_t kMaxCapsLength = 4096;
// Deeper nesting of lists, ranges and arrays only exercises GStreamer's own recursive parser, which
// leaks on some malformed nests; the leak's stack then runs deeper than LeakSanitizer records, and
// the suppression (caps_lsan.supp, matched on gst_caps_from_string) no longer sees it.
constexpr int kMaxNesting = 8;

bool nested_deeper_than(const std::string& text, int limit) {
  int depth = 0;
  for (char c : text) {
    if (c == '{' || c == '[' || c == '<' || c == '(') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']' || c == '>' || c == ')') {
      --depth;
    }
  }
  return false;
}

bool in_our_code = false;  // set around calls of scale_caps and rate_caps

void on_glib_message(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer) {
  if (!in_our_code || !(level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_ERROR))) return;
  std::fprintf(stderr, "%s: %s\n", domain ? domain : "GLib", message);
  std::abort();  // libFuzzer saves the input on SIGABRT
}

GstCaps* scaled(GstCaps* caps, int scale, GstPadDirection direction) {
  in_our_code = true;
  GstCaps* out = vsr::gst::scale_caps(caps, scale, direction);
  in_our_code = false;
  return out;
}

GstCaps* rated(GstCaps* caps, GstPadDirection direction, gint property_n, gint property_d) {
  in_our_code = true;
  GstCaps* out = vsr::gst::rate_caps(caps, direction, property_n, property_d);
  in_our_code = false;
  return out;
}

[[noreturn]] void finding(const char* what, const GstCaps* caps) {
  gchar* text = gst_caps_to_string(caps);
  std::fprintf(stderr, "%s: %s\n", what, text);
  g_free(text);
  std::abort();
}

bool fixed_size(const GstCaps* caps, int* w, int* h) {
  return gst_caps_get_size(caps) == 1 && gst_caps_is_fixed(caps) &&
         gst_structure_get_int(gst_caps_get_structure(caps, 0), "width", w) &&
         gst_structure_get_int(gst_caps_get_structure(caps, 0), "height", h);
}

void check_scaling(GstCaps* caps) {
  for (int scale = 1; scale <= 4; ++scale) {
    GstCaps* up = scaled(caps, scale, GST_PAD_SINK);
    GstCaps* down = scaled(caps, scale, GST_PAD_SRC);
    int w = 0, h = 0;
    if (fixed_size(caps, &w, &h) && !gst_caps_is_empty(up)) {
      GstCaps* back = scaled(up, scale, GST_PAD_SRC);
      if (!gst_caps_is_equal(back, caps)) finding("scaled up and down, the caps changed", caps);
      gst_caps_unref(back);
    }
    gst_caps_unref(down);
    gst_caps_unref(up);
  }
}

void check_rates(GstCaps* caps) {
  const gint properties[][2] = {{0, 1}, {60, 1}, {30000, 1001}};
  for (const auto& p : properties) {
    for (GstPadDirection direction : {GST_PAD_SINK, GST_PAD_SRC}) {
      GstCaps* out = rated(caps, direction, p[0], p[1]);
      if (gst_caps_get_size(out) != gst_caps_get_size(caps)) finding("rate_caps changed the structure count", caps);
      for (guint i = 0; direction == GST_PAD_SINK && i < gst_caps_get_size(out); ++i) {
        gint n = 0, d = 1, in_n = 0, in_d = 1;
        if (!gst_structure_get_fraction(gst_caps_get_structure(out, i), "framerate", &n, &d)) continue;
        if (n <= 0) finding("an output rate that is not positive", caps);
        const bool input_fixed = gst_structure_get_fraction(gst_caps_get_structure(caps, i), "framerate", &in_n, &in_d);
        if (p[0] == 0 && input_fixed && in_n > 0 &&
            gst_util_fraction_compare(n, d, in_n, in_d) <= 0)
          finding("the output rate is not above the input's", caps);
      }
      gst_caps_unref(out);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  gst_init(argc, argv);
  g_log_set_default_handler(on_glib_message, nullptr);  // also silences the parser's complaints
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), std::min(size, kMaxCapsLength));
  if (nested_deeper_than(text, kMaxNesting)) return 0;
  GstCaps* caps = gst_caps_from_string(text.c_str());  // stops at a NUL, as a C caller's string would
  if (!caps) return 0;
  check_scaling(caps);
  check_rates(caps);
  gst_caps_unref(caps);
  return 0;
}

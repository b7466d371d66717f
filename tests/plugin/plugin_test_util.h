// Helpers the vsrupscale tests share: running a pipeline to its end, flat RGB frames, and tiny models
// whose output is computable by hand.
#pragma once
#include <gst/gst.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../tiny_models.h"
#include "models/onnx_writer.h"

namespace plugin_test {

// Runs a pipeline to EOS or error. Returns the error text ("" on EOS).
inline std::string run_pipeline(GstElement* pipeline) {
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* msg = gst_bus_timed_pop_filtered(bus, 60 * GST_SECOND,
                                               static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  std::string error = msg ? "" : "timeout";
  if (msg && GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError* err = nullptr;
    gchar* debug = nullptr;
    gst_message_parse_error(msg, &err, &debug);
    error = std::string(err->message) + " | " + (debug ? debug : "");
    g_error_free(err);
    g_free(debug);
  }
  if (msg) gst_message_unref(msg);
  gst_object_unref(bus);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  return error;
}

// Runs a gst-launch description to its end: the error text, or "" when it reached EOS.
inline std::string pipeline_error(const std::string& description) {
  GError* err = nullptr;
  GstElement* p = gst_parse_launch(description.c_str(), &err);
  if (!p || err) {
    const std::string why = err ? err->message : "gst_parse_launch failed";
    if (err) g_error_free(err);
    if (p) gst_object_unref(p);
    return "cannot build the pipeline: " + why;
  }
  const std::string error = run_pipeline(p);
  gst_object_unref(p);
  return error;
}

constexpr GstClockTime kFrame = 40 * GST_MSECOND;  // 25 fps

// A w x h RGB frame of one value (rows padded to 4 bytes, as GstVideoInfo lays RGB out), frame
// `index` of a 25 fps stream.
inline GstBuffer* flat_frame(guint8 value, int index, int w = 8, int h = 6) {
  const gsize size = static_cast<gsize>((w * 3 + 3) / 4 * 4) * h;
  GstBuffer* b = gst_buffer_new_allocate(nullptr, size, nullptr);
  gst_buffer_memset(b, 0, value, size);
  GST_BUFFER_PTS(b) = index * kFrame;
  GST_BUFFER_DURATION(b) = kFrame;
  return b;
}

inline guint8 first_byte(GstBuffer* b) {
  guint8 v = 0;
  gst_buffer_extract(b, 0, &v, 1);
  return v;
}

inline std::string temp_model(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("vsr_plugin_" + name + ".onnx")).string();
}

// xS nearest-neighbour upscaling (1x1 conv copies each channel into S*S sub-pixels, DepthToSpace).
inline std::string nearest_model(int scale) {
  vsr::OnnxWriter w("nearest");
  w.add_input("x", {"1", "3", "h", "w"});
  const int subs = scale * scale;
  std::vector<float> k(3 * subs * 3, 0.0f);
  for (int c = 0; c < 3; ++c)
    for (int sub = 0; sub < subs; ++sub) k[(c * subs + sub) * 3 + c] = 1.0f;
  w.add_initializer("k", {3 * subs, 3, 1, 1}, k);
  w.add_node("Conv", "copy", {"x", "k"}, {"c"});
  w.add_node("DepthToSpace", "up", {"c"}, {"y"},
             {vsr::OnnxAttribute::integer("blocksize", scale), vsr::OnnxAttribute::string("mode", "CRD")});
  w.add_output("y", {"1", "3", "H", "W"});
  const auto path = temp_model("nearest_x" + std::to_string(scale));
  w.save(path);
  return path;
}

// window:3, x2: the centre frame upscaled by nearest neighbour.
inline std::string centre_frame_model() {
  vsr::OnnxWriter w("window3");
  w.add_input("frames", {"1", "9", "h", "w"});
  std::vector<float> k(12 * 9, 0.0f);
  for (int c = 0; c < 3; ++c)
    for (int sub = 0; sub < 4; ++sub) k[(c * 4 + sub) * 9 + 3 + c] = 1.0f;  // frame 1 of 0..2 = centre
  w.add_initializer("k", {12, 9, 1, 1}, k);
  w.add_node("Conv", "pick", {"frames", "k"}, {"c"});
  w.add_node("DepthToSpace", "up", {"c"}, {"y"},
             {vsr::OnnxAttribute::integer("blocksize", 2), vsr::OnnxAttribute::string("mode", "CRD")});
  w.add_output("y", {"1", "3", "H", "W"});
  w.set_metadata({{"vsr.temporal", "window:3"}});
  const auto path = temp_model("window3");
  w.save(path);
  return path;
}

inline std::string blend_model() { return tiny_models::blend_model(temp_model("blend")); }

}  // namespace plugin_test

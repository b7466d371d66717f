// vsr-appsink-sample: embeds the vsrupscale element in an application. Synthetic RGB frames go in through
// appsrc, upscaled frames come out of appsink; every output is checked for size and the counts must match.
//   vsr-appsink-sample [--model espcn_x2] [--frames 30] [--size 320x240]
// The plugin must be on GST_PLUGIN_PATH (build/plugin in the build tree).
#include <CLI/CLI.hpp>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

// Prints a pending error message from the bus, if any; true when there was one.
bool report_bus_error(GstElement* pipeline) {
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
  gst_object_unref(bus);
  if (!msg) return false;
  GError* err = nullptr;
  gchar* debug = nullptr;
  gst_message_parse_error(msg, &err, &debug);
  std::cerr << "vsr-appsink-sample: error from " << GST_OBJECT_NAME(msg->src) << ": " << err->message << "\n";
  if (debug) std::cerr << "  " << debug << "\n";
  g_error_free(err);
  g_free(debug);
  gst_message_unref(msg);
  return true;
}

// A moving diagonal gradient, so consecutive frames differ.
GstBuffer* make_frame(const GstVideoInfo& info, int index) {
  GstBuffer* buffer = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&info), nullptr);
  GstMapInfo map;
  gst_buffer_map(buffer, &map, GST_MAP_WRITE);
  const int stride = GST_VIDEO_INFO_PLANE_STRIDE(&info, 0);
  for (int y = 0; y < GST_VIDEO_INFO_HEIGHT(&info); ++y) {
    guint8* row = map.data + static_cast<size_t>(y) * stride;
    for (int x = 0; x < GST_VIDEO_INFO_WIDTH(&info); ++x) {
      row[3 * x + 0] = static_cast<guint8>(x * 4 + index * 8);
      row[3 * x + 1] = static_cast<guint8>(y * 4);
      row[3 * x + 2] = static_cast<guint8>((x + y) * 2 - index * 8);
    }
  }
  gst_buffer_unmap(buffer, &map);
  const int fps = GST_VIDEO_INFO_FPS_N(&info);
  GST_BUFFER_PTS(buffer) = gst_util_uint64_scale_int(index, GST_SECOND, fps);
  GST_BUFFER_DURATION(buffer) = gst_util_uint64_scale_int(1, GST_SECOND, fps);
  return buffer;
}

int run(const std::string& model, int frames, int width, int height) {
  // The model is set as a property, not in the launch string, so any path works without quoting.
  GError* err = nullptr;
  GstElement* pipeline = gst_parse_launch_full("appsrc name=src ! vsrupscale name=up ! appsink name=sink", nullptr,
                                               GST_PARSE_FLAG_FATAL_ERRORS, &err);
  if (!pipeline) {
    std::cerr << "vsr-appsink-sample: " << (err ? err->message : "cannot build the pipeline")
              << " (is the vsr plugin on GST_PLUGIN_PATH?)\n";
    if (err) g_error_free(err);
    return 1;
  }
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  GstElement* up = gst_bin_get_by_name(GST_BIN(pipeline), "up");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  g_object_set(up, "model", model.c_str(), nullptr);

  GstVideoInfo in_info;
  gst_video_info_set_format(&in_info, GST_VIDEO_FORMAT_RGB, width, height);
  GST_VIDEO_INFO_FPS_N(&in_info) = 25;
  GST_VIDEO_INFO_FPS_D(&in_info) = 1;
  GstCaps* caps = gst_video_info_to_caps(&in_info);
  g_object_set(src, "caps", caps, "format", GST_FORMAT_TIME, nullptr);
  gst_caps_unref(caps);
  // As fast as the model goes: no clock sync in an application that consumes frames itself.
  g_object_set(sink, "sync", FALSE, nullptr);

  int pushed = 0, pulled = 0, scale = 0, status = 0;
  int out_w = 0, out_h = 0;
  const auto start = std::chrono::steady_clock::now();
  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    if (!report_bus_error(pipeline)) std::cerr << "vsr-appsink-sample: the pipeline does not start\n";
    status = 1;
  }
  // One thread feeds and drains: input is held to a few queued frames, outputs are taken as they come,
  // and the bus is polled so an error ends the run instead of a wait that never returns.
  while (status == 0) {
    if (report_bus_error(pipeline)) {
      status = 1;
      break;
    }
    if (pushed < frames && gst_app_src_get_current_level_buffers(GST_APP_SRC(src)) < 4) {
      gst_app_src_push_buffer(GST_APP_SRC(src), make_frame(in_info, pushed++));  // takes the buffer
      if (pushed == frames) gst_app_src_end_of_stream(GST_APP_SRC(src));
      continue;
    }
    GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 20 * GST_MSECOND);
    if (!sample) {
      if (gst_app_sink_is_eos(GST_APP_SINK(sink))) break;
      continue;
    }
    GstVideoInfo out_info;
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    if (scale == 0) g_object_get(up, "scale", &scale, nullptr);  // the factor in effect once the model is loaded
    if (!gst_video_info_from_caps(&out_info, gst_sample_get_caps(sample))) {
      std::cerr << "vsr-appsink-sample: output " << pulled << " has no video caps\n";
      status = 1;
    } else if (out_info.width != width * scale || out_info.height != height * scale ||
               gst_buffer_get_size(buffer) < GST_VIDEO_INFO_SIZE(&out_info)) {
      std::cerr << "vsr-appsink-sample: output " << pulled << " is " << out_info.width << "x" << out_info.height
                << " (" << gst_buffer_get_size(buffer) << " bytes), expected " << width * scale << "x"
                << height * scale << "\n";
      status = 1;
    }
    out_w = out_info.width;
    out_h = out_info.height;
    ++pulled;
    gst_sample_unref(sample);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (status == 0 && pulled != frames) {
    std::cerr << "vsr-appsink-sample: " << frames << " frames in, " << pulled << " out\n";
    status = 1;
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(src);
  gst_object_unref(up);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  if (status == 0)
    std::printf("vsr-appsink-sample: %d frames %dx%d -> %dx%d (x%d, model %s) in %.2f s (%.1f fps)\n", pulled, width,
                height, out_w, out_h, scale, model.c_str(), seconds, pulled / seconds);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model = "espcn_x2", size = "320x240";
  int frames = 30;
  CLI::App app{"vsr-appsink-sample: vsrupscale embedded between appsrc and appsink"};
  app.add_option("--model", model, "model file or shipped name");
  app.add_option("--frames", frames, "frames to push")->check(CLI::PositiveNumber);
  app.add_option("--size", size, "input size, WxH");
  CLI11_PARSE(app, argc, argv);
  int width = 0, height = 0;
  char x = 0;
  if (std::sscanf(size.c_str(), "%d%c%d", &width, &x, &height) != 3 || x != 'x' || width <= 0 || height <= 0) {
    std::cerr << "vsr-appsink-sample: --size must be WxH, e.g. 320x240\n";
    return 2;
  }
  gst_init(&argc, &argv);
  return run(model, frames, width, height);
}

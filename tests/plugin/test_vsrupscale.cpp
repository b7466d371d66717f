// vsrupscale through GstHarness and small pipelines: negotiated caps, output size, every frame out,
// pixels equal to the engine's own output on the same frame, and clear errors for a bad model.
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <gst/video/video.h>
#include <gtest/gtest.h>

#include <string>

#include "plugin_test_util.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

vsr::PixelFormat to_vsr(GstVideoFormat f) {
  switch (f) {
    case GST_VIDEO_FORMAT_BGR: return vsr::PixelFormat::BGR;
    case GST_VIDEO_FORMAT_RGBA: return vsr::PixelFormat::RGBA;
    case GST_VIDEO_FORMAT_BGRA: return vsr::PixelFormat::BGRA;
    case GST_VIDEO_FORMAT_RGBx: return vsr::PixelFormat::RGBx;
    case GST_VIDEO_FORMAT_BGRx: return vsr::PixelFormat::BGRx;
    case GST_VIDEO_FORMAT_I420: return vsr::PixelFormat::I420;
    case GST_VIDEO_FORMAT_NV12: return vsr::PixelFormat::NV12;
    case GST_VIDEO_FORMAT_YV12: return vsr::PixelFormat::YV12;
    case GST_VIDEO_FORMAT_Y444: return vsr::PixelFormat::Y444;
    case GST_VIDEO_FORMAT_GRAY8: return vsr::PixelFormat::GRAY8;
    case GST_VIDEO_FORMAT_I420_10LE: return vsr::PixelFormat::I420_10LE;
    case GST_VIDEO_FORMAT_P010_10LE: return vsr::PixelFormat::P010_10LE;
    default: return vsr::PixelFormat::RGB;
  }
}

vsr::Frame view(GstVideoFrame* f) {
  vsr::Frame v;
  v.format = to_vsr(GST_VIDEO_FRAME_FORMAT(f));
  v.width = GST_VIDEO_FRAME_WIDTH(f);
  v.height = GST_VIDEO_FRAME_HEIGHT(f);
  for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(f); ++p)
    v.planes[p] = {static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(f, p)), GST_VIDEO_FRAME_PLANE_STRIDE(f, p)};
  const GstVideoColorimetry& c = GST_VIDEO_INFO_COLORIMETRY(&f->info);
  v.matrix = c.matrix == GST_VIDEO_COLOR_MATRIX_BT601    ? vsr::ColourMatrix::Bt601
             : c.matrix == GST_VIDEO_COLOR_MATRIX_BT2020 ? vsr::ColourMatrix::Bt2020
                                                         : vsr::ColourMatrix::Bt709;
  v.full_range = c.range == GST_VIDEO_COLOR_RANGE_0_255;
  return v;
}

// The component stored in plane p (for YV12, plane 1 holds V: component 2).
int first_component_of_plane(const GstVideoFormatInfo* finfo, guint p) {
  gint components[GST_VIDEO_MAX_COMPONENTS];
  gst_video_format_info_component(finfo, p, components);
  return components[0];
}

// A frame with smooth gradients and some texture, so the network has something to do. 16-bit
// formats get in-range 10-bit codes placed where the format keeps them (low bits, or high for P010).
GstBuffer* pattern_buffer(const GstVideoInfo& info) {
  GstBuffer* buf = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&info), nullptr);
  GstVideoFrame f;
  gst_video_frame_map(&f, const_cast<GstVideoInfo*>(&info), buf, GST_MAP_WRITE);
  for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(&f); ++p) {
    auto* data = static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&f, p));
    const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&f, p);
    const int comp = first_component_of_plane(f.info.finfo, p);
    const int rows = GST_VIDEO_FRAME_COMP_HEIGHT(&f, comp);
    const int depth = GST_VIDEO_FRAME_COMP_DEPTH(&f, comp), shift = GST_VIDEO_FORMAT_INFO_SHIFT(f.info.finfo, comp);
    for (int y = 0; y < rows; ++y) {
      if (depth <= 8) {
        for (int x = 0; x < stride; ++x)
          data[y * stride + x] = static_cast<uint8_t>((x * 7 + y * 13 + ((x / 3 + y / 2) % 2) * 60 + p * 40) % 256);
        continue;
      }
      for (int x = 0; x < stride / 2; ++x) {
        const int code = (x * 29 + y * 53 + ((x / 3 + y / 2) % 2) * 240 + p * 160) % 1024;
        GST_WRITE_UINT16_LE(data + y * stride + 2 * x, code << shift);
      }
    }
  }
  gst_video_frame_unmap(&f);
  GST_BUFFER_PTS(buf) = 0;
  GST_BUFFER_DURATION(buf) = GST_SECOND / 30;
  return buf;
}

class VsrUpscaleFormats : public ::testing::TestWithParam<const char*> {};

TEST_P(VsrUpscaleFormats, NegotiatesDoubleSizeAndMatchesTheEngine) {
  const std::string format = GetParam();
  const std::string model = vsr::resolve_model(vsr::kDefaultModel);
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", model.c_str(), nullptr);
  const std::string caps_str = "video/x-raw,format=" + format +
                               ",width=22,height=14,framerate=30/1,pixel-aspect-ratio=4/3,colorimetry=bt601";
  gst_harness_set_src_caps_str(h, caps_str.c_str());

  GstCaps* in_caps = gst_caps_from_string(caps_str.c_str());
  GstVideoInfo in_info;
  ASSERT_TRUE(gst_video_info_from_caps(&in_info, in_caps));
  GstBuffer* in = pattern_buffer(in_info);
  GstBuffer* out = gst_harness_push_and_pull(h, gst_buffer_ref(in));
  ASSERT_NE(out, nullptr);

  GstCaps* out_caps = gst_pad_get_current_caps(h->sinkpad);
  ASSERT_NE(out_caps, nullptr);
  gchar* caps_text = gst_caps_to_string(out_caps);
  SCOPED_TRACE(caps_text);
  g_free(caps_text);
  GstVideoInfo out_info;
  ASSERT_TRUE(gst_video_info_from_caps(&out_info, out_caps));
  EXPECT_EQ(GST_VIDEO_INFO_WIDTH(&out_info), 44);
  EXPECT_EQ(GST_VIDEO_INFO_HEIGHT(&out_info), 28);
  EXPECT_EQ(GST_VIDEO_INFO_FORMAT(&out_info), GST_VIDEO_INFO_FORMAT(&in_info));
  EXPECT_EQ(GST_VIDEO_INFO_FPS_N(&out_info), 30);
  EXPECT_EQ(GST_VIDEO_INFO_PAR_N(&out_info), 4);
  EXPECT_EQ(GST_VIDEO_INFO_PAR_D(&out_info), 3);
  EXPECT_TRUE(gst_video_colorimetry_is_equal(&GST_VIDEO_INFO_COLORIMETRY(&out_info), &GST_VIDEO_INFO_COLORIMETRY(&in_info)));
  EXPECT_EQ(GST_BUFFER_PTS(out), GST_BUFFER_PTS(in));

  // The same frame through the engine directly must give the same bytes.
  GstBuffer* expected = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&out_info), nullptr);
  GstVideoFrame fin, fexp, fout;
  gst_video_frame_map(&fin, &in_info, in, GST_MAP_READ);
  gst_video_frame_map(&fexp, &out_info, expected, GST_MAP_WRITE);
  gst_video_frame_map(&fout, &out_info, out, GST_MAP_READ);
  auto engine = vsr::Engine::open(model);
  engine->process(view(&fin), view(&fexp));
  size_t compared = 0, different = 0;
  for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(&fout); ++p) {
    // Pixel stride covers every component sharing the plane (3-4 bytes for packed RGB, 4 for P010's
    // UV pairs, 2 for 16-bit planar samples, 1 for GRAY8).
    const int comp = first_component_of_plane(fout.info.finfo, p);
    const int row_bytes = GST_VIDEO_FRAME_COMP_WIDTH(&fout, comp) * GST_VIDEO_FRAME_COMP_PSTRIDE(&fout, comp);
    const int rows = GST_VIDEO_FRAME_COMP_HEIGHT(&fout, comp);
    for (int y = 0; y < rows; ++y) {
      const auto* a = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&fout, p)) + y * GST_VIDEO_FRAME_PLANE_STRIDE(&fout, p);
      const auto* b = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&fexp, p)) + y * GST_VIDEO_FRAME_PLANE_STRIDE(&fexp, p);
      for (int x = 0; x < row_bytes; ++x, ++compared) different += a[x] != b[x];
    }
  }
  EXPECT_GE(compared, 44u * 28u);  // GRAY8 has just the one plane
  EXPECT_EQ(different, 0u) << "bytes differing between element and engine output";
  gst_video_frame_unmap(&fin);
  gst_video_frame_unmap(&fexp);
  gst_video_frame_unmap(&fout);
  gst_buffer_unref(expected);
  gst_buffer_unref(in);
  gst_buffer_unref(out);
  gst_caps_unref(out_caps);
  gst_caps_unref(in_caps);
  gst_harness_teardown(h);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, VsrUpscaleFormats,
                         ::testing::Values("RGB", "BGR", "RGBA", "BGRA", "RGBx", "BGRx", "I420", "YV12", "NV12", "Y444",
                                           "GRAY8", "I420_10LE", "P010_10LE"));

using plugin_test::run_pipeline;

void count_frame(GstElement*, GstBuffer*, GstPad*, gpointer counter) { ++*static_cast<int*>(counter); }

TEST(VsrUpscalePipeline, EveryFrameComesOutAtDoubleSize) {
  GError* err = nullptr;
  GstElement* p = gst_parse_launch(
      "videotestsrc num-buffers=17 pattern=ball ! video/x-raw,format=I420,width=64,height=48,framerate=25/1 "
      "! vsrupscale ! capsfilter name=check caps=video/x-raw,width=128,height=96 ! fakesink name=sink signal-handoffs=true",
      &err);
  ASSERT_EQ(err, nullptr);
  int frames = 0;
  GstElement* sink = gst_bin_get_by_name(GST_BIN(p), "sink");
  g_signal_connect(sink, "handoff", G_CALLBACK(count_frame), &frames);
  EXPECT_EQ(run_pipeline(p), "");
  EXPECT_EQ(frames, 17);
  gst_object_unref(sink);
  gst_object_unref(p);
}

TEST(VsrUpscalePipeline, MissingModelIsAClearErrorNamingIt) {
  GError* err = nullptr;
  GstElement* p = gst_parse_launch("videotestsrc num-buffers=2 ! vsrupscale model=/no/such/dir/model.onnx ! fakesink", &err);
  ASSERT_EQ(err, nullptr);
  const std::string error = run_pipeline(p);
  EXPECT_NE(error.find("/no/such/dir/model.onnx"), std::string::npos) << error;
  gst_object_unref(p);
}

TEST(VsrUpscalePipeline, ScalePropertyReportsTheLoadedModel) {
  GstElement* e = gst_element_factory_make("vsrupscale", nullptr);
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(gst_element_set_state(e, GST_STATE_PAUSED), GST_STATE_CHANGE_SUCCESS);  // start() loads the model
  int scale = 0;
  g_object_get(e, "scale", &scale, nullptr);
  EXPECT_EQ(scale, 2);
  gst_element_set_state(e, GST_STATE_NULL);
  gst_object_unref(e);
}

TEST(VsrUpscaleProperties, TiledOutputMatchesUntiled) {
  auto run = [](int tile) {
    GstHarness* h = gst_harness_new("vsrupscale");
    g_object_set(h->element, "tile-size", tile, nullptr);
    gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=40,height=30,framerate=30/1");
    GstVideoInfo info;
    gst_video_info_set_format(&info, GST_VIDEO_FORMAT_RGB, 40, 30);
    GstBuffer* out = gst_harness_push_and_pull(h, pattern_buffer(info));
    std::vector<guint8> bytes(gst_buffer_get_size(out));
    gst_buffer_extract(out, 0, bytes.data(), bytes.size());
    gst_buffer_unref(out);
    gst_harness_teardown(h);
    return bytes;
  };
  const auto untiled = run(-1), tiled = run(8);
  ASSERT_EQ(untiled.size(), tiled.size());
  size_t off = 0;
  for (size_t i = 0; i < tiled.size(); ++i) off += std::abs(int(tiled[i]) - int(untiled[i])) > 1;
  EXPECT_EQ(off, 0u);
}

TEST(VsrUpscaleProperties, TileAndThreadChangesWhilePlayingKeepThePixels) {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "tile-size", -1, nullptr);
  gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=40,height=30,framerate=30/1");
  GstVideoInfo info;
  gst_video_info_set_format(&info, GST_VIDEO_FORMAT_RGB, 40, 30);
  auto frame_bytes = [&] {
    GstBuffer* out = gst_harness_push_and_pull(h, pattern_buffer(info));
    std::vector<guint8> bytes(gst_buffer_get_size(out));
    gst_buffer_extract(out, 0, bytes.data(), bytes.size());
    gst_buffer_unref(out);
    return bytes;
  };
  const auto before = frame_bytes();
  g_object_set(h->element, "tile-size", 8, "threads", 1, nullptr);  // applied between two frames
  const auto after = frame_bytes();
  int tile = 0;
  g_object_get(h->element, "tile-size", &tile, nullptr);
  EXPECT_EQ(tile, 8);
  ASSERT_EQ(before.size(), after.size());
  size_t off = 0;
  for (size_t i = 0; i < after.size(); ++i) off += std::abs(int(after[i]) - int(before[i])) > 1;
  EXPECT_EQ(off, 0u);
  gst_harness_teardown(h);
}

}  // namespace

int main(int argc, char** argv) {
  // A private registry and our build's plugin folder: a stale system registry must not decide the result.
  g_setenv("GST_PLUGIN_PATH", VSR_PLUGIN_DIR, TRUE);
  const std::string registry = std::string(g_get_tmp_dir()) + "/vsr-test-registry-" + std::to_string(getpid()) + ".bin";
  g_setenv("GST_REGISTRY", registry.c_str(), TRUE);
  gst_init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  g_unlink(registry.c_str());
  return rc;
}

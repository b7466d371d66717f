// vsrinterpolate: output timestamps and counts for the usual rate conversions, no morph across a
// scene cut, the latency it reports, EOS and flush, passthrough, refused rates, and the element
// after vsrupscale in one pipeline.
#include <gst/app/gstappsink.h>
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <vector>

#include "plugin_test_util.h"

namespace {

using namespace plugin_test;

constexpr int kW = 32, kH = 16;  // RGB rows of 96 bytes: no padding

// A frame with structure (so that scene cuts can be told from fades): `pattern` 0 is a moving
// diagonal ramp, 1 a checkerboard. `shift` moves the ramp.
GstBuffer* patterned_frame(int pattern, int shift, GstClockTime pts, GstClockTime duration) {
  GstBuffer* b = gst_buffer_new_allocate(nullptr, kW * kH * 3, nullptr);
  GstMapInfo map;
  gst_buffer_map(b, &map, GST_MAP_WRITE);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      for (int c = 0; c < 3; ++c)
        map.data[(y * kW + x) * 3 + c] = pattern == 0 ? static_cast<guint8>(((x + shift) * 6 + y * 4 + c * 20) % 200)
                                                      : (((x / 4 + y / 4) % 2) ? 240 : 10);
  gst_buffer_unmap(b, &map);
  GST_BUFFER_PTS(b) = pts;
  GST_BUFFER_DURATION(b) = duration;
  return b;
}

GstHarness* harness(int in_n, int in_d, int out_n = 0, int out_d = 1) {
  GstHarness* h = gst_harness_new("vsrinterpolate");
  g_object_set(h->element, "model", "blend", nullptr);
  if (out_n > 0) gst_util_set_object_arg(G_OBJECT(h->element), "framerate", (std::to_string(out_n) + "/" + std::to_string(out_d)).c_str());
  gst_harness_set_src_caps_str(h, ("video/x-raw,format=RGB,width=32,height=16,framerate=" + std::to_string(in_n) + "/" +
                                   std::to_string(in_d)).c_str());
  return h;
}

GstClockTime at(guint64 index, int n, int d) { return gst_util_uint64_scale(index, static_cast<guint64>(d) * GST_SECOND, n); }

std::vector<GstBuffer*> pull_all(GstHarness* h) {
  std::vector<GstBuffer*> out;
  while (GstBuffer* b = gst_harness_try_pull(h)) out.push_back(b);
  return out;
}

struct Conversion {
  int in_n, in_d, out_n, out_d;
  int frames_out;  // for 24 input frames
};

TEST(VsrInterpolate, TimestampsAndCountsAreExact) {
  for (const Conversion& c : {Conversion{24, 1, 48, 1, 48}, Conversion{25, 1, 50, 1, 48},
                              Conversion{30000, 1001, 60000, 1001, 48}, Conversion{24, 1, 60, 1, 60}}) {
    // 25 -> 50 of 24 frames is 48 frames; the default (no framerate set) is twice the input.
    GstHarness* h = c.out_n == 2 * c.in_n && c.out_d == c.in_d ? harness(c.in_n, c.in_d) : harness(c.in_n, c.in_d, c.out_n, c.out_d);
    const GstClockTime origin = 5 * GST_SECOND;  // the grid starts at the first frame, not at 0
    for (int i = 0; i < 24; ++i)
      ASSERT_EQ(gst_harness_push(h, patterned_frame(0, i, origin + at(i, c.in_n, c.in_d), at(i + 1, c.in_n, c.in_d) - at(i, c.in_n, c.in_d))),
                GST_FLOW_OK);
    gst_harness_push_event(h, gst_event_new_eos());
    const std::vector<GstBuffer*> out = pull_all(h);
    ASSERT_EQ(static_cast<int>(out.size()), c.frames_out) << c.in_n << "/" << c.in_d << " -> " << c.out_n << "/" << c.out_d;
    for (size_t p = 0; p < out.size(); ++p) {
      EXPECT_EQ(GST_BUFFER_PTS(out[p]), origin + at(p, c.out_n, c.out_d)) << "frame " << p;
      EXPECT_EQ(GST_BUFFER_DURATION(out[p]), at(p + 1, c.out_n, c.out_d) - at(p, c.out_n, c.out_d)) << "frame " << p;
    }
    GstCaps* caps = gst_pad_get_current_caps(h->sinkpad);
    gint n = 0, d = 0;
    gst_structure_get_fraction(gst_caps_get_structure(caps, 0), "framerate", &n, &d);
    EXPECT_EQ(n * c.out_d, c.out_n * d);
    gst_caps_unref(caps);
    for (GstBuffer* b : out) gst_buffer_unref(b);
    gst_harness_teardown(h);
  }
}

TEST(VsrInterpolate, InterpolatedFramesLieBetweenTheirNeighbours) {
  GstHarness* h = harness(25, 1);
  ASSERT_EQ(gst_harness_push(h, patterned_frame(0, 0, 0, kFrame)), GST_FLOW_OK);
  ASSERT_EQ(gst_harness_push(h, patterned_frame(0, 2, kFrame, kFrame)), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  std::vector<GstBuffer*> out = pull_all(h);
  ASSERT_EQ(out.size(), 4u);
  GstBuffer* a = patterned_frame(0, 0, 0, 0);
  GstBuffer* b = patterned_frame(0, 2, 0, 0);
  GstMapInfo ma, mb, mo;
  gst_buffer_map(a, &ma, GST_MAP_READ);
  gst_buffer_map(b, &mb, GST_MAP_READ);
  gst_buffer_map(out[1], &mo, GST_MAP_READ);
  int differs = 0;
  for (gsize i = 0; i < mo.size; ++i) {
    ASSERT_NEAR(mo.data[i], (ma.data[i] + mb.data[i]) / 2.0, 1.0) << i;  // the blend at t = 0.5
    differs += ma.data[i] != mb.data[i];
  }
  EXPECT_GT(differs, 100);
  gst_buffer_unmap(out[1], &mo);
  gst_buffer_unmap(b, &mb);
  gst_buffer_unmap(a, &ma);
  gst_buffer_unref(a);
  gst_buffer_unref(b);
  for (GstBuffer* o : out) gst_buffer_unref(o);
  gst_harness_teardown(h);
}

TEST(VsrInterpolate, AcrossASceneCutTheEarlierFrameIsRepeated) {
  GstHarness* h = harness(25, 1, 100, 1);  // 4x: three made frames per gap
  for (int i = 0; i < 3; ++i) ASSERT_EQ(gst_harness_push(h, patterned_frame(0, i, i * kFrame, kFrame)), GST_FLOW_OK);
  for (int i = 3; i < 6; ++i) ASSERT_EQ(gst_harness_push(h, patterned_frame(1, 0, i * kFrame, kFrame)), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  std::vector<GstBuffer*> out = pull_all(h);
  ASSERT_EQ(out.size(), 24u);
  GstBuffer* last_a = patterned_frame(0, 2, 0, 0);
  GstMapInfo ref;
  gst_buffer_map(last_a, &ref, GST_MAP_READ);
  for (int p = 8; p < 12; ++p) {  // frame 2 (p = 8) and the three outputs before frame 3 (p = 12)
    GstMapInfo m;
    gst_buffer_map(out[p], &m, GST_MAP_READ);
    EXPECT_EQ(0, memcmp(m.data, ref.data, m.size)) << "output " << p << " is not the last frame of the first scene";
    gst_buffer_unmap(out[p], &m);
  }
  gst_buffer_unmap(last_a, &ref);
  gst_buffer_unref(last_a);
  for (GstBuffer* o : out) gst_buffer_unref(o);
  gst_harness_teardown(h);
}

TEST(VsrInterpolate, ReportsOneInputFrameOfLatency) {
  GstHarness* h = harness(25, 1);
  ASSERT_EQ(gst_harness_push(h, patterned_frame(0, 0, 0, kFrame)), GST_FLOW_OK);
  GstQuery* q = gst_query_new_latency();
  ASSERT_TRUE(gst_pad_peer_query(h->sinkpad, q));
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency(q, &live, &min, &max);
  EXPECT_EQ(min, kFrame);
  gst_query_unref(q);
  gst_harness_teardown(h);
}

TEST(VsrInterpolate, FlushStartsANewGridWithNoFrameMadeAcrossIt) {
  GstHarness* h = harness(25, 1);
  ASSERT_EQ(gst_harness_push(h, patterned_frame(0, 0, 0, kFrame)), GST_FLOW_OK);
  ASSERT_EQ(gst_harness_push(h, patterned_frame(0, 1, kFrame, kFrame)), GST_FLOW_OK);
  for (GstBuffer* b : pull_all(h)) gst_buffer_unref(b);
  gst_harness_push_event(h, gst_event_new_flush_start());
  gst_harness_push_event(h, gst_event_new_flush_stop(TRUE));
  gst_harness_push_event(h, gst_event_new_segment([] {
    static GstSegment s;
    gst_segment_init(&s, GST_FORMAT_TIME);
    return &s;
  }()));
  ASSERT_EQ(gst_harness_push(h, patterned_frame(0, 5, 10 * kFrame + 7, kFrame)), GST_FLOW_OK);
  EXPECT_EQ(gst_harness_try_pull(h), nullptr) << "a frame was made from before the flush";
  gst_harness_push_event(h, gst_event_new_eos());
  std::vector<GstBuffer*> out = pull_all(h);
  ASSERT_EQ(out.size(), 2u);  // the frame and its repeat half a frame later
  EXPECT_EQ(GST_BUFFER_PTS(out[0]), 10 * kFrame + 7);
  for (GstBuffer* o : out) gst_buffer_unref(o);
  gst_harness_teardown(h);
}

TEST(VsrInterpolate, SameRateIsPassthroughAndALowerRateIsRefused) {
  GstHarness* h = harness(25, 1, 25, 1);
  GstBuffer* in = patterned_frame(0, 0, 0, kFrame);
  gst_buffer_ref(in);
  ASSERT_EQ(gst_harness_push(h, in), GST_FLOW_OK);
  GstBuffer* out = gst_harness_pull(h);
  EXPECT_EQ(out, in);
  gst_buffer_unref(out);
  gst_buffer_unref(in);
  gst_harness_teardown(h);

  h = harness(25, 1, 20, 1);
  EXPECT_NE(gst_harness_push(h, patterned_frame(0, 0, 0, kFrame)), GST_FLOW_OK);
  gst_harness_teardown(h);
}

TEST(VsrInterpolate, AfterVsrupscaleInOnePipeline) {
  const std::string launch = "videotestsrc num-buffers=10 ! video/x-raw,format=I420,width=32,height=24,framerate=25/1 ! "
                             "vsrupscale model=" + nearest_model(2) + " ! vsrinterpolate model=blend ! appsink name=sink sync=false";
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(launch.c_str(), &error);
  ASSERT_TRUE(pipeline) << (error ? error->message : "");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  int frames = 0, width = 0;
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  while (GstSample* s = gst_app_sink_pull_sample(GST_APP_SINK(sink))) {
    ++frames;
    gst_structure_get_int(gst_caps_get_structure(gst_sample_get_caps(s), 0), "width", &width);
    gst_sample_unref(s);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  EXPECT_EQ(frames, 20);
  EXPECT_EQ(width, 64);
}

}  // namespace

namespace {

// backend, device-id and precision reach the engine the model runs on: the CPU taken by name runs the
// stream, and CUDA without a usable GPU (this machine, CI's) stops it naming the backend and model.
TEST(VsrInterpolate, BackendPropertiesReachTheEngine) {
  GstElement* e = gst_element_factory_make("vsrinterpolate", nullptr);
  ASSERT_NE(e, nullptr);
  gint backend = -1, precision = -1, device = -1;
  g_object_get(e, "backend", &backend, "precision", &precision, "device-id", &device, nullptr);
  EXPECT_EQ(backend, 0);  // auto
  EXPECT_EQ(precision, 0);  // auto
  EXPECT_EQ(device, 0);
  gst_util_set_object_arg(G_OBJECT(e), "backend", "cpu");
  gst_util_set_object_arg(G_OBJECT(e), "precision", "fp32");
  g_object_set(e, "device-id", 1, nullptr);
  g_object_get(e, "backend", &backend, "precision", &precision, "device-id", &device, nullptr);
  EXPECT_EQ(backend, 1);
  EXPECT_EQ(precision, 1);
  EXPECT_EQ(device, 1);
  gst_object_unref(e);

  const std::string source = "videotestsrc num-buffers=3 ! video/x-raw,format=RGB,width=32,height=16,framerate=25/1 ! ";
  EXPECT_EQ(pipeline_error(source + "vsrinterpolate model=interp_ifnet_lite backend=cpu precision=fp32 threads=1 ! fakesink"), "");
  const std::string error = pipeline_error(source + "vsrinterpolate model=interp_ifnet_lite backend=cuda ! fakesink");
  EXPECT_NE(error.find("backend 'cuda'"), std::string::npos) << error;
  EXPECT_NE(error.find("interp_ifnet_lite"), std::string::npos) << error;
}

}  // namespace

// The ensemble property reaches the model (ensemble=2 with the shipped model makes a frame unlike a
// single pass's) and a pass count the engine does not offer stops the stream with an error.
TEST(VsrInterpolate, EnsembleRunsTheModelTwiceAndOddCountsAreRefused) {
  auto middle_frame = [](int ensemble) {
    GstHarness* h = gst_harness_new("vsrinterpolate");
    g_object_set(h->element, "model", "interp_ifnet_lite", "ensemble", ensemble, "threads", 1, nullptr);
    gint read_back = 0;
    g_object_get(h->element, "ensemble", &read_back, nullptr);
    EXPECT_EQ(read_back, ensemble);
    gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=32,height=16,framerate=25/1");
    std::vector<guint8> bytes;
    if (gst_harness_push(h, patterned_frame(0, 0, 0, kFrame)) == GST_FLOW_OK &&
        gst_harness_push(h, patterned_frame(0, 5, kFrame, kFrame)) == GST_FLOW_OK) {
      std::vector<GstBuffer*> out = pull_all(h);
      if (out.size() >= 2) {  // frame 0, then the one made between frames 0 and 1
        GstMapInfo map;
        gst_buffer_map(out[1], &map, GST_MAP_READ);
        bytes.assign(map.data, map.data + map.size);
        gst_buffer_unmap(out[1], &map);
      }
      for (GstBuffer* o : out) gst_buffer_unref(o);
    }
    gst_harness_teardown(h);
    return bytes;
  };
  const std::vector<guint8> one = middle_frame(1), two = middle_frame(2);
  ASSERT_EQ(one.size(), static_cast<size_t>(kW * kH * 3));
  ASSERT_EQ(two.size(), one.size());
  EXPECT_NE(one, two);
  EXPECT_TRUE(middle_frame(3).empty());
}

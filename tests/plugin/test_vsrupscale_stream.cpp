// vsrupscale's stream behaviour with tiny models whose output is computable by hand: recurrent state
// carried and reset (flush, discontinuity, QoS gap), model and scale switches while PLAYING with no
// frame lost, passthrough, and caps changes mid-stream.
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <gtest/gtest.h>

#include "plugin_test_util.h"

namespace {

using namespace plugin_test;

GstHarness* harness(const std::string& model, const char* caps = "video/x-raw,format=RGB,width=8,height=6,framerate=25/1") {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", model.c_str(), nullptr);
  gst_harness_set_src_caps_str(h, caps);
  return h;
}

// Pushes one frame and returns the first byte of the output it produced (-1 if none).
int push_pull(GstHarness* h, GstBuffer* in) {
  EXPECT_EQ(gst_harness_push(h, in), GST_FLOW_OK);
  GstBuffer* out = gst_harness_try_pull(h);
  if (!out) return -1;
  const int v = first_byte(out);
  gst_buffer_unref(out);
  return v;
}

int output_width(GstHarness* h) {
  GstCaps* caps = gst_pad_get_current_caps(h->sinkpad);
  int w = 0;
  gst_structure_get_int(gst_caps_get_structure(caps, 0), "width", &w);
  gst_caps_unref(caps);
  return w;
}

TEST(VsrUpscaleRecurrent, StateIsCarriedWithNoLatency) {
  GstHarness* h = harness(blend_model());
  EXPECT_EQ(push_pull(h, flat_frame(200, 0)), 100);
  EXPECT_EQ(push_pull(h, flat_frame(100, 1)), 100);  // 0.5 * 100 + 0.5 * 100
  EXPECT_EQ(push_pull(h, flat_frame(0, 2)), 50);
  gst_harness_set_upstream_latency(h, 10 * GST_MSECOND);
  GstQuery* q = gst_query_new_latency();
  ASSERT_TRUE(gst_pad_peer_query(h->sinkpad, q));
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency(q, &live, &min, &max);
  EXPECT_EQ(min, 10 * GST_MSECOND) << "a recurrent model adds no latency";
  gst_query_unref(q);
  int latency_frames = -1;
  g_object_get(h->element, "latency-frames", &latency_frames, nullptr);
  EXPECT_EQ(latency_frames, 0);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleRecurrent, FlushResetsTheState) {
  GstHarness* h = harness(blend_model());
  EXPECT_EQ(push_pull(h, flat_frame(200, 0)), 100);
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_flush_start()));
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_flush_stop(TRUE)));
  EXPECT_EQ(push_pull(h, flat_frame(200, 0)), 100) << "the state before the flush leaked into the new stream";
  gst_harness_teardown(h);
}

TEST(VsrUpscaleRecurrent, DiscontinuityResetsTheState) {
  GstHarness* h = harness(blend_model());
  EXPECT_EQ(push_pull(h, flat_frame(200, 0)), 100);
  EXPECT_EQ(push_pull(h, flat_frame(200, 1)), 150);
  GstBuffer* jump = flat_frame(200, 50);
  GST_BUFFER_FLAG_SET(jump, GST_BUFFER_FLAG_DISCONT);
  EXPECT_EQ(push_pull(h, jump), 100);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleRecurrent, QosDropsALateFrameAndTheStateRestartsAtTheGap) {
  GstHarness* h = harness(blend_model());
  g_object_set(h->element, "qos", TRUE, nullptr);
  EXPECT_EQ(push_pull(h, flat_frame(200, 0)), 100);
  // Downstream is 2 frames behind at frame 1: anything up to frame 3's time is too late.
  ASSERT_TRUE(gst_harness_push_upstream_event(h, gst_event_new_qos(GST_QOS_TYPE_UNDERFLOW, 2.0, 2 * kFrame, kFrame)));
  EXPECT_EQ(push_pull(h, flat_frame(0, 2)), -1) << "a late frame was not dropped";
  // Without the reset the state would give 0.5 * 200 + 0.5 * 100 = 150.
  EXPECT_EQ(push_pull(h, flat_frame(200, 4)), 100) << "the model blended frames across the QoS gap";
  gst_harness_teardown(h);
}

TEST(VsrUpscaleRecurrent, WithoutQosNoFrameIsDropped) {
  GstHarness* h = harness(blend_model());  // qos is off by default
  ASSERT_TRUE(gst_harness_push_upstream_event(h, gst_event_new_qos(GST_QOS_TYPE_UNDERFLOW, 2.0, 10 * kFrame, 0)));
  for (int t = 0; t < 4; ++t) EXPECT_NE(push_pull(h, flat_frame(100, t)), -1) << "frame " << t;
  gst_harness_teardown(h);
}

TEST(VsrUpscaleSwitch, ModelChangeWhilePlayingTakesOverBetweenFrames) {
  GstHarness* h = harness(nearest_model(2));
  EXPECT_EQ(push_pull(h, flat_frame(77, 0)), 77);
  EXPECT_EQ(output_width(h), 16);
  // Same scale: no renegotiation; the next frame already runs the new model.
  g_object_set(h->element, "model", "espcn_x2", nullptr);
  EXPECT_NE(push_pull(h, flat_frame(77, 1)), -1);
  // A new scale: the caps are renegotiated before the frame is written.
  g_object_set(h->element, "model", nearest_model(3).c_str(), nullptr);
  GstBuffer* in = flat_frame(99, 2);
  ASSERT_EQ(gst_harness_push(h, in), GST_FLOW_OK);
  GstBuffer* out = gst_harness_pull(h);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(gst_buffer_get_size(out), 24u * 18u * 3u);
  EXPECT_EQ(first_byte(out), 99);
  EXPECT_EQ(GST_BUFFER_PTS(out), 2 * kFrame);
  gst_buffer_unref(out);
  EXPECT_EQ(output_width(h), 24);
  int scale = 0;
  g_object_get(h->element, "scale", &scale, nullptr);
  EXPECT_EQ(scale, 3);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleSwitch, HeldFramesOfAWindowModelComeOutBeforeTheSwitch) {
  GstHarness* h = harness(centre_frame_model());
  std::vector<std::pair<GstClockTime, int>> got;
  auto collect = [&] {
    while (GstBuffer* out = gst_harness_try_pull(h)) {
      got.emplace_back(GST_BUFFER_PTS(out), first_byte(out));
      gst_buffer_unref(out);
    }
  };
  ASSERT_EQ(gst_harness_push(h, flat_frame(10, 0)), GST_FLOW_OK);
  ASSERT_EQ(gst_harness_push(h, flat_frame(20, 1)), GST_FLOW_OK);
  collect();
  ASSERT_EQ(got.size(), 1u);  // frame 0; frame 1 is held
  g_object_set(h->element, "model", nearest_model(2).c_str(), nullptr);
  ASSERT_EQ(gst_harness_push(h, flat_frame(30, 2)), GST_FLOW_OK);
  collect();
  ASSERT_EQ(got.size(), 3u) << "frames in = frames out across the switch";
  for (int j = 0; j < 3; ++j) {
    EXPECT_EQ(got[j].first, j * kFrame);
    EXPECT_EQ(got[j].second, 10 * (j + 1));
  }
  gst_harness_teardown(h);
}

TEST(VsrUpscaleSwitch, AFailedSwitchKeepsTheRunningModelAndSaysWhy) {
  GstHarness* h = harness(nearest_model(2));
  EXPECT_EQ(push_pull(h, flat_frame(40, 0)), 40);
  g_object_set(h->element, "model", "/no/such/model.onnx", nullptr);
  gchar* model = nullptr;
  g_object_get(h->element, "model", &model, nullptr);
  EXPECT_EQ(std::string(model), nearest_model(2)) << "the property reads back the model still running";
  g_free(model);
  EXPECT_EQ(push_pull(h, flat_frame(50, 1)), 50);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleSwitch, ScaleOneIsPassthroughAndCanBeToggledWhilePlaying) {
  GstHarness* h = harness(nearest_model(2));
  EXPECT_EQ(push_pull(h, flat_frame(60, 0)), 60);
  EXPECT_EQ(output_width(h), 16);
  g_object_set(h->element, "scale", 1, nullptr);
  GstBuffer* in = flat_frame(61, 1);
  ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(in)), GST_FLOW_OK);
  GstBuffer* out = gst_harness_pull(h);
  EXPECT_EQ(out, in) << "passthrough hands the input buffer on untouched";
  EXPECT_EQ(output_width(h), 8);
  gst_buffer_unref(out);
  gst_buffer_unref(in);
  g_object_set(h->element, "scale", 0, nullptr);  // back to the model's scale
  EXPECT_EQ(push_pull(h, flat_frame(62, 2)), 62);
  EXPECT_EQ(output_width(h), 16);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleSwitch, AScaleTheModelDoesNotHaveIsRefused) {
  GstHarness* h = harness(nearest_model(2));
  EXPECT_EQ(push_pull(h, flat_frame(60, 0)), 60);
  g_object_set(h->element, "scale", 3, nullptr);
  int scale = 0;
  g_object_get(h->element, "scale", &scale, nullptr);
  EXPECT_EQ(scale, 2);
  EXPECT_EQ(push_pull(h, flat_frame(61, 1)), 61);
  EXPECT_EQ(output_width(h), 16);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleCapsChange, ResolutionAndFormatChangeMidStream) {
  GstHarness* h = harness(centre_frame_model());
  int outputs = 0;
  auto drain_outputs = [&] {
    while (GstBuffer* out = gst_harness_try_pull(h)) {
      ++outputs;
      gst_buffer_unref(out);
    }
  };
  for (int t = 0; t < 3; ++t) ASSERT_EQ(gst_harness_push(h, flat_frame(50, t)), GST_FLOW_OK);
  drain_outputs();
  EXPECT_EQ(outputs, 2);
  // New caps: the held frame goes out at the old size first.
  gst_harness_set_src_caps_str(h, "video/x-raw,format=I420,width=16,height=10,framerate=25/1");
  drain_outputs();
  EXPECT_EQ(outputs, 3);
  GstVideoInfo info;
  gst_video_info_set_format(&info, GST_VIDEO_FORMAT_I420, 16, 10);
  for (int t = 3; t < 6; ++t) {
    GstBuffer* b = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&info), nullptr);
    gst_buffer_memset(b, 0, 128, GST_VIDEO_INFO_SIZE(&info));
    GST_BUFFER_PTS(b) = t * kFrame;
    ASSERT_EQ(gst_harness_push(h, b), GST_FLOW_OK);
  }
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_eos()));
  GstVideoInfo out_info;
  gst_video_info_set_format(&out_info, GST_VIDEO_FORMAT_I420, 32, 20);
  while (GstBuffer* out = gst_harness_try_pull(h)) {
    ++outputs;
    EXPECT_EQ(gst_buffer_get_size(out), GST_VIDEO_INFO_SIZE(&out_info));
    gst_buffer_unref(out);
  }
  EXPECT_EQ(outputs, 6);
  EXPECT_EQ(output_width(h), 32);
  gst_harness_teardown(h);
}

}  // namespace

// vsrupscale with a window:3 model: outputs lag one frame, carry the timestamps of the frame they
// show, EOS drains the held frame, the latency query adds one frame, and a flush forgets held frames.
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include "plugin_test_util.h"

namespace {

using plugin_test::centre_frame_model;
using plugin_test::first_byte;
using plugin_test::flat_frame;

GstHarness* window_harness() {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", centre_frame_model().c_str(), nullptr);
  gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=8,height=6,framerate=25/1");
  return h;
}

TEST(VsrUpscaleWindow, OutputsLagOneFrameAndEosDrainsTheRest) {
  GstHarness* h = window_harness();
  std::vector<std::pair<GstClockTime, guint8>> got;
  for (int t = 0; t < 5; ++t) {
    ASSERT_EQ(gst_harness_push(h, flat_frame(static_cast<guint8>(10 + 30 * t), t)), GST_FLOW_OK);
    while (GstBuffer* out = gst_harness_try_pull(h)) {
      got.emplace_back(GST_BUFFER_PTS(out), first_byte(out));
      EXPECT_EQ(gst_buffer_get_size(out), 16u * 12u * 3u);
      gst_buffer_unref(out);
    }
    EXPECT_EQ(static_cast<int>(got.size()), t) << "after frame " << t;
  }
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_eos()));
  while (GstBuffer* out = gst_harness_try_pull(h)) {
    got.emplace_back(GST_BUFFER_PTS(out), first_byte(out));
    gst_buffer_unref(out);
  }
  ASSERT_EQ(got.size(), 5u);
  for (int j = 0; j < 5; ++j) {
    EXPECT_EQ(got[j].first, j * 40 * GST_MSECOND) << "frame " << j;
    EXPECT_EQ(got[j].second, 10 + 30 * j) << "frame " << j;  // the frame it shows matches its timestamp
  }
  gst_harness_teardown(h);
}

TEST(VsrUpscaleWindow, LatencyQueryAddsTheHeldFrame) {
  GstHarness* h = window_harness();
  gst_harness_set_upstream_latency(h, 10 * GST_MSECOND);
  ASSERT_EQ(gst_harness_push(h, flat_frame(50, 0)), GST_FLOW_OK);  // negotiates
  GstQuery* q = gst_query_new_latency();
  ASSERT_TRUE(gst_pad_peer_query(h->sinkpad, q));
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency(q, &live, &min, &max);
  EXPECT_EQ(min, 10 * GST_MSECOND + 40 * GST_MSECOND);
  gst_query_unref(q);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleWindow, FlushForgetsHeldFrames) {
  GstHarness* h = window_harness();
  ASSERT_EQ(gst_harness_push(h, flat_frame(50, 0)), GST_FLOW_OK);
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_flush_start()));
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_flush_stop(TRUE)));
  // After the flush the next frame is frame 0 of a new stream: its previous frame is itself.
  ASSERT_EQ(gst_harness_push(h, flat_frame(200, 10)), GST_FLOW_OK);
  ASSERT_EQ(gst_harness_push(h, flat_frame(100, 11)), GST_FLOW_OK);
  GstBuffer* out = gst_harness_try_pull(h);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(first_byte(out), 200);
  EXPECT_EQ(GST_BUFFER_PTS(out), 10 * 40 * GST_MSECOND);
  gst_buffer_unref(out);
  gst_harness_teardown(h);
}

}  // namespace

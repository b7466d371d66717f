// vsrupscale's caps and metas: odd sizes, fields that must pass through (PAR, interlace mode, chroma
// siting, colorimetry), sizes no input can produce, metas scaled with the frame, and clear errors
// for a model that does not fit the caps, fails on a frame, or asks for a backend this build lacks.
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <gtest/gtest.h>

#include "plugin_test_util.h"

namespace {

using namespace plugin_test;

GstCaps* output_caps_for(const std::string& model, const char* in_caps, int w, int h) {
  GstHarness* harness = gst_harness_new("vsrupscale");
  g_object_set(harness->element, "model", model.c_str(), nullptr);
  gst_harness_set_src_caps_str(harness, in_caps);
  GstBuffer* out = gst_harness_push_and_pull(harness, flat_frame(30, 0, w, h));
  EXPECT_NE(out, nullptr);
  if (out) gst_buffer_unref(out);
  GstCaps* caps = gst_pad_get_current_caps(harness->sinkpad);
  gst_harness_teardown(harness);
  return caps;
}

TEST(VsrUpscaleNegotiation, OddSizesDouble) {
  GstCaps* caps = output_caps_for(nearest_model(2), "video/x-raw,format=RGB,width=7,height=5,framerate=25/1", 7, 5);
  GstVideoInfo info;
  ASSERT_TRUE(gst_video_info_from_caps(&info, caps));
  EXPECT_EQ(GST_VIDEO_INFO_WIDTH(&info), 14);
  EXPECT_EQ(GST_VIDEO_INFO_HEIGHT(&info), 10);
  gst_caps_unref(caps);
}

TEST(VsrUpscaleNegotiation, AspectInterlaceChromaSiteAndColorimetryPassThrough) {
  GstCaps* caps = output_caps_for(nearest_model(2),
                                  "video/x-raw,format=RGB,width=8,height=6,framerate=30000/1001,pixel-aspect-ratio=4/3,"
                                  "interlace-mode=mixed,chroma-site=jpeg,colorimetry=bt601",
                                  8, 6);
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  int n = 0, d = 0;
  ASSERT_TRUE(gst_structure_get_fraction(s, "pixel-aspect-ratio", &n, &d));
  EXPECT_EQ(n * 3, d * 4);
  ASSERT_TRUE(gst_structure_get_fraction(s, "framerate", &n, &d));
  EXPECT_EQ(n, 30000);
  EXPECT_EQ(d, 1001);
  EXPECT_STREQ(gst_structure_get_string(s, "interlace-mode"), "mixed");
  EXPECT_STREQ(gst_structure_get_string(s, "chroma-site"), "jpeg");
  EXPECT_STREQ(gst_structure_get_string(s, "colorimetry"), "bt601");
  gst_caps_unref(caps);
}

// What the element accepts upstream when downstream insists on one size.
GstCaps* accepted_input_for(const char* downstream) {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", nearest_model(2).c_str(), nullptr);
  gst_harness_set_sink_caps_str(h, downstream);
  GstCaps* caps = gst_pad_peer_query_caps(h->srcpad, nullptr);
  gst_harness_teardown(h);
  return caps;
}

TEST(VsrUpscaleNegotiation, OutputSizesNoInputCanGiveAreRefusedUpstream) {
  GstCaps* odd = accepted_input_for("video/x-raw,format=RGB,width=15,height=10");
  EXPECT_TRUE(gst_caps_is_empty(odd)) << "no input is 7.5 pixels wide";
  gst_caps_unref(odd);
  GstCaps* even = accepted_input_for("video/x-raw,format=RGB,width=16,height=10,pixel-aspect-ratio=1/1");
  ASSERT_FALSE(gst_caps_is_empty(even));
  int w = 0, h = 0;
  const GstStructure* s = gst_caps_get_structure(even, 0);
  ASSERT_TRUE(gst_structure_get_int(s, "width", &w));
  ASSERT_TRUE(gst_structure_get_int(s, "height", &h));
  EXPECT_EQ(w, 8);
  EXPECT_EQ(h, 5);
  gst_caps_unref(even);
}

TEST(VsrUpscaleMeta, RegionOfInterestAndCropAreScaledWithTheFrame) {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", nearest_model(2).c_str(), nullptr);
  gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=8,height=6,framerate=25/1");
  GstBuffer* in = flat_frame(10, 0);
  gst_buffer_add_video_region_of_interest_meta(in, "face", 1, 2, 3, 4);
  GstVideoCropMeta* crop = gst_buffer_add_video_crop_meta(in);
  crop->x = 2;
  crop->y = 1;
  crop->width = 4;
  crop->height = 3;
  GstBuffer* out = gst_harness_push_and_pull(h, in);
  ASSERT_NE(out, nullptr);
  GstVideoRegionOfInterestMeta* roi = gst_buffer_get_video_region_of_interest_meta(out);
  ASSERT_NE(roi, nullptr) << "the ROI meta was dropped";
  EXPECT_EQ(roi->roi_type, g_quark_from_string("face"));
  EXPECT_EQ(roi->x, 2u);
  EXPECT_EQ(roi->y, 4u);
  EXPECT_EQ(roi->w, 6u);
  EXPECT_EQ(roi->h, 8u);
  GstVideoCropMeta* out_crop = gst_buffer_get_video_crop_meta(out);
  ASSERT_NE(out_crop, nullptr) << "the crop meta was dropped";
  EXPECT_EQ(out_crop->x, 4u);
  EXPECT_EQ(out_crop->y, 2u);
  EXPECT_EQ(out_crop->width, 8u);
  EXPECT_EQ(out_crop->height, 6u);
  gst_buffer_unref(out);
  gst_harness_teardown(h);
}

TEST(VsrUpscaleMeta, MetasFollowTheFrameAWindowModelShows) {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", centre_frame_model().c_str(), nullptr);
  gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=8,height=6,framerate=25/1");
  for (int t = 0; t < 2; ++t) {
    GstBuffer* in = flat_frame(10, t);
    gst_buffer_add_video_region_of_interest_meta(in, t == 0 ? "first" : "second", t, 0, 1, 1);
    ASSERT_EQ(gst_harness_push(h, in), GST_FLOW_OK);
  }
  GstBuffer* out = gst_harness_pull(h);  // frame 0, written when frame 1 arrived
  ASSERT_NE(out, nullptr);
  GstVideoRegionOfInterestMeta* roi = gst_buffer_get_video_region_of_interest_meta(out);
  ASSERT_NE(roi, nullptr);
  EXPECT_EQ(roi->roi_type, g_quark_from_string("first"));
  EXPECT_EQ(GST_BUFFER_PTS(out), 0u);
  gst_buffer_unref(out);
  gst_harness_teardown(h);
}

// A model fixed to 16x16 frames.
std::string fixed_size_model() {
  vsr::OnnxWriter w("fixed");
  w.add_input("x", {"1", "3", "16", "16"});
  w.add_initializer("scales", {4}, {1.0f, 1.0f, 2.0f, 2.0f});
  w.add_node("Resize", "up", {"x", "", "scales"}, {"y"}, {vsr::OnnxAttribute::string("mode", "nearest")});
  w.add_output("y", {"1", "3", "32", "32"});
  const auto path = temp_model("fixed16");
  w.save(path);
  return path;
}

// Loads (its probe runs at 16x16) but fails on frames of any other size: a Reshape to a fixed shape.
std::string fails_on_frames_model() {
  vsr::OnnxWriter w("brittle");
  w.add_input("x", {"1", "3", "h", "w"});
  w.add_initializer("k", {12, 3, 1, 1}, std::vector<float>(36, 0.25f));
  w.add_node("Conv", "expand", {"x", "k"}, {"c"});
  w.add_node("Constant", "fixed_shape", {}, {"shape"}, {vsr::OnnxAttribute::integers("value_ints", {1, 12, 16, 16})});
  w.add_node("Reshape", "brittle_reshape", {"c", "shape"}, {"r"});
  w.add_node("DepthToSpace", "up", {"r"}, {"y"}, {vsr::OnnxAttribute::integer("blocksize", 2)});
  w.add_output("y", {"1", "3", "H", "W"});
  const auto path = temp_model("brittle");
  w.save(path);
  return path;
}

TEST(VsrUpscaleErrors, AModelThatDoesNotFitTheCapsIsNamed) {
  const std::string error = pipeline_error("videotestsrc num-buffers=2 ! video/x-raw,format=RGB,width=20,height=16 ! "
                                           "vsrupscale model=" + fixed_size_model() + " ! fakesink");
  EXPECT_NE(error.find("takes only 16x16 frames"), std::string::npos) << error;
  EXPECT_NE(error.find("fixed16"), std::string::npos) << error;
}

TEST(VsrUpscaleErrors, AFrameTheEngineCannotRunStopsThePipelineNamingFrameAndNode) {
  const std::string error = pipeline_error("videotestsrc num-buffers=3 ! video/x-raw,format=RGB,width=20,height=16 ! "
                                           "vsrupscale model=" + fails_on_frames_model() + " ! fakesink");
  EXPECT_NE(error.find("frame 0 failed"), std::string::npos) << error;
  EXPECT_NE(error.find("brittle_reshape"), std::string::npos) << error;
}

TEST(VsrUpscaleErrors, ABackendThisBuildLacksIsAClearError) {
  const std::string error = pipeline_error("videotestsrc num-buffers=2 ! vsrupscale backend=cuda ! fakesink");
  EXPECT_NE(error.find("backend 'cuda'"), std::string::npos) << error;
}

}  // namespace

namespace {

TEST(VsrUpscaleErrors, ABufferSmallerThanTheCapsIsAnErrorNotAnOverrun) {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", plugin_test::nearest_model(2).c_str(), nullptr);
  gst_harness_set_src_caps_str(h, "video/x-raw,format=RGB,width=8,height=6,framerate=25/1");
  GstBus* bus = gst_bus_new();
  gst_element_set_bus(h->element, bus);
  GstBuffer* short_buffer = gst_buffer_new_allocate(nullptr, 8 * 3 * 5, nullptr);  // one row short
  EXPECT_EQ(gst_harness_push(h, short_buffer), GST_FLOW_ERROR);
  GstMessage* msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
  gst_object_unref(bus);
  ASSERT_NE(msg, nullptr) << "the failure was not reported on the bus";
  GError* err = nullptr;
  gchar* debug = nullptr;
  gst_message_parse_error(msg, &err, &debug);
  EXPECT_NE(std::string(debug).find("holds 120 bytes; RGB 8x6 needs 144"), std::string::npos) << debug;
  g_error_free(err);
  g_free(debug);
  gst_message_unref(msg);
  gst_harness_teardown(h);
}

}  // namespace

namespace {

TEST(VsrUpscaleNegotiation, CudaMemoryCapsAreRefusedCleanlyByAnEngineOnTheCpu) {
  GstHarness* h = gst_harness_new("vsrupscale");
  g_object_set(h->element, "model", plugin_test::nearest_model(2).c_str(), nullptr);
  gst_harness_set_src_caps_str(h, "video/x-raw(memory:CUDAMemory),format=RGB,width=8,height=6,framerate=25/1");
  EXPECT_EQ(gst_harness_push(h, plugin_test::flat_frame(10, 0)), GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown(h);
}

}  // namespace

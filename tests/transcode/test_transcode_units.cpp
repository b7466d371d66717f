// vsr-transcode's parts that need no media files: scene cuts, segment plans and shares, segment
// files (and their damage detection), pixel-format and colour decisions.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "pixel_formats.h"
#include "models/scene_cut.h"
#include "segment_file.h"
#include "segment_plan.h"
#include "transcode_job.h"
#include "vsr/error.h"
#include "../tiny_models.h"

namespace vsr::transcode {
namespace {

struct Gray {
  std::vector<uint8_t> pixels;
  Frame frame;
  Gray(int w, int h, uint8_t (*f)(int, int)) : pixels(static_cast<size_t>(w) * h) {
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) pixels[static_cast<size_t>(y) * w + x] = f(x, y);
    frame.format = PixelFormat::GRAY8;
    frame.width = w;
    frame.height = h;
    frame.planes[0] = {pixels.data(), w};
  }
};

TEST(SceneCut, MotionAndFadesAreNotCutsANewPictureIs) {
  Gray ramp(160, 90, [](int x, int y) { return static_cast<uint8_t>((x + y) % 200); });
  Gray moved(160, 90, [](int x, int y) { return static_cast<uint8_t>((x + 3 + y) % 200); });
  Gray brighter(160, 90, [](int x, int y) { return static_cast<uint8_t>((x + 3 + y) % 200 + 30); });
  Gray checker(160, 90, [](int x, int y) { return static_cast<uint8_t>(((x / 20 + y / 20) % 2) ? 250 : 5); });
  SceneCutDetector detector;
  EXPECT_FALSE(detector.is_cut(ramp.frame));  // the first frame never is
  EXPECT_FALSE(detector.is_cut(moved.frame)) << detector.last_score();
  EXPECT_FALSE(detector.is_cut(brighter.frame)) << detector.last_score();
  EXPECT_TRUE(detector.is_cut(checker.frame)) << detector.last_score();
  EXPECT_FALSE(detector.is_cut(checker.frame)) << detector.last_score();
  detector.reset();
  EXPECT_FALSE(detector.is_cut(ramp.frame));
}

TEST(SegmentPlan, SharesCoverEverySegmentOnce) {
  for (int segments : {1, 2, 7, 10}) {
    for (int shares : {1, 2, 3, 4}) {
      int next = 0;
      for (int i = 0; i < shares; ++i) {
        const auto [first, last] = share_range(segments, i, shares);
        EXPECT_EQ(first, next);
        EXPECT_LE(first, last);
        next = last;
      }
      EXPECT_EQ(next, segments);
    }
  }
  EXPECT_THROW(share_range(5, 3, 3), Error);
  EXPECT_THROW(share_range(5, -1, 3), Error);
  EXPECT_THROW(share_range(5, 0, 0), Error);
}

TEST(SegmentPlan, JsonRoundTripKeepsOpenEnds) {
  SegmentPlan plan;
  plan.time_base = {1, 90000};
  plan.frames = 30;
  plan.segments = {{0, INT64_MIN, 90000, 10}, {1, 90000, INT64_MAX, 20}};
  const SegmentPlan back = plan_from_json(to_json(plan));
  ASSERT_EQ(back.segments.size(), 2u);
  EXPECT_EQ(back.segments[0].start, INT64_MIN);
  EXPECT_EQ(back.segments[1].end, INT64_MAX);
  EXPECT_EQ(back.segments[1].frames, 20);
  EXPECT_EQ(back.time_base.den, 90000);
  EXPECT_TRUE(back.segments[0].contains(AV_NOPTS_VALUE));  // untimed frames belong to the first
  EXPECT_FALSE(back.segments[1].contains(89999));
}

TEST(SegmentFile, RoundTripAndDamageIsRefused) {
  const std::string path = (std::filesystem::temp_directory_path() / "vsr_segment_test.vsrseg").string();
  AVCodecParameters* par = avcodec_parameters_alloc();
  uint8_t headers[4] = {1, 2, 3, 4};
  par->extradata = static_cast<uint8_t*>(av_mallocz(sizeof headers + AV_INPUT_BUFFER_PADDING_SIZE));
  std::copy(headers, headers + 4, par->extradata);
  par->extradata_size = 4;
  {
    SegmentWriter w(path, {1, 1000}, *par);
    PacketPtr p = make_packet();
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(av_new_packet(p.get(), 5 + i), 0);
      p->pts = 40 * i;
      p->dts = 40 * i - 80;
      p->flags = i == 0 ? AV_PKT_FLAG_KEY : 0;
      w.write(*p);
      av_packet_unref(p.get());
    }
    EXPECT_FALSE(std::filesystem::exists(path)) << "visible before finish()";
    w.finish();
  }
  avcodec_parameters_free(&par);
  {
    SegmentReader r(path);
    EXPECT_EQ(r.extradata(), std::vector<uint8_t>(headers, headers + 4));
    PacketPtr p = make_packet();
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(r.next(p.get()));
      EXPECT_EQ(p->pts, 40 * i);
      EXPECT_EQ(p->dts, 40 * i - 80);  // negative decode times survive (NUT would lose them)
      EXPECT_EQ(p->size, 5 + i);
      av_packet_unref(p.get());
    }
    EXPECT_FALSE(r.next(p.get()));
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4);
  SegmentReader cut(path);
  PacketPtr p = make_packet();
  EXPECT_THROW(
      {
        while (cut.next(p.get())) av_packet_unref(p.get());
      },
      Error);
  std::remove(path.c_str());
}

TEST(PixelFormats, TenBitStaysTenBitAndChromaIsKept) {
  EXPECT_EQ(working_format(AV_PIX_FMT_YUV420P), AV_PIX_FMT_YUV420P);
  EXPECT_EQ(working_format(AV_PIX_FMT_YUV422P), AV_PIX_FMT_YUV444P);
  EXPECT_EQ(working_format(AV_PIX_FMT_YUV422P10LE), AV_PIX_FMT_YUV420P10LE);
  EXPECT_EQ(working_format(AV_PIX_FMT_GBRP), AV_PIX_FMT_RGB24);
  EXPECT_EQ(working_format(AV_PIX_FMT_YUVJ422P), AV_PIX_FMT_YUVJ444P);
  EXPECT_TRUE(implies_full_range(AV_PIX_FMT_YUVJ420P));
  EXPECT_EQ(*engine_twin(AV_PIX_FMT_P010LE), PixelFormat::P010_10LE);
  EXPECT_FALSE(engine_twin(AV_PIX_FMT_YUV422P));
}

TEST(PixelFormats, UnspecifiedColourIsResolvedLikePlayersDo) {
  const ColourTags sd = resolve_colour({}, AV_PIX_FMT_YUV420P, 576);
  EXPECT_EQ(sd.matrix, AVCOL_SPC_SMPTE170M);
  EXPECT_EQ(sd.range, AVCOL_RANGE_MPEG);
  const ColourTags hd = resolve_colour({}, AV_PIX_FMT_YUV420P, 720);
  EXPECT_EQ(hd.matrix, AVCOL_SPC_BT709);
  EXPECT_EQ(hd.primaries, AVCOL_PRI_BT709);
  EXPECT_EQ(resolve_colour({}, AV_PIX_FMT_YUVJ420P, 480).range, AVCOL_RANGE_JPEG);
  ColourTags tagged;
  tagged.matrix = AVCOL_SPC_BT2020_NCL;
  EXPECT_EQ(resolve_colour(tagged, AV_PIX_FMT_YUV420P10LE, 480).matrix, AVCOL_SPC_BT2020_NCL);
  EXPECT_EQ(engine_matrix(AVCOL_SPC_BT470BG), ColourMatrix::Bt601);
}

int64_t video_packets(const std::string& path) {
  InputSettings settings;
  settings.path = path;
  MediaInput input(settings);
  PacketPtr p = make_packet();
  int64_t n = 0;
  while (input.read(p.get())) {
    n += p->stream_index == input.video_index();
    av_packet_unref(p.get());
  }
  return n;
}

// A recurrent model (state carried frame to frame) through segments and a scene cut, segmented and
// streaming: every frame comes out once, the cut is found, and the engine's stream restarts cleanly.
TEST(TranscodeJob, RecurrentModelKeepsEveryFrameAcrossSegmentsAndACut) {
  const auto dir = std::filesystem::temp_directory_path() / "vsr_transcode_recurrent";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string model = tiny_models::blend_model((dir / "blend.onnx").string());
  const std::string clip = (dir / "in.mkv").string();
  const std::string make_clip =
      "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=64x48:rate=10 -f lavfi -i mandelbrot=size=64x48:rate=10 "
      "-filter_complex '[0]trim=0:1[a];[1]trim=0:1,setpts=PTS-STARTPTS[b];[a][b]concat' -c:v libx264 -g 5 " + clip;
  ASSERT_EQ(std::system(make_clip.c_str()), 0) << "ffmpeg could not make the test clip";

  JobSettings s;
  s.input.path = clip;
  s.model = model;
  s.segment_seconds = 0.5;
  s.progress = ProgressMode::None;
  s.engine.threads = 1;
  for (const bool streaming : {false, true}) {
    s.streaming = streaming;
    s.output = (dir / (streaming ? "streamed.mkv" : "segmented.mkv")).string();
    const JobSummary summary = run_job(s);
    EXPECT_EQ(summary.frames, 20) << summary.to_text();
    ASSERT_EQ(summary.scene_cuts_s.size(), 1u) << summary.to_text();
    EXPECT_NEAR(summary.scene_cuts_s[0], 1.0, 1e-6);
    EXPECT_EQ(summary.output_width, 64);
    EXPECT_EQ(video_packets(s.output), 20);
    EXPECT_EQ(summary.mode, streaming ? "streaming" : "segmented");
    if (!streaming) {
      EXPECT_GE(summary.segments, 3);
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vsr::transcode

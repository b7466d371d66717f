// Luma-only models in the frame path: the network runs on Y, chroma is upscaled by bicubic, and
// vsr.range / options map what the network sees.
#include <gtest/gtest.h>

#include <random>

#include "kernels/cpu/colour.h"
#include "vsr/engine.h"

namespace {

const std::string kLumaModel = std::string(VSR_SOURCE_DIR) + "/tests/fixtures/espcn_y_like.onnx";

struct I420 {
  int w, h;
  std::vector<uint8_t> bytes;
  vsr::Frame frame;
  I420(int width, int height) : w(width), h(height), bytes(static_cast<size_t>(w) * h * 3 / 2) {
    frame.format = vsr::PixelFormat::I420;
    frame.width = w;
    frame.height = h;
    frame.planes[0] = {bytes.data(), w};
    frame.planes[1] = {bytes.data() + w * h, w / 2};
    frame.planes[2] = {bytes.data() + w * h + (w / 2) * (h / 2), w / 2};
  }
};

TEST(EngineLuma, OneChannelModelIsDetectedAsLuma) {
  auto engine = vsr::Engine::open(kLumaModel);
  EXPECT_EQ(engine->info().colour, vsr::ModelColour::Y);
  EXPECT_EQ(engine->info().scale, 2);
}

TEST(EngineLuma, NetworkRunsOnTheYPlaneAndChromaIsTheBicubicUpscale) {
  auto engine = vsr::Engine::open(kLumaModel);
  I420 in(16, 12), out(32, 24);
  std::mt19937 rng(3);
  for (auto& b : in.bytes) b = static_cast<uint8_t>(16 + rng() % 200);
  engine->process(in.frame, out.frame);

  // Expected luma: the network on the normalised Y plane, rounded back to limited-range codes.
  vsr::PlanarImage y;
  y.channels = 1;
  y.width = 16;
  y.height = 12;
  y.values.resize(16 * 12);
  vsr::cpu::frame_to_planar_luma(in.frame, y.values.data());
  const auto hr = engine->run(y);
  int worst = 0;
  for (int i = 0; i < 32 * 24; ++i) {
    const float v = std::min(1.0f, std::max(0.0f, hr.values[i]));
    worst = std::max(worst, std::abs(int(out.bytes[i]) - int(std::lround(16 + 219 * v))));
  }
  EXPECT_LE(worst, 1);

  // Chroma does not depend on the network: a flat chroma plane stays flat.
  I420 flat(16, 12), flat_out(32, 24);
  std::fill(flat.bytes.begin(), flat.bytes.end(), 100);
  std::fill(flat.bytes.begin() + 16 * 12, flat.bytes.end(), 77);
  engine->process(flat.frame, flat_out.frame);
  for (size_t i = 32 * 24; i < flat_out.bytes.size(); ++i) ASSERT_EQ(flat_out.bytes[i], 77) << i;
}

TEST(EngineLuma, RangeOptionChangesWhatTheNetworkSees) {
  vsr::EngineOptions studio;
  studio.range = "studio";
  auto a = vsr::Engine::open(kLumaModel), b = vsr::Engine::open(kLumaModel, studio);
  EXPECT_EQ(b->info().range, "studio");
  I420 in(16, 12), out_a(32, 24), out_b(32, 24);
  std::mt19937 rng(4);
  for (auto& v : in.bytes) v = static_cast<uint8_t>(16 + rng() % 200);
  a->process(in.frame, out_a.frame);
  b->process(in.frame, out_b.frame);
  EXPECT_NE(out_a.bytes, out_b.bytes);
}

TEST(EngineLuma, ColourOverrideThatDoesNotFitTheModelIsRejected) {
  vsr::EngineOptions rgb;
  rgb.colour = "rgb";
  try {
    vsr::Engine::open(kLumaModel, rgb);
    FAIL() << "a 1-channel model opened as rgb";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("channels"), std::string::npos) << e.what();
  }
  vsr::EngineOptions bad;
  bad.range = "0-7";
  EXPECT_THROW(vsr::Engine::open(kLumaModel, bad), vsr::Error);
}

}  // namespace

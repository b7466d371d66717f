// Multi-frame streams with tiny window models whose output is computable by hand: a 1x1 convolution
// that mixes the previous, current and next frame with known weights.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/onnx_writer.h"
#include "tiny_models.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

// window:N model, scale 1: out = sum_k weights[k] * frame[k] (per channel), frames oldest first.
std::string window_model(const std::vector<float>& weights) {
  const int n = static_cast<int>(weights.size());
  vsr::OnnxWriter w("window");
  w.add_input("frames", {"1", std::to_string(3 * n), "h", "w"});
  std::vector<float> k(3 * 3 * n, 0.0f);
  for (int c = 0; c < 3; ++c)
    for (int f = 0; f < n; ++f) k[c * 3 * n + f * 3 + c] = weights[f];
  w.add_initializer("k", {3, 3 * n, 1, 1}, k);
  w.add_node("Conv", "mix", {"frames", "k"}, {"y"});
  w.add_output("y", {"1", "3", "h", "w"});
  w.set_metadata({{"vsr.temporal", "window:" + std::to_string(n)}});
  const auto path = (std::filesystem::temp_directory_path() / ("vsr_window" + std::to_string(n) + ".onnx")).string();
  w.save(path);
  return path;
}

using tiny_models::RgbFrame;

uint8_t frame_value(int t) { return static_cast<uint8_t>(20 + 40 * t); }

TEST(MultiFrame, WindowOfThreeSeesNeighboursWithEdgesReplicated) {
  auto engine = vsr::Engine::open(window_model({0.5f, 0.25f, 0.25f}));
  EXPECT_EQ(engine->info().latency_frames, 1);
  EXPECT_EQ(engine->info().temporal, "window:3");
  const int frames = 5;
  std::vector<int> got;
  RgbFrame out(4, 3, 0);
  for (int t = 0; t < frames; ++t) {
    RgbFrame in(4, 3, frame_value(t));
    if (engine->push(in.frame, out.frame)) got.push_back(out.bytes[0]);
    // The output lags by exactly the latency.
    EXPECT_EQ(static_cast<int>(got.size()), std::max(0, t));
  }
  while (engine->drain(out.frame)) got.push_back(out.bytes[0]);
  ASSERT_EQ(static_cast<int>(got.size()), frames);
  for (int j = 0; j < frames; ++j) {
    const double expected = 0.5 * frame_value(std::max(j - 1, 0)) + 0.25 * frame_value(j) +
                            0.25 * frame_value(std::min(j + 1, frames - 1));
    EXPECT_NEAR(got[j], expected, 0.51) << "frame " << j;
  }
  EXPECT_FALSE(engine->drain(out.frame));
}

TEST(MultiFrame, WindowOfFiveHasLatencyTwoAndEveryFrameComesOut) {
  auto engine = vsr::Engine::open(window_model({0.0f, 0.0f, 0.0f, 0.0f, 1.0f}));  // out = frame t+2
  EXPECT_EQ(engine->info().latency_frames, 2);
  RgbFrame out(2, 2, 0);
  std::vector<int> got;
  for (int t = 0; t < 4; ++t) {
    RgbFrame in(2, 2, frame_value(t));
    if (engine->push(in.frame, out.frame)) got.push_back(out.bytes[0]);
  }
  while (engine->drain(out.frame)) got.push_back(out.bytes[0]);
  // frame j shows frame min(j+2, 3): the future is the last frame repeated.
  EXPECT_EQ(got, (std::vector<int>{frame_value(2), frame_value(3), frame_value(3), frame_value(3)}));
}

TEST(MultiFrame, ResetStartsAFreshStreamAndSizeChangesNeedIt) {
  auto engine = vsr::Engine::open(window_model({1.0f, 0.0f, 0.0f}));  // out = previous frame
  RgbFrame out(4, 3, 0), a(4, 3, frame_value(1)), b(4, 3, frame_value(2));
  EXPECT_FALSE(engine->push(a.frame, out.frame));
  EXPECT_TRUE(engine->push(b.frame, out.frame));
  EXPECT_EQ(out.bytes[0], frame_value(1));  // frame 0's previous is itself
  RgbFrame bigger(6, 3, 0), big_out(6, 3, 0);
  EXPECT_THROW(engine->push(bigger.frame, big_out.frame), vsr::Error);
  engine->reset();
  EXPECT_FALSE(engine->drain(out.frame));  // nothing held after a reset
  EXPECT_FALSE(engine->push(bigger.frame, big_out.frame));
  EXPECT_TRUE(engine->drain(big_out.frame));
}

TEST(MultiFrame, WindowModelsRefuseProcess) {
  auto engine = vsr::Engine::open(window_model({0.25f, 0.5f, 0.25f}));
  RgbFrame in(4, 3, 9), out(4, 3, 0);
  EXPECT_THROW(engine->process(in.frame, out.frame), vsr::Error);
}

TEST(MultiFrame, SingleFrameModelsStreamWithoutLatency) {
  auto engine = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel));
  RgbFrame in(8, 6, 100), out(16, 12, 0);
  EXPECT_TRUE(engine->push(in.frame, out.frame));
  EXPECT_FALSE(engine->drain(out.frame));
}

TEST(MultiFrame, EvenOrOversizedWindowsAreRejectedAtLoad) {
  vsr::OnnxWriter w("even");
  w.add_input("frames", {"1", "6", "h", "w"});
  w.add_initializer("k", {3, 6, 1, 1}, std::vector<float>(18, 0.1f));
  w.add_node("Conv", "mix", {"frames", "k"}, {"y"});
  w.add_output("y", {"1", "3", "h", "w"});
  w.set_metadata({{"vsr.temporal", "window:2"}});
  const auto path = (std::filesystem::temp_directory_path() / "vsr_window_even.onnx").string();
  w.save(path);
  try {
    vsr::Engine::open(path);
    FAIL() << "window:2 accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("window:2"), std::string::npos) << e.what();
  }
}

}  // namespace

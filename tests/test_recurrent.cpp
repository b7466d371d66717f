// Recurrent models (vsr.temporal=recurrent) with tiny graphs whose output is computable by hand:
// out_t = 0.5 * frame_t + 0.5 * state_t, state_{t+1} = out_t, state_0 = 0. Constant frames of value
// v_t therefore give out_t = sum_k 0.5^(t-k+1) v_k: every output reveals whether the state was
// carried, dropped or reset.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/onnx_writer.h"
#include "tiny_models.h"
#include "vsr/engine.h"

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("vsr_recurrent_" + name + ".onnx")).string();
}

// Scale 1, state of 3 channels at the frame's size (tiny_models::blend_model).
std::string blend_model(bool state_first = false, const std::string& state_scale = "") {
  return tiny_models::blend_model(temp_path(state_first ? "blend_state_first" : "blend" + state_scale), state_first,
                                  state_scale);
}

// Scale 2 with the state at the output's size: out = 0.5 * nearest_x2(frame) + 0.5 * state.
std::string upscaling_model() {
  vsr::OnnxWriter w("upscale_blend");
  w.add_input("frame", {"1", "3", "h", "w"});
  w.add_input("hidden", {"1", "3", "H", "W"});
  w.add_initializer("scales", {4}, {1.0f, 1.0f, 2.0f, 2.0f});
  w.add_node("Resize", "up", {"frame", "", "scales"}, {"big"}, {vsr::OnnxAttribute::string("mode", "nearest")});
  w.add_node("Add", "sum", {"big", "hidden"}, {"summed"});
  w.add_initializer("half", {1}, {0.5f});
  w.add_node("Mul", "halve", {"summed", "half"}, {"image"});
  w.add_node("Identity", "keep", {"image"}, {"next_hidden"});
  w.add_output("image", {"1", "3", "H", "W"});
  w.add_output("next_hidden", {"1", "3", "H", "W"});
  w.set_metadata({{"vsr.temporal", "recurrent"}, {"vsr.state_scale", "2"}});
  const auto path = temp_path("upscale");
  w.save(path);
  return path;
}

using tiny_models::RgbFrame;

// What the blend gives for constant frames `values` pushed from a zero state.
std::vector<double> expected_blend(const std::vector<int>& values) {
  std::vector<double> out;
  double state = 0.0;
  for (int v : values) out.push_back(state = 0.5 * v + 0.5 * state);
  return out;
}

std::vector<int> push_all(vsr::Engine& engine, const std::vector<int>& values, int w, int h, int scale = 1) {
  std::vector<int> got;
  RgbFrame out(w * scale, h * scale, 0);
  for (int v : values) {
    RgbFrame in(w, h, static_cast<uint8_t>(v));
    EXPECT_TRUE(engine.push(in.frame, out.frame)) << "a recurrent model holds no frame back";
    got.push_back(out.bytes[0]);
    for (uint8_t b : out.bytes) EXPECT_EQ(b, out.bytes[0]) << "constant frames give constant outputs";
  }
  EXPECT_FALSE(engine.drain(out.frame));
  return got;
}

void expect_blend(const std::vector<int>& got, const std::vector<int>& values) {
  const auto want = expected_blend(values);
  ASSERT_EQ(got.size(), want.size());
  for (size_t t = 0; t < want.size(); ++t) EXPECT_NEAR(got[t], want[t], 0.51) << "frame " << t;
}

TEST(Recurrent, StateIsCarriedFromFrameToFrameWithNoLatency) {
  auto engine = vsr::Engine::open(blend_model());
  EXPECT_EQ(engine->info().temporal, "recurrent");
  EXPECT_EQ(engine->info().latency_frames, 0);
  EXPECT_EQ(engine->info().scale, 1);
  EXPECT_NE(engine->describe().find("state: hidden -> next_hidden"), std::string::npos) << engine->describe();
  const std::vector<int> values = {200, 200, 40, 120, 0, 255};
  expect_blend(push_all(*engine, values, 5, 3), values);
}

TEST(Recurrent, ResetReturnsToAZeroStateAndAllowsANewSize) {
  auto engine = vsr::Engine::open(blend_model());
  push_all(*engine, {250, 250, 250}, 4, 4);
  RgbFrame bigger(6, 4, 100), big_out(6, 4, 0);
  try {
    engine->push(bigger.frame, big_out.frame);
    FAIL() << "a size change without reset() was accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("frame 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("6x4"), std::string::npos) << e.what();
  }
  engine->reset();
  const std::vector<int> values = {100, 100};
  expect_blend(push_all(*engine, values, 6, 4), values);  // 50, 75: nothing of the 250s is left
}

TEST(Recurrent, StateInputAndOutputCanBeNamedByMetadata) {
  auto engine = vsr::Engine::open(blend_model(true));
  const std::vector<int> values = {80, 160, 240};
  expect_blend(push_all(*engine, values, 3, 2), values);
}

TEST(Recurrent, StateAtTheOutputSizeWithAnUpscalingModel) {
  auto engine = vsr::Engine::open(upscaling_model());
  EXPECT_EQ(engine->info().scale, 2);
  const std::vector<int> values = {64, 192, 128, 128};
  expect_blend(push_all(*engine, values, 3, 5, 2), values);
}

TEST(Recurrent, RecurrentModelsRefuseProcessAndRun) {
  auto engine = vsr::Engine::open(blend_model());
  RgbFrame in(4, 3, 9), out(4, 3, 0);
  EXPECT_THROW(engine->process(in.frame, out.frame), vsr::Error);
  vsr::PlanarImage planar{3, 2, 2, std::vector<float>(12, 0.5f)};
  EXPECT_THROW(engine->run(planar), vsr::Error);
}

TEST(Recurrent, AStateOfTheWrongSizeIsRefusedAtLoadNamingTheState) {
  try {
    vsr::Engine::open(blend_model(false, "2"));  // the state is really at 1x
    FAIL() << "vsr.state_scale=2 accepted for a state the size of the frame";
  } catch (const vsr::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("hidden"), std::string::npos) << m;
    EXPECT_NE(m.find("vsr.state_scale=2"), std::string::npos) << m;
  }
}

TEST(Recurrent, ARecurrentModelWithoutAStateInputIsRefused) {
  vsr::OnnxWriter w("no_state");
  w.add_input("frame", {"1", "3", "h", "w"});
  w.add_node("Identity", "copy", {"frame"}, {"image"});
  w.add_output("image", {"1", "3", "h", "w"});
  w.set_metadata({{"vsr.temporal", "recurrent"}});
  const auto path = temp_path("no_state");
  w.save(path);
  try {
    vsr::Engine::open(path);
    FAIL() << "a recurrent model with one input accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("two (the frame and the state)"), std::string::npos) << e.what();
  }
}

TEST(Recurrent, TwoInputsWithoutTheRecurrentTagAreRefused) {
  vsr::OnnxWriter w("two_inputs");
  w.add_input("frame", {"1", "3", "h", "w"});
  w.add_input("other", {"1", "3", "h", "w"});
  w.add_node("Add", "sum", {"frame", "other"}, {"image"});
  w.add_output("image", {"1", "3", "h", "w"});
  const auto path = temp_path("two_inputs");
  w.save(path);
  try {
    vsr::Engine::open(path);
    FAIL() << "two inputs accepted for a single-frame model";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("vsr.temporal=recurrent"), std::string::npos) << e.what();
  }
}

}  // namespace

// Tiny models whose output is computable by hand, and flat RGB frames, shared by the engine's and the
// plugin's multi-frame tests.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "models/onnx_writer.h"
#include "vsr/frame.h"

namespace tiny_models {

// A w x h RGB frame of one value that owns its bytes (rows of exactly 3 * w bytes).
struct RgbFrame {
  std::vector<uint8_t> bytes;
  vsr::Frame frame;
  RgbFrame(int w, int h, uint8_t value) : bytes(static_cast<size_t>(w) * h * 3, value) {
    frame.width = w;
    frame.height = h;
    frame.planes[0] = {bytes.data(), w * 3};
  }
};

// Recurrent, x1: out = 0.5 * frame + 0.5 * state, next state = out (state 0 at a stream's start).
// `state_first` declares the state input and output before the frame and image, named by
// vsr.state_input / vsr.state_output; `state_scale` is written as vsr.state_scale when set.
inline std::string blend_model(const std::string& path, bool state_first = false, const std::string& state_scale = "") {
  vsr::OnnxWriter w("blend");
  const std::vector<std::string> dims = {"1", "3", "h", "w"};
  if (state_first) w.add_input("hidden", dims);
  w.add_input("frame", dims);
  if (!state_first) w.add_input("hidden", dims);
  w.add_node("Concat", "stack", {"frame", "hidden"}, {"both"}, {vsr::OnnxAttribute::integer("axis", 1)});
  std::vector<float> k(3 * 6, 0.0f);
  for (int c = 0; c < 3; ++c) k[c * 6 + c] = k[c * 6 + 3 + c] = 0.5f;
  w.add_initializer("k", {3, 6, 1, 1}, k);
  w.add_node("Conv", "mix", {"both", "k"}, {"image"});
  w.add_node("Identity", "keep", {"image"}, {"next_hidden"});
  if (state_first) w.add_output("next_hidden", dims);
  w.add_output("image", dims);
  if (!state_first) w.add_output("next_hidden", dims);
  std::map<std::string, std::string> meta = {{"vsr.temporal", "recurrent"}};
  if (state_first) {
    meta["vsr.state_input"] = "hidden";
    meta["vsr.state_output"] = "next_hidden";
  }
  if (!state_scale.empty()) meta["vsr.state_scale"] = state_scale;
  w.set_metadata(meta);
  w.save(path);
  return path;
}

// Interpolation (vsr.temporal=interpolate), x1: out = frame0 + t * (frame1 - frame0), the linear
// blend at time t. `multiple` is written as vsr.size_multiple (frames are padded to it and cropped).
inline std::string blend_interpolation_model(const std::string& path, int multiple = 1) {
  vsr::OnnxWriter w("blend_at_t");
  w.add_input("frames", {"1", "7", "h", "w"});
  w.add_int_initializer("parts", {3}, {3, 3, 1});
  w.add_node("Split", "split", {"frames", "parts"}, {"f0", "f1", "t"}, {vsr::OnnxAttribute::integer("axis", 1)});
  w.add_node("Sub", "difference", {"f1", "f0"}, {"d"});
  w.add_node("Mul", "scaled", {"d", "t"}, {"td"});
  w.add_node("Add", "blend", {"f0", "td"}, {"image"});
  w.add_output("image", {"1", "3", "h", "w"});
  w.set_metadata({{"vsr.temporal", "interpolate"}, {"vsr.size_multiple", std::to_string(multiple)},
                  {"vsr.arch", "blend"}});
  w.save(path);
  return path;
}

}  // namespace tiny_models

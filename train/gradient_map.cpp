#include "gradient_map.h"

#include <vector>

namespace vsr::train {

std::string export_gradient_map(OnnxWriter& w, const std::string& p, const std::string& input, int colours) {
  w.add_int_initializer(p + ".pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  w.add_node("Pad", p + ".pad", {input, p + ".pads"}, {p + ".padded"}, {OnnxAttribute::string("mode", "edge")});
  // Output 2c is colour c's dx, 2c + 1 its dy: (right - left) / 2 and (below - above) / 2.
  std::vector<float> diff(static_cast<size_t>(2 * colours * 9), 0.0f);
  for (int c = 0; c < colours; ++c) {
    float* dx = &diff[static_cast<size_t>(2 * c * 9)];
    float* dy = dx + 9;
    dx[3] = -0.5f, dx[5] = 0.5f;
    dy[1] = -0.5f, dy[7] = 0.5f;
  }
  w.add_initializer(p + ".diff.weight", {2 * colours, 1, 3, 3}, diff);
  w.add_initializer(p + ".diff.bias", {2 * colours}, std::vector<float>(static_cast<size_t>(2 * colours), 0.0f));
  w.add_node("Conv", p + ".diff", {p + ".padded", p + ".diff.weight", p + ".diff.bias"}, {p + ".d"},
             {OnnxAttribute::integers("kernel_shape", {3, 3}), OnnxAttribute::integer("group", colours)});
  w.add_node("Mul", p + ".square", {p + ".d", p + ".d"}, {p + ".d2"});
  w.add_initializer(p + ".sum.weight", {colours, 2, 1, 1}, std::vector<float>(static_cast<size_t>(2 * colours), 1.0f));
  w.add_initializer(p + ".sum.bias", {colours}, std::vector<float>(static_cast<size_t>(colours), 1e-6f));
  w.add_node("Conv", p + ".sum", {p + ".d2", p + ".sum.weight", p + ".sum.bias"}, {p + ".sum2"},
             {OnnxAttribute::integers("kernel_shape", {1, 1}), OnnxAttribute::integer("group", colours)});
  w.add_node("Sqrt", p + ".sqrt", {p + ".sum2"}, {p + "_out"});
  return p + "_out";
}

}  // namespace vsr::train

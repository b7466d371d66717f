#include "warp.h"

#include "sr_model.h"

namespace vsr::train {

namespace F = torch::nn::functional;

torch::Tensor backward_warp(const torch::Tensor& image, const torch::Tensor& flow) {
  const int64_t H = image.size(2), W = image.size(3);
  // float arithmetic, as the engine computes these from the run-time shape
  const float scale_x = 2.0f / static_cast<float>(W), offset_x = 1.0f / static_cast<float>(W) - 1.0f;
  const float scale_y = 2.0f / static_cast<float>(H), offset_y = 1.0f / static_cast<float>(H) - 1.0f;
  const auto columns = torch::arange(W, flow.options()).view({1, 1, W});
  const auto rows = torch::arange(H, flow.options()).view({1, H, 1});
  const auto gx = (flow.select(1, 0) + columns) * scale_x + offset_x;
  const auto gy = (flow.select(1, 1) + rows) * scale_y + offset_y;
  return F::grid_sample(image, torch::stack({gx, gy}, 3),
                        F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
}

GridParts export_grid_parts(OnnxWriter& w, const std::string& input) {
  w.add_int_initializer("grid.axis_h", {}, {2});
  w.add_int_initializer("grid.axis_w", {}, {3});
  w.add_int_initializer("grid.zero", {}, {0});
  w.add_int_initializer("grid.one", {}, {1});
  w.add_int_initializer("grid.column_axis", {1}, {1});
  w.add_initializer("grid.two_f", {}, {2.0f});
  w.add_initializer("grid.one_f", {}, {1.0f});
  const std::string shape = export_node(w, "Shape", "grid.shape", {input});
  GridParts g;
  auto axis = [&](const std::string& tag, const std::string& index, std::string& scale, std::string& offset) {
    const std::string size = export_node(w, "Gather", "grid." + tag + "_size", {shape, index},
                                         {OnnxAttribute::integer("axis", 0)});
    const std::string positions = export_node(w, "Range", "grid." + tag + "_range", {"grid.zero", size, "grid.one"});
    const std::string positions_f = export_node(w, "Cast", "grid." + tag + "_positions", {positions},
                                                {OnnxAttribute::integer("to", 1)});
    const std::string size_f = export_node(w, "Cast", "grid." + tag + "_size_f", {size}, {OnnxAttribute::integer("to", 1)});
    scale = export_node(w, "Div", "grid." + tag + "_scale", {"grid.two_f", size_f});
    offset = export_node(w, "Sub", "grid." + tag + "_offset",
                         {export_node(w, "Div", "grid." + tag + "_inverse", {"grid.one_f", size_f}), "grid.one_f"});
    return positions_f;
  };
  g.columns = axis("x", "grid.axis_w", g.scale_x, g.offset_x);
  g.rows = export_node(w, "Unsqueeze", "grid.rows", {axis("y", "grid.axis_h", g.scale_y, g.offset_y), "grid.column_axis"});
  return g;
}

std::string export_warp(OnnxWriter& w, const std::string& name, const std::string& image, const std::string& flow,
                        const GridParts& g) {
  w.add_int_initializer(name + ".parts", {2}, {1, 1});
  w.add_node("Split", name + ".split", {flow, name + ".parts"}, {name + ".fx", name + ".fy"},
             {OnnxAttribute::integer("axis", 1)});
  // Same operation order as backward_warp: (flow + position) * scale + offset.
  const std::string gx = export_node(
      w, "Add", name + ".gx",
      {export_node(w, "Mul", name + ".sx", {export_node(w, "Add", name + ".px", {name + ".fx", g.columns}), g.scale_x}),
       g.offset_x});
  const std::string gy = export_node(
      w, "Add", name + ".gy",
      {export_node(w, "Mul", name + ".sy", {export_node(w, "Add", name + ".py", {name + ".fy", g.rows}), g.scale_y}),
       g.offset_y});
  const std::string grid = export_node(w, "Transpose", name + ".grid", {export_concat(w, name + ".xy", {gx, gy})},
                                       {OnnxAttribute::integers("perm", {0, 2, 3, 1})});
  return export_node(w, "GridSample", name, {image, grid},
                     {OnnxAttribute::string("mode", "bilinear"), OnnxAttribute::string("padding_mode", "border"),
                      OnnxAttribute::integer("align_corners", 0)});
}

}  // namespace vsr::train

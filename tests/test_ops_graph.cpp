// The Step 2 ops as nodes: make_op's load-time validation (errors name the node) and whole models
// written with OnnxWriter run through Engine at several input sizes (dynamic H/W patterns).
#include "op_test_helpers.h"

namespace vsr {
namespace {

using namespace op_test;

// ------------------------------------------------------------------------- make_op: nodes, load checks

NodeAttribute attr_int(int64_t v) {
  NodeAttribute a;
  a.i = v;
  return a;
}
NodeAttribute attr_ints(std::vector<int64_t> v) {
  NodeAttribute a;
  a.ints = std::move(v);
  return a;
}
NodeAttribute attr_string(std::string v) {
  NodeAttribute a;
  a.s = std::move(v);
  return a;
}

GraphNode make_node(std::string op, std::string name, std::vector<std::string> inputs, std::vector<std::string> outputs,
                    std::map<std::string, NodeAttribute> attributes = {}) {
  GraphNode n;
  n.op_type = std::move(op);
  n.name = std::move(name);
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  n.attributes = std::move(attributes);
  return n;
}

struct Constants {
  std::map<std::string, Tensor> tensors;
  ConstantLookup lookup() const {
    return [this](const std::string& name) -> const Tensor* {
      auto it = tensors.find(name);
      return it == tensors.end() ? nullptr : &it->second;
    };
  }
};

std::unique_ptr<Op> build(const GraphNode& n, const Constants& c) { return make_op(n, c.lookup(), {false, {}, {}}); }

// Runs a single-output op on `inputs` (constants are passed as inputs too, as the plan does).
Tensor run_op(Op& op, std::vector<const Tensor*> inputs) {
  Tensor y;
  op.run(inputs, y);
  return y;
}

TEST(OpRegistry, EveryNewOpIsSupported) {
  for (const char* t : {"Split", "Slice", "GlobalAveragePool", "GridSample", "Shape", "Gather", "Unsqueeze", "Squeeze",
                        "Cast", "Floor", "Ceil", "ConstantOfShape", "Expand", "Transpose", "Pad", "Concat", "Reshape", "Range"})
    EXPECT_TRUE(is_supported_op(t)) << t;
  EXPECT_FALSE(is_supported_op("Softmax"));
}

TEST(OpRegistry, SplitAttributeFormAndInputForm) {
  const Tensor x = iota({1, 3, 1, 1});
  Constants c;
  c.tensors["sizes"] = ints({2}, {2, 1});
  // Opset 11: 'split' attribute.
  auto old_form = build(make_node("Split", "split11", {"x"}, {"a", "b"}, {{"axis", attr_int(1)}, {"split", attr_ints({1, 2})}}), c);
  Tensor a, b;
  std::vector<Tensor*> outs = {&a, &b};
  old_form->run({&x}, outs);
  expect_floats(a, {1, 1, 1, 1}, {0});
  expect_floats(b, {1, 2, 1, 1}, {1, 2});
  // Opset 13: 'split' input.
  auto new_form = build(make_node("Split", "split13", {"x", "sizes"}, {"a", "b"}, {{"axis", attr_int(1)}}), c);
  new_form->run({&x, &c.tensors["sizes"]}, outs);
  expect_floats(a, {1, 2, 1, 1}, {0, 1});
  expect_floats(b, {1, 1, 1, 1}, {2});
  // Sizes that cannot match the outputs fail at load, naming the node.
  const std::string msg = error_of([&] {
    build(make_node("Split", "bad_split", {"x"}, {"a", "b"}, {{"split", attr_ints({1, 1, 1})}}), c);
  });
  EXPECT_NE(msg.find("bad_split"), std::string::npos) << msg;
}

TEST(OpRegistry, SliceWithRuntimeStartsAndAttributeForm) {
  Constants c;
  c.tensors["axes"] = ints({1}, {-1});
  auto op = build(make_node("Slice", "crop", {"x", "starts", "ends", "axes"}, {"y"}), c);
  const Tensor x = iota({1, 1, 1, 6}), starts = ints({1}, {1}), ends = ints({1}, {-1});
  expect_floats(run_op(*op, {&x, &starts, &ends, &c.tensors["axes"]}), {1, 1, 1, 4}, {1, 2, 3, 4});
  const Tensor bad = floats({1}, {1});  // a float tensor where int64 starts are expected
  EXPECT_NE(error_of([&] { run_op(*op, {&x, &bad, &ends, &c.tensors["axes"]}); }), "");
  auto v1 = build(make_node("Slice", "crop1", {"x"}, {"y"},
                            {{"starts", attr_ints({2})}, {"ends", attr_ints({kInt64Max})}, {"axes", attr_ints({3})}}), c);
  expect_floats(run_op(*v1, {&x}), {1, 1, 1, 4}, {2, 3, 4, 5});
  c.tensors["zero"] = ints({1}, {0});
  const std::string msg = error_of([&] { build(make_node("Slice", "zero_step", {"x", "s", "e", "", "zero"}, {"y"}), c); });
  EXPECT_NE(msg.find("zero_step"), std::string::npos) << msg;
}

TEST(OpRegistry, SqueezeUnsqueezeAttributeAndInputForms) {
  Constants c;
  c.tensors["axes"] = ints({1}, {0});
  c.tensors["twice"] = ints({2}, {1, 1});
  const Tensor s = ints({}, {480});
  auto v11 = build(make_node("Unsqueeze", "u11", {"s"}, {"y"}, {{"axes", attr_ints({0})}}), c);
  expect_ints(run_op(*v11, {&s}), {1}, {480});
  auto v13 = build(make_node("Unsqueeze", "u13", {"s", "axes"}, {"y"}), c);
  expect_ints(run_op(*v13, {&s, &c.tensors["axes"]}), {1}, {480});
  const Tensor v = ints({1}, {480});
  auto sq = build(make_node("Squeeze", "sq", {"v", "axes"}, {"y"}), c);
  expect_ints(run_op(*sq, {&v, &c.tensors["axes"]}), {}, {480});
  std::string msg = error_of([&] { build(make_node("Unsqueeze", "dup_axes", {"s", "twice"}, {"y"}), c); });
  EXPECT_NE(msg.find("dup_axes"), std::string::npos) << msg;
  msg = error_of([&] { build(make_node("Unsqueeze", "no_axes", {"s"}, {"y"}), c); });
  EXPECT_NE(msg.find("no_axes"), std::string::npos) << msg;
}

TEST(OpRegistry, LoadTimeAttributeChecksNameTheNode) {
  Constants c;
  c.tensors["huge"] = ints({2}, {1 << 20, 1 << 20});
  c.tensors["pads_c"] = ints({8}, {0, 1, 0, 0, 0, 0, 0, 0});
  const std::vector<std::pair<GraphNode, std::string>> bad = {
      {make_node("ConstantOfShape", "absurd_cos", {"huge"}, {"y"}), "2^30"},
      {make_node("Expand", "absurd_expand", {"x", "huge"}, {"y"}), "2^30"},
      {make_node("Cast", "cast_bool", {"x"}, {"y"}, {{"to", attr_int(9)}}), "data type 9"},
      {make_node("GridSample", "gs_cubic", {"x", "g"}, {"y"}, {{"mode", attr_string("bicubic")}}), "bicubic"},
      {make_node("GridSample", "gs_pad", {"x", "g"}, {"y"}, {{"padding_mode", attr_string("wrap")}}), "wrap"},
      {make_node("GridSample", "gs_align", {"x", "g"}, {"y"}, {{"align_corners", attr_int(2)}}), "align_corners"},
      {make_node("Pad", "pad_channels", {"x", "pads_c"}, {"y"}), "spatial"},
      {make_node("Pad", "pad_wrap", {"x", "pads_c"}, {"y"}, {{"mode", attr_string("wrap")}}), "wrap"},
      {make_node("Transpose", "bad_perm", {"x"}, {"y"}, {{"perm", attr_ints({0, 2, 2, 1})}}), "perm"},
      {make_node("Resize", "resize_nothing", {"x", "", "", ""}, {"y"}), "scales or sizes"},
      {make_node("Add", "half_add", {"x", ""}, {"y"}), "missing"},
      {make_node("Concat", "gap_concat", {"a", "", "b"}, {"y"}, {{"axis", attr_int(0)}}), "missing"},
      {make_node("Range", "short_range", {"a", "b"}, {"y"}), "missing"},
  };
  for (const auto& [node, fragment] : bad) {
    const std::string msg = error_of([&] { build(node, c); });
    EXPECT_NE(msg.find(node.name), std::string::npos) << node.name << ": " << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << node.name << ": " << msg;
  }
}

TEST(OpRegistry, ResizeTakesSizesAndScalesAtRunTime) {
  Constants c;  // nothing constant: both targets are computed per frame
  auto by_sizes = build(make_node("Resize", "rs", {"x", "", "", "sizes"}, {"y"},
                                  {{"coordinate_transformation_mode", attr_string("asymmetric")},
                                   {"nearest_mode", attr_string("floor")}}), c);
  const Tensor x = iota({1, 1, 2, 2});
  Tensor sizes = ints({4}, {1, 1, 4, 2});
  expect_floats(run_op(*by_sizes, {&x, nullptr, nullptr, &sizes}), {1, 1, 4, 2}, {0, 1, 0, 1, 2, 3, 2, 3});
  sizes = ints({4}, {1, 2, 4, 4});  // changes C
  EXPECT_NE(error_of([&] { run_op(*by_sizes, {&x, nullptr, nullptr, &sizes}); }), "");
  sizes = ints({4}, {1, 1, 1 << 20, 1 << 20});
  EXPECT_NE(error_of([&] { run_op(*by_sizes, {&x, nullptr, nullptr, &sizes}); }).find("2^30"), std::string::npos);
  const Tensor float_sizes = floats({4}, {1, 1, 4, 4});
  EXPECT_NE(error_of([&] { run_op(*by_sizes, {&x, nullptr, nullptr, &float_sizes}); }), "");

  auto by_scales = build(make_node("Resize", "rsc", {"x", "", "scales"}, {"y"}), c);
  Tensor scales = floats({4}, {1, 1, 1, 2});
  expect_floats(run_op(*by_scales, {&x, nullptr, &scales}), {1, 1, 2, 4}, {0, 0, 1, 1, 2, 2, 3, 3});
  scales = floats({4}, {2, 1, 1, 1});  // scales N
  EXPECT_NE(error_of([&] { run_op(*by_scales, {&x, nullptr, &scales}); }), "");
  scales = floats({4}, {1, 1, 1e9f, 1e9f});
  EXPECT_NE(error_of([&] { run_op(*by_scales, {&x, nullptr, &scales}); }).find("2^30"), std::string::npos);
}

TEST(OpRegistry, BinaryOpsRefuseMixedTypesAndFloatOpsRefuseInts) {
  Constants c;
  auto mul = build(make_node("Mul", "m", {"a", "b"}, {"y"}), c);
  const Tensor i = ints({1}, {2}), f = floats({1}, {2});
  expect_ints(run_op(*mul, {&i, &i}), {1}, {4});
  expect_floats(run_op(*mul, {&f, &f}), {1}, {4});
  EXPECT_NE(error_of([&] { run_op(*mul, {&i, &f}); }), "");
  auto relu = build(make_node("Relu", "r", {"a"}, {"y"}), c);
  EXPECT_NE(error_of([&] { run_op(*relu, {&i}); }), "");
  auto gs = build(make_node("GridSample", "gs", {"x", "g"}, {"y"}), c);
  const Tensor x = iota({1, 1, 2, 2}), g = ints({1, 1, 1, 2}, {0, 0});
  EXPECT_NE(error_of([&] { run_op(*gs, {&x, &g}); }), "");
}

TEST(OpRegistry, PadInputAndAttributeForms) {
  Constants c;
  c.tensors["pads"] = ints({8}, {0, 0, 0, 1, 0, 0, 0, 2});
  c.tensors["value"] = floats({}, {7});
  const Tensor x = floats({1, 1, 1, 2}, {1, 2});
  auto v11 = build(make_node("Pad", "p11", {"x", "pads", "value"}, {"y"}), c);
  expect_floats(run_op(*v11, {&x, &c.tensors["pads"], &c.tensors["value"]}), {1, 1, 1, 5}, {7, 1, 2, 7, 7});
  NodeAttribute value;
  value.f = 3;
  auto v2 = build(make_node("Pad", "p2", {"x"}, {"y"}, {{"pads", attr_ints({0, 0, 0, 1, 0, 0, 0, 0})}, {"value", value}}), c);
  expect_floats(run_op(*v2, {&x}), {1, 1, 1, 3}, {3, 1, 2});
  auto reflect = build(make_node("Pad", "pr", {"x", "pads"}, {"y"}, {{"mode", attr_string("reflect")}}), c);
  expect_floats(run_op(*reflect, {&x, &c.tensors["pads"]}), {1, 1, 1, 5}, {2, 1, 2, 1, 2});
  // Runtime pads that touch the channel axis fail on the frame, not with a crash.
  auto dynamic = build(make_node("Pad", "pd", {"x", "runtime_pads"}, {"y"}), c);
  const Tensor bad = ints({8}, {0, 1, 0, 0, 0, 0, 0, 0});
  EXPECT_NE(error_of([&] { run_op(*dynamic, {&x, &bad}); }), "");
}

// -------------------------------------------------------------------- Engine: written models, dynamic H/W

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("vsr_test_more_" + name)).string();
}

// OnnxWriter has float initializers only; int64 constants come out of Cast nodes, which the plan
// folds at load (as it does PyTorch's Constant nodes).
void int_constant(OnnxWriter& w, const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& v) {
  w.add_initializer(name + "_f", dims, v);
  w.add_node("Cast", "cast_" + name, {name + "_f"}, {name}, {OnnxAttribute::integer("to", 7)});
}

PlanarImage random_image(int h, int w) {
  PlanarImage im;
  im.channels = 3, im.height = h, im.width = w;
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  im.values.resize(size_t(3) * h * w);
  for (float& v : im.values) v = dist(rng());
  return im;
}

float pixel(const PlanarImage& im, int c, int y, int x) { return im.values[(size_t(c) * im.height + y) * im.width + x]; }

std::string open_error(const std::string& path) {
  return error_of([&] { Engine::open(path); });
}

TEST(EngineDynamicShapes, ShapeGatherUnsqueezeConcatResizeSizes) {
  // sizes = Concat(Shape(x)[0:2], Unsqueeze(Shape(x)[2] * 2), Unsqueeze(Shape(x)[3] * 2)), as PyTorch
  // exports F.interpolate(x, size=(2*h, 2*w)) with dynamic axes.
  OnnxWriter w("dynamic_resize");
  w.add_input("x", {"1", "3", "h", "w"});
  int_constant(w, "two", {}, {2});
  int_constant(w, "i2", {}, {2});
  int_constant(w, "i3", {}, {3});
  int_constant(w, "axes0", {1}, {0});
  int_constant(w, "begin", {1}, {0});
  int_constant(w, "end", {1}, {2});
  w.add_node("Shape", "shape", {"x"}, {"s"});
  w.add_node("Slice", "nc", {"s", "begin", "end"}, {"s_nc"});
  w.add_node("Gather", "gather_h", {"s", "i2"}, {"h"}, {OnnxAttribute::integer("axis", 0)});
  w.add_node("Gather", "gather_w", {"s", "i3"}, {"w"}, {OnnxAttribute::integer("axis", 0)});
  w.add_node("Mul", "h2", {"h", "two"}, {"h_2"});
  w.add_node("Mul", "w2", {"w", "two"}, {"w_2"});
  w.add_node("Unsqueeze", "uh", {"h_2", "axes0"}, {"h_u"});
  w.add_node("Unsqueeze", "uw", {"w_2", "axes0"}, {"w_u"});
  w.add_node("Concat", "sizes", {"s_nc", "h_u", "w_u"}, {"size4"}, {OnnxAttribute::integer("axis", 0)});
  w.add_node("Resize", "upscale", {"x", "", "", "size4"}, {"y"},
             {OnnxAttribute::string("mode", "nearest"), OnnxAttribute::string("coordinate_transformation_mode", "asymmetric"),
              OnnxAttribute::string("nearest_mode", "floor")});
  w.add_output("y", {"1", "3", "H", "W"});
  const std::string path = temp_path("dynamic_resize.onnx");
  w.save(path);
  auto engine = Engine::open(path);
  EXPECT_EQ(engine->info().scale, 2);
  for (auto [h, wd] : {std::pair{5, 7}, std::pair{8, 3}, std::pair{5, 7}}) {
    const PlanarImage in = random_image(h, wd);
    const PlanarImage out = engine->run(in);
    ASSERT_EQ(out.height, 2 * h);
    ASSERT_EQ(out.width, 2 * wd);
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 2 * h; ++y)
        for (int x = 0; x < 2 * wd; ++x)
          ASSERT_EQ(pixel(out, c, y, x), pixel(in, c, y / 2, x / 2)) << h << "x" << wd << " c=" << c << " y=" << y << " x=" << x;
  }
}

TEST(EngineDynamicShapes, SplitOutputsFeedTwoConsumers) {
  // Split x (3 channels) into 1 + 2 channels; each part has its own consumer, then they meet again:
  // y = [x1 + 0.5, x2 + 0.5, 2 * x0]. A second Split into 3 equal parts leaves one output unused.
  OnnxWriter w("split_two");
  w.add_input("x", {"1", "3", "h", "w"});
  int_constant(w, "parts", {2}, {1, 2});
  w.add_initializer("half", {1}, {0.5f});
  w.add_initializer("twice", {1}, {2.0f});
  w.add_node("Split", "split", {"x", "parts"}, {"a", "b"}, {OnnxAttribute::integer("axis", 1)});
  w.add_node("Mul", "scale_a", {"a", "twice"}, {"a2"});
  w.add_node("Add", "shift_b", {"b", "half"}, {"b2"});
  w.add_node("Concat", "join", {"b2", "a2"}, {"j"}, {OnnxAttribute::integer("axis", 1)});
  w.add_node("Split", "thirds", {"j"}, {"t0", "t1_unused", "t2"}, {OnnxAttribute::integer("axis", 1)});
  w.add_node("Concat", "rejoin", {"t0", "t2", "t0"}, {"y"}, {OnnxAttribute::integer("axis", 1)});
  w.add_output("y", {"1", "3", "h", "w"});
  const std::string path = temp_path("split_two.onnx");
  w.save(path);
  auto engine = Engine::open(path);
  EXPECT_EQ(engine->info().scale, 1);
  for (auto [h, wd] : {std::pair{4, 6}, std::pair{9, 2}}) {
    const PlanarImage in = random_image(h, wd);
    const PlanarImage out = engine->run(in);
    ASSERT_EQ(out.height, h);
    ASSERT_EQ(out.width, wd);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < wd; ++x) {
        // j = [x1 + .5, x2 + .5, 2 x0]; y = [j0, j2, j0]
        EXPECT_FLOAT_EQ(pixel(out, 0, y, x), pixel(in, 1, y, x) + 0.5f);
        EXPECT_FLOAT_EQ(pixel(out, 1, y, x), 2 * pixel(in, 0, y, x));
        EXPECT_FLOAT_EQ(pixel(out, 2, y, x), pixel(in, 1, y, x) + 0.5f);
      }
  }
}

TEST(EngineDynamicShapes, PixelUnshuffleWithRuntimeReshape) {
  // RRDBNet x2 starts with pixel_unshuffle on a dynamic input: Reshape to [N, C, H/2, 2, W/2, 2] with
  // a shape computed from Shape -> Gather -> Div -> Unsqueeze -> Concat, Transpose, Reshape to
  // [N, 4C, H/2, W/2]. DepthToSpace (CRD = pixel_shuffle) undoes it and a constant x2 nearest Resize
  // makes it a scale-2 model, so y must equal nearest-x2(x) exactly.
  OnnxWriter w("unshuffle");
  w.add_input("x", {"1", "3", "h", "w"});
  int_constant(w, "two", {}, {2});
  int_constant(w, "i2", {}, {2});
  int_constant(w, "i3", {}, {3});
  int_constant(w, "axes0", {1}, {0});
  int_constant(w, "nc", {2}, {1, 3});
  int_constant(w, "n12", {2}, {0, 12});  // 0 copies N from the input
  int_constant(w, "pair", {1}, {2});
  w.add_initializer("scales", {4}, {1, 1, 2, 2});
  w.add_node("Shape", "shape", {"x"}, {"s"});
  w.add_node("Gather", "gh", {"s", "i2"}, {"h"});
  w.add_node("Gather", "gw", {"s", "i3"}, {"w"});
  w.add_node("Div", "h_half", {"h", "two"}, {"hh"});
  w.add_node("Div", "w_half", {"w", "two"}, {"wh"});
  w.add_node("Unsqueeze", "uh", {"hh", "axes0"}, {"hu"});
  w.add_node("Unsqueeze", "uw", {"wh", "axes0"}, {"wu"});
  w.add_node("Concat", "shape6", {"nc", "hu", "pair", "wu", "pair"}, {"s6"}, {OnnxAttribute::integer("axis", 0)});
  w.add_node("Concat", "shape4", {"n12", "hu", "wu"}, {"s4"}, {OnnxAttribute::integer("axis", 0)});
  w.add_node("Reshape", "split_pixels", {"x", "s6"}, {"x6"});
  w.add_node("Transpose", "move_pixels", {"x6"}, {"t6"}, {OnnxAttribute::integers("perm", {0, 1, 3, 5, 2, 4})});
  w.add_node("Reshape", "pack", {"t6", "s4"}, {"p"});
  w.add_node("DepthToSpace", "unpack", {"p"}, {"u"},
             {OnnxAttribute::integer("blocksize", 2), OnnxAttribute::string("mode", "CRD")});
  w.add_node("Resize", "up", {"u", "", "scales"}, {"y"},
             {OnnxAttribute::string("coordinate_transformation_mode", "asymmetric"),
              OnnxAttribute::string("nearest_mode", "floor")});
  w.add_output("y", {"1", "3", "H", "W"});
  const std::string path = temp_path("unshuffle.onnx");
  w.save(path);
  auto engine = Engine::open(path);
  EXPECT_EQ(engine->info().scale, 2);
  for (auto [h, wd] : {std::pair{6, 4}, std::pair{10, 8}}) {
    const PlanarImage in = random_image(h, wd);
    const PlanarImage out = engine->run(in);
    ASSERT_EQ(out.height, 2 * h);
    ASSERT_EQ(out.width, 2 * wd);
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 2 * h; ++y)
        for (int x = 0; x < 2 * wd; ++x) ASSERT_EQ(pixel(out, c, y, x), pixel(in, c, y / 2, x / 2));
  }
  // An odd size cannot be unshuffled: the frame fails with the node named, not a crash.
  const std::string msg = error_of([&] { engine->run(random_image(5, 4)); });
  EXPECT_NE(msg.find("split_pixels"), std::string::npos) << msg;
}

// OnnxWriter writes opset 13, whose checker does not know GridSample (opset 16): the test writes an
// Add in its place and turns it into GridSample with its attributes here.
void make_grid_sample_opset16(const std::string& path, const std::string& padding, int64_t align) {
  onnx::ModelProto model;
  {
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(model.ParseFromIstream(&in));
  }
  model.mutable_opset_import(0)->set_version(16);
  auto* node = model.mutable_graph()->mutable_node(0);
  ASSERT_EQ(node->op_type(), "Add");
  node->set_op_type("GridSample");
  auto* a = node->add_attribute();
  a->set_name("padding_mode");
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(padding);
  a = node->add_attribute();
  a->set_name("align_corners");
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(align);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  ASSERT_TRUE(model.SerializeToOstream(&out));
}

TEST(EngineDynamicShapes, GridSampleWarpThroughTheEngine) {
  // A fixed 4x4 input warped by a constant 8x8 grid (a x2 "flow" with out-of-range samples): the
  // engine's result must equal the kernel's on the same data.
  const Tensor grid = random_tensor({1, 8, 8, 2}, -1.3f, 1.3f);
  OnnxWriter w("warp");
  w.add_input("x", {"1", "3", "4", "4"});
  w.add_initializer("grid", grid.shape, grid.data);
  w.add_node("Add", "warp", {"x", "grid"}, {"y"});
  w.add_output("y", {"1", "3", "8", "8"});
  const std::string path = temp_path("warp.onnx");
  w.save(path);
  make_grid_sample_opset16(path, "reflection", 1);
  auto engine = Engine::open(path);
  EXPECT_EQ(engine->info().scale, 2);
  const PlanarImage in = random_image(4, 4);
  const PlanarImage out = engine->run(in);
  Tensor x;
  x.shape = {1, 3, 4, 4};
  x.data = in.values;
  Tensor expected;
  cpu::grid_sample(x, grid, {cpu::GridSampleMode::Bilinear, cpu::GridPadding::Reflection, true}, expected);
  ASSERT_EQ(out.values.size(), expected.data.size());
  for (size_t i = 0; i < expected.data.size(); ++i) EXPECT_EQ(out.values[i], expected.data[i]) << i;
}

TEST(EngineDynamicShapes, BadAxesAndAbsurdShapesNameTheNode) {
  {  // Unsqueeze axis 3 on a scalar (output rank 1): found by the load-time probe run.
    OnnxWriter w("bad_axes");
    w.add_input("x", {"1", "3", "h", "w"});
    int_constant(w, "i2", {}, {2});
    int_constant(w, "axes3", {1}, {3});
    int_constant(w, "nc", {2}, {1, 3});
    w.add_node("Shape", "shape", {"x"}, {"s"});
    w.add_node("Gather", "gh", {"s", "i2"}, {"h"});
    w.add_node("Unsqueeze", "bad_unsqueeze", {"h", "axes3"}, {"hu"});
    w.add_node("Concat", "sizes", {"nc", "hu", "hu"}, {"size4"}, {OnnxAttribute::integer("axis", 0)});
    w.add_node("Resize", "resize", {"x", "", "", "size4"}, {"y"});
    w.add_output("y", {"1", "3", "H", "W"});
    const std::string path = temp_path("bad_axes.onnx");
    w.save(path);
    const std::string msg = open_error(path);
    EXPECT_NE(msg.find("bad_unsqueeze"), std::string::npos) << msg;
    EXPECT_NE(msg.find("axis"), std::string::npos) << msg;
  }
  {  // ConstantOfShape of a constant 2^20 x 2^20 shape: refused while folding at load.
    OnnxWriter w("absurd_constant");
    w.add_input("x", {"1", "3", "h", "w"});
    int_constant(w, "huge", {2}, {1 << 20, 1 << 20});
    w.add_node("ConstantOfShape", "absurd_fill", {"huge"}, {"c"});
    w.add_node("Add", "add", {"x", "c"}, {"y"});
    w.add_output("y", {"1", "3", "h", "w"});
    const std::string path = temp_path("absurd_constant.onnx");
    w.save(path);
    const std::string msg = open_error(path);
    EXPECT_NE(msg.find("absurd_fill"), std::string::npos) << msg;
    EXPECT_NE(msg.find("2^30"), std::string::npos) << msg;
  }
  {  // ConstantOfShape of Shape(x) * 100000: refused per frame (here the probe), never allocated.
    OnnxWriter w("absurd_runtime");
    w.add_input("x", {"1", "3", "h", "w"});
    int_constant(w, "big", {}, {100000});
    w.add_node("Shape", "shape", {"x"}, {"s"});
    w.add_node("Mul", "blow_up", {"s", "big"}, {"s_big"});
    w.add_node("ConstantOfShape", "runtime_fill", {"s_big"}, {"c"});
    w.add_node("Add", "add", {"x", "c"}, {"y"});
    w.add_output("y", {"1", "3", "h", "w"});
    const std::string path = temp_path("absurd_runtime.onnx");
    w.save(path);
    const std::string msg = open_error(path);
    EXPECT_NE(msg.find("runtime_fill"), std::string::npos) << msg;
    EXPECT_NE(msg.find("2^30"), std::string::npos) << msg;
  }
}


TEST(EngineChains, ConvPReluIntoConvTransposeReluMatchesTheReference) {
  // FSRCNN's tail: Conv+PRelu, then a stride-2 ConvTranspose with a fused Relu.
  OnnxWriter w("conv_deconv");
  w.add_input("x", {"1", "3", "h", "w"});
  const Tensor k1 = random_tensor({8, 3, 3, 3}), b1 = random_tensor({8}), slope = random_tensor({8, 1, 1}, 0.0f, 0.5f);
  const Tensor k2 = random_tensor({8, 3, 4, 4}), b2 = random_tensor({3});
  w.add_initializer("k1", k1.shape, k1.data);
  w.add_initializer("b1", b1.shape, b1.data);
  w.add_initializer("slope", slope.shape, slope.data);
  w.add_initializer("k2", k2.shape, k2.data);
  w.add_initializer("b2", b2.shape, b2.data);
  w.add_node("Conv", "feature", {"x", "k1", "b1"}, {"f"}, {OnnxAttribute::integers("pads", {1, 1, 1, 1})});
  w.add_node("PRelu", "prelu", {"f", "slope"}, {"p"});
  w.add_node("ConvTranspose", "deconv", {"p", "k2", "b2"}, {"d"},
             {OnnxAttribute::integers("strides", {2, 2}), OnnxAttribute::integers("pads", {1, 1, 1, 1})});
  w.add_node("Relu", "relu", {"d"}, {"y"});
  w.add_output("y", {"1", "3", "H", "W"});
  const std::string path = temp_path("conv_deconv.onnx");
  w.save(path);
  EngineOptions ref;
  ref.use_onednn = false;
  auto fast = Engine::open(path), slow = Engine::open(path, ref);
  EXPECT_NE(fast->describe().find("2 activations fused"), std::string::npos) << fast->describe();
  const PlanarImage in = random_image(11, 14);
  const PlanarImage a = fast->run(in), b = slow->run(in);
  ASSERT_EQ(a.values.size(), b.values.size());
  ASSERT_EQ(a.width, 28);
  float worst = 0.0f;
  for (size_t i = 0; i < a.values.size(); ++i) worst = std::max(worst, std::fabs(a.values[i] - b.values[i]));
  EXPECT_LE(worst, 1e-4f);
}

}  // namespace
}  // namespace vsr

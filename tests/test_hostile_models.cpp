// Corrupt and hostile model files. Each must fail at load with a vsr::Error that names the problem
// (the file, the node, the tensor), never crash, throw another exception type, allocate without
// bound or hang. Files are made with OnnxWriter and then broken through the protobuf message (so
// the ONNX checker does not stand between the file and vsr's own checks), or broken as bytes.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <typeinfo>
#include <vector>

#include "kernels/cpu/activation.h"
#include "kernels/cpu/pad.h"
#include "kernels/cpu/resize.h"
#include "kernels/cpu/slice_ops.h"
#include "models/graph.h"
#include "models/onnx_writer.h"
#include "vsr/engine.h"
#include "vsr/error.h"

namespace vsr {
namespace {

// The time limits say "refused quickly, not after minutes of work"; an AddressSanitizer build runs
// this code 5-10x slower (8 s of the 10 for the node-count case with a core to itself).
#if defined(__SANITIZE_ADDRESS__)
constexpr int kSanitizerSlowdown = 5;
#else
constexpr int kSanitizerSlowdown = 1;
#endif

// Per process: ctest runs the tests of this file in parallel processes, each writing its own files.
std::string temp_prefix() { return "vsr_hostile_" + std::to_string(getpid()) + "_"; }

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (temp_prefix() + name)).string();
}

// Removes this process's files at exit (some are megabytes).
struct TempCleanup {
  ~TempCleanup() {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec))
      if (e.path().filename().string().rfind(temp_prefix(), 0) == 0) std::filesystem::remove_all(e.path(), ec);
  }
} temp_cleanup;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string save_bytes(const std::string& bytes, const std::string& name) {
  const std::string path = temp_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// Writes the message as is: no checker, so the file reaches vsr exactly as broken.
std::string save_raw(const onnx::ModelProto& m, const std::string& name) {
  std::string bytes;
  EXPECT_TRUE(m.SerializeToString(&bytes));
  return save_bytes(bytes, name);
}

struct Outcome {
  bool opened = false;
  std::string message;  // the vsr::Error's, when it did not open
};

// Opens the model (the engine's probe runs inside) and, when it opened, upscales a small image, so
// that a file cannot pass the load and crash on the first frame. Any exception other than
// vsr::Error fails the test.
Outcome open_model(const std::string& path, bool run_a_frame = true) {
  Outcome o;
  try {
    auto engine = Engine::open(path);
    o.opened = true;
    if (run_a_frame) {
      PlanarImage in;
      in.channels = engine->info().colour == ModelColour::Y ? 1 : 3;
      in.height = 9;
      in.width = 7;
      in.values.assign(static_cast<size_t>(in.channels * in.height * in.width), 0.25f);
      try {
        const PlanarImage out = engine->run(in);
        EXPECT_EQ(out.values.size(), static_cast<size_t>(out.channels) * out.height * out.width) << path;
      } catch (const Error&) {
        // A model that only runs at its fixed size may refuse 9x7: fine, as long as it says so.
      }
    }
  } catch (const Error& e) {
    o.message = e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << path << ": threw " << typeid(e).name() << " instead of vsr::Error: " << e.what();
  }
  return o;
}

// Expects the load to fail with a message holding every one of `parts`.
void expect_refused(const std::string& path, std::initializer_list<const char*> parts) {
  const Outcome o = open_model(path);
  ASSERT_FALSE(o.opened) << path << " opened";
  for (const char* p : parts) EXPECT_NE(o.message.find(p), std::string::npos) << "no '" << p << "' in: " << o.message;
  EXPECT_NE(o.message.find(path), std::string::npos) << "the file is not named: " << o.message;
}

// A valid x2 model: Conv(3->12, 3x3, 'w', 'b') -> DepthToSpace(2), symbolic H and W.
onnx::ModelProto tiny_proto() {
  OnnxWriter w("tiny");
  w.add_input("x", {"1", "3", "h", "w"});
  std::vector<float> weight(12 * 3 * 9);
  for (size_t i = 0; i < weight.size(); ++i) weight[i] = 0.01f * static_cast<float>(i % 7);
  w.add_initializer("w", {12, 3, 3, 3}, weight);
  w.add_initializer("b", {12}, std::vector<float>(12, 0.1f));
  w.add_node("Conv", "conv_a", {"x", "w", "b"}, {"c"},
             {OnnxAttribute::integers("pads", {1, 1, 1, 1}), OnnxAttribute::integers("kernel_shape", {3, 3})});
  w.add_node("DepthToSpace", "shuffle", {"c"}, {"y"}, {OnnxAttribute::integer("blocksize", 2)});
  w.add_output("y", {"1", "3", "H", "W"});
  const std::string path = temp_path("tiny_base.onnx");
  w.save(path);
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(read_bytes(path)));
  return m;
}

onnx::TensorProto* initializer(onnx::ModelProto& m, const std::string& name) {
  for (auto& t : *m.mutable_graph()->mutable_initializer())
    if (t.name() == name) return &t;
  ADD_FAILURE() << "test bug: no initializer " << name;
  return m.mutable_graph()->add_initializer();
}

onnx::NodeProto* node(onnx::ModelProto& m, const std::string& name) {
  for (auto& n : *m.mutable_graph()->mutable_node())
    if (n.name() == name) return &n;
  ADD_FAILURE() << "test bug: no node " << name;
  return m.mutable_graph()->add_node();
}

onnx::AttributeProto* attribute(onnx::NodeProto* n, const std::string& name) {
  for (auto& a : *n->mutable_attribute())
    if (a.name() == name) return &a;
  auto* a = n->add_attribute();
  a->set_name(name);
  return a;
}

void set_ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& values) {
  auto* a = attribute(n, name);
  a->set_type(onnx::AttributeProto::INTS);
  a->clear_ints();
  for (int64_t v : values) a->add_ints(v);
}

void set_int(onnx::NodeProto* n, const std::string& name, int64_t value) {
  auto* a = attribute(n, name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

// A float initializer of `dims` filled with `count` values (count may disagree with dims on purpose).
onnx::TensorProto* add_float_initializer(onnx::ModelProto& m, const std::string& name, const std::vector<int64_t>& dims,
                                         size_t count, float value = 0.5f) {
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  const std::vector<float> values(count, value);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), count * sizeof(float)));
  return t;
}

onnx::TensorProto* add_int_initializer(onnx::ModelProto& m, const std::string& name, const std::vector<int64_t>& dims,
                                       const std::vector<int64_t>& values) {
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t->add_dims(d);
  for (int64_t v : values) t->add_int64_data(v);
  return t;
}

// Appends `op` between the current output 'y' and a new output 'z' (output name and shape fixed up).
onnx::NodeProto* append_node(onnx::ModelProto& m, const std::string& op, const std::string& name,
                             const std::vector<std::string>& extra_inputs = {}) {
  auto* n = m.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(name);
  n->add_input("y");
  for (const auto& i : extra_inputs) n->add_input(i);
  n->add_output("z");
  m.mutable_graph()->mutable_output(0)->set_name("z");
  return n;
}

// ---- The file as bytes --------------------------------------------------------------------------

TEST(HostileModel, EmptyFileAndDirectoryAreNamed) {
  const std::string empty = save_bytes("", "empty.onnx");
  expect_refused(empty, {"empty"});
  const std::string dir = temp_path("a_directory.onnx");
  std::filesystem::create_directories(dir);
  expect_refused(dir, {"directory"});
}

TEST(HostileModel, FromMemoryNamesTheGivenName) {
  const onnx::ModelProto m = tiny_proto();
  std::string bytes;
  ASSERT_TRUE(m.SerializeToString(&bytes));
  const Graph g = load_onnx_graph_from_memory(bytes.data(), bytes.size(), "<embedded>");
  EXPECT_EQ(g.path, "<embedded>");
  EXPECT_EQ(g.nodes.size(), 2u);
  try {
    load_onnx_graph_from_memory(bytes.data(), bytes.size() / 2, "<half>");
    ADD_FAILURE() << "half a model loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("<half>"), std::string::npos) << e.what();
  }
}

// Every prefix of a valid file is a truncated download: it opens (protobuf may accept a prefix
// that ends between fields, the checks then decide) or fails with a vsr::Error naming the file.
TEST(HostileModel, TruncatedFilesFailCleanly) {
  for (const char* fixture : {"espcn_like.onnx", "gridsample_warp.onnx"}) {
    const std::string bytes = read_bytes(std::string(VSR_SOURCE_DIR) + "/tests/fixtures/" + fixture);
    ASSERT_GT(bytes.size(), 1000u);
    int refused = 0, tried = 0;
    for (size_t cut = 0; cut < bytes.size(); cut += cut < 256 ? 1 : 97) {
      const std::string path = save_bytes(bytes.substr(0, cut), "truncated.onnx");
      const Outcome o = open_model(path, /*run_a_frame=*/false);
      ++tried;
      if (!o.opened) {
        ++refused;
        EXPECT_NE(o.message.find(path), std::string::npos) << "cut at " << cut << ": " << o.message;
      }
    }
    // The cut files lack the graph's tail: nearly all must be refused.
    EXPECT_GE(refused, tried - 2) << fixture;
  }
}

// Random byte corruption with a fixed, printed seed: every outcome is an engine that runs a frame
// or a vsr::Error naming the file.
TEST(HostileModel, FlippedBytesFailCleanlyOrStillRun) {
  const uint32_t seed = 20260601;
  std::mt19937 rng(seed);
  std::cout << "[ seed     ] " << seed << "\n";
  for (const char* fixture : {"espcn_like.onnx", "srvgg_compact_like.onnx"}) {
    const std::string bytes = read_bytes(std::string(VSR_SOURCE_DIR) + "/tests/fixtures/" + fixture);
    ASSERT_GT(bytes.size(), 1000u);
    int opened = 0, refused = 0;
    for (int trial = 0; trial < 150; ++trial) {
      std::string mutated = bytes;
      const int flips = 1 + static_cast<int>(rng() % 4);
      // Half the trials hit the first 2 KB (the graph's structure), half anywhere (mostly weights).
      const size_t span = trial % 2 ? mutated.size() : std::min<size_t>(mutated.size(), 2048);
      for (int f = 0; f < flips; ++f) mutated[rng() % span] = static_cast<char>(rng() & 0xff);
      const std::string path = save_bytes(mutated, "flipped.onnx");
      const Outcome o = open_model(path);
      if (o.opened) {
        ++opened;
      } else {
        ++refused;
        EXPECT_NE(o.message.find(path), std::string::npos) << "trial " << trial << ": " << o.message;
      }
    }
    // Both outcomes occur: flips inside weights keep a valid model, flips in the structure do not.
    EXPECT_GT(opened, 0) << fixture;
    EXPECT_GT(refused, 0) << fixture;
  }
}

// ---- Tensors ------------------------------------------------------------------------------------

TEST(HostileModel, InitializerByteSizeMustMatchItsShape) {
  auto m = tiny_proto();
  initializer(m, "w")->set_raw_data(std::string(100, '\0'));
  expect_refused(save_raw(m, "rawsize.onnx"), {"tensor 'w'", "100 bytes", "[12x3x3x3]", "1296"});
}

TEST(HostileModel, IntInitializerValueCountMustMatchItsShape) {
  auto m = tiny_proto();
  add_int_initializer(m, "shape_vals", {4}, {1, 2, 3});
  expect_refused(save_raw(m, "intcount.onnx"), {"tensor 'shape_vals'", "3 values", "needs 4"});
}

TEST(HostileModel, NegativeDimensionIsRefused) {
  auto m = tiny_proto();
  add_float_initializer(m, "neg", {-1, 3}, 0);
  expect_refused(save_raw(m, "negdim.onnx"), {"tensor 'neg'", "negative dimension"});
}

TEST(HostileModel, DimensionsThatOverflowInt64AreRefused) {
  // (2^62 + 1) * 4 wraps to 4 in int64: a naive count would accept these 16 bytes.
  auto m = tiny_proto();
  add_float_initializer(m, "wrap", {(int64_t(1) << 62) + 1, 4}, 4);
  expect_refused(save_raw(m, "wrapdims.onnx"), {"tensor 'wrap'", "over 2^31"});
}

TEST(HostileModel, AbsurdElementCountIsRefusedBeforeAllocating) {
  auto m = tiny_proto();
  add_float_initializer(m, "huge", {1 << 16, 1 << 16}, 0);  // 2^32 floats, 16 GiB, stated in 10 bytes
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused(save_raw(m, "hugecount.onnx"), {"tensor 'huge'", "2^30"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5 * kSanitizerSlowdown));
}

TEST(HostileModel, AbsurdRankIsRefused) {
  auto m = tiny_proto();
  add_float_initializer(m, "deep", std::vector<int64_t>(9, 1), 1);
  expect_refused(save_raw(m, "rank9.onnx"), {"tensor 'deep'", "rank 9"});
}

TEST(HostileModel, UnsupportedDataTypeIsNamed) {
  auto m = tiny_proto();
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name("doubles");
  t->set_data_type(onnx::TensorProto::DOUBLE);
  t->add_dims(1);
  t->add_double_data(1.0);
  expect_refused(save_raw(m, "double.onnx"), {"tensor 'doubles'", "data type 11"});
}

TEST(HostileModel, ExternalDataIsRefused) {
  auto m = tiny_proto();
  auto* w = initializer(m, "w");
  w->clear_raw_data();
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* e = w->add_external_data();
  e->set_key("location");
  e->set_value("/etc/passwd");
  expect_refused(save_raw(m, "external.onnx"), {"tensor 'w'", "external file"});
}

TEST(HostileModel, MissingInitializerIsNamed) {
  auto m = tiny_proto();
  node(m, "conv_a")->set_input(1, "w_nowhere");
  expect_refused(save_raw(m, "missing_init.onnx"), {"w_nowhere"});
}

// ---- Graph structure ----------------------------------------------------------------------------

TEST(HostileModel, CycleIsRefusedWithItsTensor) {
  auto m = tiny_proto();
  // conv_a reads the shuffle's output: y -> conv -> c -> shuffle -> y.
  node(m, "conv_a")->set_input(0, "y");
  expect_refused(save_raw(m, "cycle.onnx"), {"'y'"});
}

TEST(HostileModel, UnsupportedOpAndForeignDomainAreNamed) {
  auto m = tiny_proto();
  append_node(m, "Softmax", "soft_node");
  expect_refused(save_raw(m, "softmax.onnx"), {"Softmax", "soft_node"});

  auto d = tiny_proto();
  auto* n = append_node(d, "Relu", "foreign_relu");
  n->set_domain("com.example");
  auto* op = d.add_opset_import();
  op->set_domain("com.example");
  op->set_version(1);
  const Outcome o = open_model(save_raw(d, "domain.onnx"));
  ASSERT_FALSE(o.opened);
  EXPECT_NE(o.message.find("foreign_relu"), std::string::npos) << o.message;
}

TEST(HostileModel, WrongAttributeTypeIsNamed) {
  auto m = tiny_proto();
  auto* a = attribute(node(m, "shuffle"), "blocksize");
  a->set_type(onnx::AttributeProto::FLOAT);
  a->clear_i();
  a->set_f(2.5f);
  expect_refused(save_raw(m, "attrtype.onnx"), {"blocksize"});
}

TEST(HostileModel, TooManyNodesAreRefusedQuickly) {
  auto m = tiny_proto();
  const int count = static_cast<int>(model_limits::kMaxNodes) + 10;
  for (int i = 0; i < count; ++i) {
    auto* n = m.mutable_graph()->add_node();
    n->set_op_type("Identity");
    n->add_input(i ? "i" + std::to_string(i - 1) : "y");
    n->add_output("i" + std::to_string(i));
  }
  m.mutable_graph()->mutable_output(0)->set_name("i" + std::to_string(count - 1));
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused(save_raw(m, "many_nodes.onnx"), {std::to_string(count + 2).c_str(), "nodes"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10 * kSanitizerSlowdown));
}

TEST(HostileModel, LongNamesAreCutInMessages) {
  auto m = tiny_proto();
  const std::string name(1 << 20, 'n');
  append_node(m, "Softmax", name);
  const Outcome o = open_model(save_raw(m, "longname.onnx"));
  ASSERT_FALSE(o.opened);
  EXPECT_LT(o.message.size(), 2000u);
  EXPECT_NE(o.message.find("nnnnnnnn..."), std::string::npos) << o.message.substr(0, 300);
}

TEST(HostileModel, IntegerOutputIsRefused) {
  // Cast to int64 at the end: the probe's shape is right, but the frame path reads floats.
  auto m = tiny_proto();
  set_int(append_node(m, "Cast", "to_int"), "to", onnx::TensorProto::INT64);
  expect_refused(save_raw(m, "int_output.onnx"), {"'z'", "int64", "to_int"});
}

TEST(HostileModel, AbsurdMetadataIsRefused) {
  auto m = tiny_proto();
  auto* p = m.add_metadata_props();
  p->set_key("vsr.receptive_field");
  p->set_value("2000000000");
  expect_refused(save_raw(m, "rf.onnx"), {"vsr.receptive_field", "out of range"});
}

// ---- The graph input ----------------------------------------------------------------------------

void set_input_dims(onnx::ModelProto& m, const std::vector<int64_t>& dims) {
  auto* shape = m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  shape->clear_dim();
  for (int64_t d : dims) {
    auto* dim = shape->add_dim();
    if (d >= -1000) dim->set_dim_value(d);  // smaller: leave symbolic
  }
}

TEST(HostileModel, AbsurdFixedInputShapeIsRefusedBeforeTheProbe) {
  auto m = tiny_proto();
  set_input_dims(m, {1, 3, 100000, 100000});  // the probe would need 120 GB
  expect_refused(save_raw(m, "bigin.onnx"), {"input 'x'", "[1x3x100000x100000]", "2^26"});

  set_input_dims(m, {1, 3, int64_t(1) << 40, 16});
  expect_refused(save_raw(m, "hugein.onnx"), {"input 'x'", "1099511627776"});
}

TEST(HostileModel, NonPositiveInputDimensionsAreRefused) {
  auto m = tiny_proto();
  set_input_dims(m, {1, 3, -5, 16});
  expect_refused(save_raw(m, "negin.onnx"), {"input 'x'", "dimension 2", "-5"});
  set_input_dims(m, {1, 3, 0, 16});
  expect_refused(save_raw(m, "zeroin.onnx"), {"input 'x'", "dimension 2", "as 0"});
}

// ---- Convolutions -------------------------------------------------------------------------------

TEST(HostileModel, ConvKernelBeyondLimitIsRefused) {
  auto m = tiny_proto();
  auto* w = initializer(m, "w");
  w->clear_dims();
  for (int64_t d : {12, 3, 65, 65}) w->add_dims(d);
  const std::vector<float> v(12 * 3 * 65 * 65, 0.0f);
  w->set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4));
  set_ints(node(m, "conv_a"), "kernel_shape", {65, 65});
  set_ints(node(m, "conv_a"), "pads", {32, 32, 32, 32});
  expect_refused(save_raw(m, "kernel65.onnx"), {"conv_a", "kernel", "1 to 64"});
}

TEST(HostileModel, ConvAttributesBeyondLimitsAreRefused) {
  struct Case {
    const char* attr;
    std::vector<int64_t> values;
    const char* expect;
  };
  const Case cases[] = {
      {"pads", {1, 1, int64_t(1) << 40, 1}, "pads"},
      {"pads", {-1, 1, 1, 1}, "pads"},
      {"strides", {0, 1}, "strides"},
      {"strides", {int64_t(1) << 62, 1}, "strides"},
      {"dilations", {1, 1000}, "dilations"},
      {"dilations", {1}, "dilations"},
  };
  for (const Case& c : cases) {
    auto m = tiny_proto();
    set_ints(node(m, "conv_a"), c.attr, c.values);
    expect_refused(save_raw(m, std::string("conv_") + c.attr + ".onnx"), {"conv_a", c.expect});
  }
  auto m = tiny_proto();
  set_int(node(m, "conv_a"), "group", int64_t(1) << 62);  // w.shape[1] * group would overflow
  expect_refused(save_raw(m, "conv_group.onnx"), {"conv_a", "group"});
}

TEST(HostileModel, ConvTransposeOutputPaddingIsBounded) {
  OnnxWriter w("deconv");
  w.add_input("x", {"1", "3", "h", "w"});
  w.add_initializer("w", {3, 3, 2, 2}, std::vector<float>(36, 0.1f));
  w.add_node("ConvTranspose", "up", {"x", "w"}, {"y"},
             {OnnxAttribute::integers("strides", {2, 2}), OnnxAttribute::integers("output_padding", {0, 0})});
  w.add_output("y", {"1", "3", "H", "W"});
  const std::string ok_path = temp_path("deconv_ok.onnx");
  w.save(ok_path);
  ASSERT_TRUE(open_model(ok_path).opened) << open_model(ok_path).message;

  onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(read_bytes(ok_path)));
  set_ints(node(m, "up"), "output_padding", {int64_t(1) << 40, 0});
  expect_refused(save_raw(m, "deconv_outpad.onnx"), {"'up'", "output_padding"});
  set_ints(node(m, "up"), "output_padding", {1});  // one axis only: was an unchecked .at(1)
  expect_refused(save_raw(m, "deconv_outpad1.onnx"), {"'up'", "output_padding"});
  set_ints(node(m, "up"), "output_padding", {0, 0});
  set_ints(node(m, "up"), "strides", {1000, 1000});
  expect_refused(save_raw(m, "deconv_stride.onnx"), {"'up'", "strides", "1 to 16"});
}

TEST(HostileModel, PReluSlopeCountMustFitTheChannels) {
  auto m = tiny_proto();
  // Conv (12 channels) -> PRelu with 2 slopes -> DepthToSpace: the fused path indexed slopes by channel.
  node(m, "shuffle")->set_input(0, "act");
  auto* p = m.mutable_graph()->add_node();
  p->set_op_type("PRelu");
  p->set_name("prelu_2");
  p->add_input("c");
  p->add_input("slopes");
  p->add_output("act");
  m.mutable_graph()->mutable_node()->SwapElements(1, 2);  // keep topological order
  add_float_initializer(m, "slopes", {2, 1, 1}, 2, 0.1f);
  expect_refused(save_raw(m, "prelu_slopes.onnx"), {"2 slopes", "12"});
}

// ---- Ops that size their output from the file ---------------------------------------------------

TEST(HostileModel, DepthToSpaceBlocksizeIsBounded) {
  for (int64_t block : {int64_t(17), int64_t(1) << 40, int64_t(-3)}) {
    auto m = tiny_proto();
    set_int(node(m, "shuffle"), "blocksize", block);
    expect_refused(save_raw(m, "d2s.onnx"), {"shuffle", "blocksize", std::to_string(block).c_str()});
  }
}

TEST(HostileModel, ResizeScalesAndSizesAreBounded) {
  auto m = tiny_proto();
  add_float_initializer(m, "scales", {4}, 4, 1.0f);
  auto* s = initializer(m, "scales");
  const float values[4] = {1.0f, 1.0f, 1e6f, 1e6f};  // a terabyte output from 16 bytes
  s->set_raw_data(std::string(reinterpret_cast<const char*>(values), sizeof values));
  append_node(m, "Resize", "big_resize", {"", "scales"});
  expect_refused(save_raw(m, "resize_scales.onnx"), {"big_resize", "exceed", "16"});

  auto z = tiny_proto();
  add_int_initializer(z, "sizes", {4}, {1, 3, int64_t(1) << 40, int64_t(1) << 40});
  append_node(z, "Resize", "big_sizes", {"", "", "sizes"});
  expect_refused(save_raw(z, "resize_sizes.onnx"), {"big_sizes", "2^31"});
}

TEST(HostileModel, BroadcastProductIsBoundedAtFoldTime) {
  // Two small constants whose broadcast is 2^32 elements: folded at load, refused before allocating.
  auto m = tiny_proto();
  add_float_initializer(m, "col", {1 << 16, 1}, 1 << 16);
  add_float_initializer(m, "row", {1, 1 << 16}, 1 << 16);
  auto* n = m.mutable_graph()->add_node();
  n->set_op_type("Add");
  n->set_name("outer_sum");
  n->add_input("col");
  n->add_input("row");
  n->add_output("big");
  append_node(m, "Add", "use_it", {"big"});
  expect_refused(save_raw(m, "broadcast.onnx"), {"outer_sum", "2^30"});
}

TEST(HostileModel, GatherAndConcatAmplificationIsBounded) {
  auto m = tiny_proto();
  add_float_initializer(m, "row", {1, 1 << 16}, 1 << 16);
  add_int_initializer(m, "idx", {1 << 16}, std::vector<int64_t>(1 << 16, 0));  // 2^16 x 2^16 output
  auto* g = m.mutable_graph()->add_node();
  g->set_op_type("Gather");
  g->set_name("gather_amp");
  g->add_input("row");
  g->add_input("idx");
  g->add_output("gathered");
  append_node(m, "Add", "use_gather", {"gathered"});
  expect_refused(save_raw(m, "gather.onnx"), {"gather_amp", "2^30"});

  auto c = tiny_proto();
  add_float_initializer(c, "chunk", {1 << 16}, 1 << 16);
  auto* cat = c.mutable_graph()->add_node();
  cat->set_op_type("Concat");
  cat->set_name("concat_amp");
  for (int i = 0; i < 20000; ++i) cat->add_input("chunk");  // 1.3e9 values from 60 KB of names
  set_int(cat, "axis", 0);
  cat->add_output("cat");
  append_node(c, "Add", "use_cat", {"cat"});
  expect_refused(save_raw(c, "concat.onnx"), {"concat_amp", "2^30"});
}

TEST(HostileModel, ReshapeToAbsurdRankIsRefused) {
  auto m = tiny_proto();
  add_int_initializer(m, "shape9", {9}, {1, 1, 1, 1, 1, 1, 3, -1, 1});
  append_node(m, "Reshape", "deep_reshape", {"shape9"});
  expect_refused(save_raw(m, "reshape9.onnx"), {"deep_reshape", "rank 9"});
}

// ---- Kernels fed extreme arguments directly (what a runtime shape tensor could carry) ------------

TEST(HostileKernel, SliceWithExtremeStepsTakesOneElement) {
  cpu::Tensor x;
  x.resize({5});
  for (int i = 0; i < 5; ++i) x.data[i] = static_cast<float>(i);
  cpu::Tensor y;
  const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
  cpu::slice(x, {1}, {max}, {0}, {max}, y);  // (span + step - 1) overflowed before
  ASSERT_EQ(y.shape, std::vector<int64_t>{1});
  EXPECT_EQ(y.data[0], 1.0f);
  cpu::slice(x, {3}, {min}, {0}, {min}, y);  // -step overflowed before
  ASSERT_EQ(y.shape, std::vector<int64_t>{1});
  EXPECT_EQ(y.data[0], 3.0f);
  cpu::Tensor empty;
  empty.resize({0});
  cpu::slice(empty, {-3}, {-1}, {0}, {-1}, y);  // negative step on an empty axis took one element before
  EXPECT_EQ(y.shape, std::vector<int64_t>{0});
}

TEST(HostileKernel, PReluSlopesMustBeOneOrOnePerChannel) {
  cpu::Tensor x;
  x.resize({1, 12, 4, 4});
  cpu::Activation a;
  a.kind = cpu::ActivationKind::PRelu;
  a.slopes = {0.1f, 0.2f};  // indexed by channel 0..11 before: read past the slopes
  cpu::Tensor y;
  try {
    cpu::activation_reference(a, x, y);
    ADD_FAILURE() << "2 slopes accepted for 12 channels";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2 slopes for 12 channels"), std::string::npos) << e.what();
  }
  a.slopes.assign(12, 0.1f);
  EXPECT_NO_THROW(cpu::activation_reference(a, x, y));
}

TEST(HostileKernel, SplitSizesThatOverflowAreRefused) {
  cpu::Tensor x;
  x.resize({1, 0, 4});
  cpu::Tensor a, b, c, d;
  const int64_t big = int64_t(1) << 62;  // four of them sum to 0 in int64, matching the empty axis
  try {
    cpu::split(x, 1, {big, big, big, big}, {&a, &b, &c, &d});
    ADD_FAILURE() << "overflowing split sizes accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("exceeds"), std::string::npos) << e.what();
  }
}

TEST(HostileKernel, ResizeAndPadWithEmptyBatchDoNotBuildHugeTables) {
  cpu::Tensor x;
  x.resize({0, 3, 4, 4});
  cpu::Tensor y;
  cpu::ResizeParams p;
  p.out_h = p.out_w = int64_t(1) << 30;  // 0 elements in total, 2^60 in the plane
  EXPECT_THROW(cpu::resize_reference(x, p, y), Error);
  cpu::PadParams pad;
  pad.bottom = pad.right = int64_t(1) << 29;
  EXPECT_THROW(cpu::pad2d(x, pad, y), Error);
  cpu::Tensor flat;
  flat.resize({1, 3, 0, 4});
  p.out_h = p.out_w = 8;
  EXPECT_THROW(cpu::resize_reference(flat, p, y), Error);  // read before the input before
}

}  // namespace
}  // namespace vsr

// Conv + residual Add fusion (oneDNN sum post-op): fused where the plan can, never where it would
// change the result, and equal to the reference kernels in every case, including a broadcast residual
// that must fall back to the reference Add at run time.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <random>

#include "kernels/cpu/binary_ops.h"
#include "kernels/cpu/conv.h"
#include "kernels/cpu/conv_onednn.h"
#include "models/onnx_writer.h"
#include "vsr/engine.h"

namespace {

std::vector<float> random_values(size_t n, unsigned seed, float bound) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-bound, bound);
  std::vector<float> v(n);
  for (float& x : v) x = u(gen);
  return v;
}

// Adds a 3x3 (pad 1) convolution with random weights and bias.
void conv(vsr::OnnxWriter& w, const std::string& name, const std::string& in, const std::string& out, int cin, int cout) {
  static unsigned seed = 1;
  w.add_initializer(name + "_w", {cout, cin, 3, 3}, random_values(static_cast<size_t>(cout) * cin * 9, seed++, 0.3f));
  w.add_initializer(name + "_b", {cout}, random_values(cout, seed++, 0.1f));
  w.add_node("Conv", name, {in, name + "_w", name + "_b"}, {out},
             {vsr::OnnxAttribute::integers("pads", {1, 1, 1, 1}), vsr::OnnxAttribute::integers("kernel_shape", {3, 3})});
}

struct Outcome {
  int fused = 0;
  float max_diff = 0.0f;
};

// Runs the model with oneDNN (fusing) and with the reference kernels (no fusion) on one input.
Outcome run_both(vsr::OnnxWriter& w, const std::string& name) {
  w.add_output("y", {"1", "3", "h", "w"});
  const auto path = (std::filesystem::temp_directory_path() / ("vsr_residual_" + name + ".onnx")).string();
  w.save(path);
  vsr::PlanarImage in{3, 13, 17, random_values(3 * 13 * 17, 99, 1.0f)};
  vsr::EngineOptions fast, reference;
  reference.use_onednn = false;
  auto a = vsr::Engine::open(path, fast), b = vsr::Engine::open(path, reference);
  const vsr::PlanarImage ya = a->run(in), yb = b->run(in);
  Outcome o;
  EXPECT_EQ(ya.values.size(), yb.values.size());
  for (size_t i = 0; i < ya.values.size() && i < yb.values.size(); ++i)
    o.max_diff = std::max(o.max_diff, std::abs(ya.values[i] - yb.values[i]));
  const std::string d = a->describe();
  const auto at = d.find(" residual adds fused");
  EXPECT_NE(at, std::string::npos) << d;
  o.fused = std::stoi(d.substr(d.rfind(' ', at - 1) + 1));
  return o;
}

vsr::OnnxWriter with_input(const std::string& name) {
  vsr::OnnxWriter w(name);
  w.add_input("x", {"1", "3", "h", "w"});
  return w;
}

TEST(ResidualFusion, AGlobalSkipAroundAConvolutionChainIsFused) {
  auto w = with_input("global_skip");
  conv(w, "c1", "x", "a", 3, 8);
  w.add_node("Relu", "r1", {"a"}, {"ar"});
  conv(w, "c2", "ar", "b", 8, 3);
  w.add_node("Add", "skip", {"b", "x"}, {"y"});
  const Outcome o = run_both(w, "global_skip");
  EXPECT_EQ(o.fused, 1);
  EXPECT_LE(o.max_diff, 1e-5f);
}

TEST(ResidualFusion, AResidualBlockWithTheSkipFirstIsFused) {
  auto w = with_input("block");
  conv(w, "head", "x", "f", 3, 8);
  conv(w, "c1", "f", "g", 8, 8);
  w.add_node("Relu", "r1", {"g"}, {"gr"});
  conv(w, "c2", "gr", "h", 8, 8);
  w.add_node("Add", "skip", {"f", "h"}, {"s"});  // residual on the left
  conv(w, "tail", "s", "y", 8, 3);
  const Outcome o = run_both(w, "block");
  EXPECT_EQ(o.fused, 1);
  EXPECT_LE(o.max_diff, 1e-5f);
}

TEST(ResidualFusion, AResidualComputedAfterTheConvolutionIsNotFused) {
  auto w = with_input("late");
  conv(w, "c1", "x", "a", 3, 3);
  w.add_initializer("two", {1}, {2.0f});
  w.add_node("Mul", "late_mul", {"x", "two"}, {"m"});  // after c1 in the file's order
  w.add_node("Add", "sum", {"a", "m"}, {"y"});
  const Outcome o = run_both(w, "late");
  EXPECT_EQ(o.fused, 0);
  EXPECT_LE(o.max_diff, 1e-5f);
}

TEST(ResidualFusion, ABroadcastResidualFallsBackToTheReferenceAdd) {
  auto w = with_input("broadcast");
  w.add_node("GlobalAveragePool", "pool", {"x"}, {"p"});  // 1x3x1x1
  conv(w, "c1", "x", "a", 3, 3);
  w.add_node("Add", "sum", {"a", "p"}, {"y"});
  const Outcome o = run_both(w, "broadcast");
  EXPECT_EQ(o.fused, 1);  // planned; the shapes only meet at run time
  EXPECT_LE(o.max_diff, 1e-5f);
}

TEST(ResidualFusion, APerChannelPReluBeforeTheAddIsNotFused) {
  auto w = with_input("prelu");
  conv(w, "c1", "x", "a", 3, 3);
  w.add_initializer("slopes", {3, 1, 1}, {0.1f, 0.2f, 0.3f});
  w.add_node("PRelu", "act", {"a", "slopes"}, {"ap"});
  w.add_node("Add", "sum", {"ap", "x"}, {"y"});
  const Outcome o = run_both(w, "prelu");
  EXPECT_EQ(o.fused, 0);
  EXPECT_LE(o.max_diff, 1e-5f);
}

TEST(ResidualFusion, TheSumRunsInsideTheOnednnKernelAndMatchesConvPlusAdd) {
  using namespace vsr::cpu;
  for (ActivationKind kind : {ActivationKind::None, ActivationKind::Relu, ActivationKind::LeakyRelu}) {
    ConvLayer layer;
    layer.weight.shape = {16, 16, 3, 3};
    layer.weight.data = random_values(16 * 16 * 9, 7, 0.2f);
    layer.bias.shape = {16};
    layer.bias.data = random_values(16, 8, 0.1f);
    layer.has_bias = true;
    layer.params.pad_top = layer.params.pad_left = layer.params.pad_bottom = layer.params.pad_right = 1;
    layer.params.activation.kind = kind;
    layer.params.activation.alpha = 0.1f;
    OnednnConv fused({layer}, /*residual_add=*/true);
    Tensor x, r, y, conv_only, expected;
    x.shape = r.shape = {1, 16, 21, 19};
    x.data = random_values(16 * 21 * 19, 9, 1.0f);
    r.data = random_values(16 * 21 * 19, 10, 1.0f);
    fused.run(x, y, &r);
    // The residual block's case (no activation before the sum: EDSR, RCAN, SRResNet) has an optimised
    // kernel on the AVX2 and AVX-512 CPUs vsr runs on; activation-then-sum depends on the ISA (AVX-512 machines
    // fuse it, AVX2-only EPYCs are offered a reference kernel and add after the convolution), so there
    // only the result is checked.
    if (kind == ActivationKind::None)
      EXPECT_TRUE(fused.residual_fused()) << "oneDNN offered only a reference kernel for the sum post-op";
    else if (!fused.residual_fused())
      std::cout << "activation " << static_cast<int>(kind) << " then sum: not fused on this CPU (reference add)\n";
    conv2d_reference(x, layer.weight, &layer.bias, layer.params, conv_only);
    binary_reference(BinaryOp::Add, conv_only, r, expected);
    ASSERT_EQ(y.shape, expected.shape);
    float diff = 0.0f;
    for (size_t i = 0; i < y.data.size(); ++i) diff = std::max(diff, std::abs(y.data[i] - expected.data[i]));
    EXPECT_LE(diff, 1e-4f);
  }
}

}  // namespace

// Weights read back from vsr-train's ONNX exports (train/export_readback.h): every architecture's
// parameters survive the round trip, another scale's export fills the trunk and leaves the rest, and
// files of another architecture, scale or width are refused with the initializer or parameter named.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "train/distillation.h"
#include "train/export_readback.h"
#include "train/interp_net.h"
#include "train/sr_model.h"
#include "vsr/error.h"
#include "error_text.h"

namespace fs = std::filesystem;
using vsr::train::ModelSpec;
using vsr::train::SrModel;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "vsr_test_export_readback";
  fs::create_directories(dir);
  return dir / name;
}

SrModel seeded(const ModelSpec& spec, uint64_t seed) {
  torch::manual_seed(seed);
  return vsr::train::make_model(spec);
}

std::string exported(const ModelSpec& spec, uint64_t seed, const std::string& name) {
  const std::string path = scratch(name).string();
  seeded(spec, seed)->export_onnx(path, {});
  return path;
}

// Largest |a - b| over the parameters (same names in both) but those named in `except`.
double largest_difference(SrModel a, SrModel b, const std::vector<std::string>& except = {}) {
  double worst = 0.0;
  auto pb = b->named_parameters();
  for (const auto& item : a->named_parameters())
    if (std::find(except.begin(), except.end(), item.key()) == except.end())
      worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
  return worst;
}

class ReadBack : public ::testing::TestWithParam<ModelSpec> {};

// "carn_x2_8_1": names the test and its scratch file, unique per case because ctest runs the cases in
// parallel (two carn variants once shared one file name and raced on it).
std::string spec_name(const ModelSpec& spec) {
  std::string name = spec.arch + "_x" + std::to_string(spec.scale);
  for (int f : spec.features) name += "_" + std::to_string(f);
  return name;
}

TEST_P(ReadBack, EveryParameterSurvivesTheExport) {
  const ModelSpec spec = GetParam();
  const std::string file = exported(spec, 11, spec_name(spec) + ".onnx");
  SrModel original = seeded(spec, 11), other = seeded(spec, 12);
  ASSERT_GT(largest_difference(original, other), 0.01);
  const vsr::train::ReadBack read = vsr::train::load_from_export(*other, file);
  // Bit-exact but for a folded factor (EDSR's 0.1 residual scaling) multiplied in and divided out.
  EXPECT_LT(largest_difference(original, other, read.training_only), 1e-6) << spec.arch;
  EXPECT_TRUE(read.left.empty());
  // Only the parts a network has for training alone are missing from its export.
  const std::map<std::string, std::string> training_parts = {{"drn", "dual"}, {"spsr", "grad_out"}};
  const auto part = training_parts.find(spec.arch);
  if (part == training_parts.end()) {
    EXPECT_TRUE(read.training_only.empty()) << spec.arch << ": " << read.training_only.front();
  } else {
    ASSERT_FALSE(read.training_only.empty()) << spec.arch;
    for (const std::string& name : read.training_only) EXPECT_NE(name.find(part->second), std::string::npos) << name;
    // They are left as they were.
    EXPECT_GT(largest_difference(original, other), 0.01);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Architectures, ReadBack,
    ::testing::Values(ModelSpec{"espcn", 2, {8, 4}}, ModelSpec{"fsrcnn", 3, {8, 4, 1}}, ModelSpec{"srvgg", 4, {8, 2}},
                      ModelSpec{"srcnn", 2, {8, 4}}, ModelSpec{"vdsr", 2, {8, 3}}, ModelSpec{"edsr", 2, {8, 2}},
                      ModelSpec{"edsr", 4, {8, 1, 1}}, ModelSpec{"rcan", 2, {8, 1, 2, 4}}, ModelSpec{"carn", 2, {8, 0}},
                      ModelSpec{"carn", 2, {8, 1}}, ModelSpec{"srresnet", 2, {8, 2}}, ModelSpec{"rrdb", 2, {8, 1, 4}},
                      ModelSpec{"rdn", 2, {8, 1, 2, 4}}, ModelSpec{"drn", 2, {4, 1}}, ModelSpec{"spsr", 2, {8, 2}},
                      ModelSpec{"cdc", 2, {8, 1}}, ModelSpec{"irn", 2, {8, 1}}),
    [](const ::testing::TestParamInfo<ModelSpec>& info) { return spec_name(info.param); });

TEST(ReadBackAcrossScales, TheX2ExportFillsTheX4TrunkAndLeavesItsSecondUpsamplerStage) {
  const std::string x2 = exported({"edsr", 2, {8, 2}}, 21, "edsr_x2.onnx");
  SrModel source = seeded({"edsr", 2, {8, 2}}, 21), x4 = seeded({"edsr", 4, {8, 2}}, 22);
  const SrModel untouched = seeded({"edsr", 4, {8, 2}}, 22);
  const std::vector<std::string> left = vsr::train::load_matching_from_export(*x4, x2).left;
  auto loaded = x4->named_parameters(), before = untouched->named_parameters();
  for (const auto& item : source->named_parameters()) {
    if (item.key().rfind("upsampler.", 0) == 0) continue;
    EXPECT_TRUE(torch::equal(item.value(), loaded[item.key()])) << item.key();
  }
  ASSERT_FALSE(left.empty());
  for (const std::string& name : left) {
    EXPECT_EQ(name.rfind("upsampler.", 0), 0u) << name << " should have come from the x2 export";
    EXPECT_TRUE(torch::equal(loaded[name], before[name])) << name << " was changed though reported left";
  }
  EXPECT_LT(left.size(), x4->named_parameters().size());
}

TEST(ReadBackRefusals, AnotherScaleWidthOrArchitectureIsNamed) {
  const std::string x2 = exported({"edsr", 2, {8, 2}}, 31, "edsr_refused_x2.onnx");
  SrModel x4 = seeded({"edsr", 4, {8, 2}}, 32), wide = seeded({"edsr", 2, {16, 2}}, 33), vgg = seeded({"srvgg", 2, {8, 2}}, 34);
  const SrModel x4_before = seeded({"edsr", 4, {8, 2}}, 32);

  const std::string scale_error = error_of([&] { vsr::train::load_from_export(*x4, x2); });
  EXPECT_NE(scale_error.find(x2), std::string::npos) << scale_error;
  EXPECT_NE(scale_error.find("upsample"), std::string::npos) << scale_error;
  EXPECT_EQ(largest_difference(x4, x4_before), 0.0) << "a refused file must leave the model as it was";

  const std::string width_error = error_of([&] { vsr::train::load_from_export(*wide, x2); });
  EXPECT_NE(width_error.find("(x2, these features): initializer '"), std::string::npos) << width_error;
  EXPECT_NE(width_error.find("' is of shape [8"), std::string::npos) << width_error;
  // Partially, only what has the same shape at 16 wide as at 8: the tail's 3 biases.
  const std::vector<std::string> narrow_left = vsr::train::load_matching_from_export(*wide, x2).left;
  EXPECT_EQ(narrow_left.size() + 1, wide->named_parameters().size());
  EXPECT_EQ(std::count(narrow_left.begin(), narrow_left.end(), "tail.bias"), 0);

  const std::string arch_error = error_of([&] { vsr::train::load_matching_from_export(*vgg, x2); });
  EXPECT_NE(arch_error.find("is an export of edsr, not of srvgg"), std::string::npos) << arch_error;
}

TEST(ReadBackTeachers, AZooStyleExportTeachesAsItsCheckpointWould) {
  const std::string file = exported({"espcn", 2, {8, 4}}, 41, "teacher.onnx");
  vsr::train::DistillationOptions o;
  o.teachers.push_back({"espcn", {8, 4}, file, 1.0});
  vsr::train::Distillation distillation(o, 2, "l1");
  SrModel original = seeded({"espcn", 2, {8, 4}}, 41);
  original->eval();
  torch::manual_seed(5);
  const torch::Tensor lr = torch::rand({1, 3, 10, 12});
  // The teacher's output is the original's, so the term is 0 for a student that copies it.
  torch::NoGradGuard no_grad;
  const torch::Tensor copy = original->forward(lr);
  EXPECT_LT(distillation.loss(copy, lr).item<double>(), 1e-6);
}

// The interpolation network: a single-stage export read into a network with a second flow stage
// fills the first stage, leaves the second as initialised, and -- the second stage's head starting at
// zero -- the two-stage network then computes exactly what the exported one does.
TEST(ReadBackInterp, ASingleStageExportStartsTheTwoStageNetworkAsItself) {
  using vsr::train::InterpNet;
  using vsr::train::InterpNetConfig;
  torch::manual_seed(17);
  InterpNet single(InterpNetConfig::from_features({8, 8, 8, 2, 4}));
  {
    torch::NoGradGuard no_grad;  // full-size weights so the flows move pixels
    for (auto& p : single->parameters()) p.uniform_(-0.2, 0.2);
  }
  const std::string path = scratch("interp_single.onnx").string();
  single->export_onnx(path, {});
  torch::manual_seed(18);
  InterpNet two(InterpNetConfig::from_features({8, 8, 8, 2, 4, 0, 1, 6, 1}));
  const vsr::train::ReadBack read = vsr::train::load_matching_from_export(*two, path);
  EXPECT_TRUE(read.training_only.empty());
  ASSERT_FALSE(read.left.empty());
  for (const auto& name : read.left) EXPECT_EQ(name.rfind("s2_", 0), 0u) << name << " was not read back";
  auto stage1 = single->named_parameters();
  for (const auto& item : two->named_parameters()) {
    if (item.key().rfind("s2_", 0) == 0) continue;  // the new stage
    EXPECT_LT((item.value() - stage1[item.key()]).abs().max().item<double>(), 1e-6) << item.key();
  }
  torch::NoGradGuard no_grad;
  const auto x = torch::cat({torch::rand({1, 6, 16, 24}), torch::full({1, 1, 16, 24}, 0.3)}, 1);
  const auto want = single->run(x), got = two->run(x);
  EXPECT_GT(want.flow0.abs().max().item<double>(), 0.5);
  EXPECT_LT((got.frame - want.frame).abs().max().item<double>(), 1e-6);
  EXPECT_LT((got.flow1 - want.flow1).abs().max().item<double>(), 1e-5);
  // Another first stage is refused (a few of its biases would fit), and the parameter named.
  InterpNet other(InterpNetConfig::from_features({12, 12, 12, 2, 6}));
  EXPECT_NE(error_of([&] { vsr::train::load_matching_from_export(*other, path); }).find("does not hold parameter 'down1.weight'"),
            std::string::npos);
}

}  // namespace

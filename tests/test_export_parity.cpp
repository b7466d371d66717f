// The trainer's ONNX export run by the engine must match the LibTorch forward of the same weights.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "train/sr_model.h"
#include "vsr/engine.h"

namespace {

struct ParityCase {
  std::string arch;
  int scale;
  std::vector<int> features;
  bool use_onednn;
};

class ExportParity : public ::testing::TestWithParam<ParityCase> {};

TEST_P(ExportParity, EngineMatchesLibTorchForward) {
  const ParityCase c = GetParam();
  torch::manual_seed(1234);
  vsr::train::SrModel model = vsr::train::make_model({c.arch, c.scale, c.features});
  {
    // The constructor shrinks the last layer; give it full-size weights so the residual matters.
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.uniform_(-0.3, 0.3);
  }
  model->eval();
  const auto path = (std::filesystem::temp_directory_path() /
                     ("vsr_parity_" + c.arch + "_x" + std::to_string(c.scale) + (c.use_onednn ? "_dnnl" : "_ref") + ".onnx"))
                        .string();
  model->export_onnx(path, {{"vsr.trained_on", "parity test"}});

  vsr::EngineOptions options;
  options.use_onednn = c.use_onednn;
  auto engine = vsr::Engine::open(path, options);
  EXPECT_EQ(engine->info().scale, c.scale);
  EXPECT_EQ(engine->info().arch, c.arch);
  EXPECT_EQ(engine->info().receptive_field, model->receptive_field());

  // Odd sizes catch off-by-one errors in padding and resize edges.
  const auto input = torch::rand({1, 3, 23, 37});
  torch::Tensor expected;
  {
    torch::NoGradGuard no_grad;
    expected = model->forward(input).contiguous();
  }
  vsr::PlanarImage in;
  in.channels = 3;
  in.height = 23;
  in.width = 37;
  in.values.assign(input.data_ptr<float>(), input.data_ptr<float>() + input.numel());
  const vsr::PlanarImage out = engine->run(in);
  ASSERT_EQ(out.height, 23 * c.scale);
  ASSERT_EQ(out.width, 37 * c.scale);
  ASSERT_EQ(static_cast<int64_t>(out.values.size()), expected.numel());
  float max_err = 0.0f;
  const float* e = expected.data_ptr<float>();
  for (size_t i = 0; i < out.values.size(); ++i) max_err = std::max(max_err, std::fabs(out.values[i] - e[i]));
  EXPECT_LE(max_err, 1e-4f) << "max abs error between engine and LibTorch";
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(
    EveryArchitecture, ExportParity,
    ::testing::Values(ParityCase{"espcn", 2, {64, 32}, true}, ParityCase{"espcn", 2, {64, 32}, false},
                      ParityCase{"espcn", 3, {32, 16}, true}, ParityCase{"espcn", 4, {32, 16}, true},
                      ParityCase{"fsrcnn", 2, {32, 8, 2}, true}, ParityCase{"fsrcnn", 2, {32, 8, 2}, false},
                      ParityCase{"fsrcnn", 3, {16, 6, 1}, true}, ParityCase{"fsrcnn", 4, {16, 6, 1}, true},
                      ParityCase{"srvgg", 2, {16, 3}, true}, ParityCase{"srvgg", 2, {16, 3}, false},
                      ParityCase{"srvgg", 4, {16, 2}, true}, ParityCase{"srcnn", 2, {16, 8}, true},
                      ParityCase{"srcnn", 3, {16, 8}, false}, ParityCase{"vdsr", 2, {8, 4}, true},
                      ParityCase{"vdsr", 4, {8, 3}, true}),
    [](const ::testing::TestParamInfo<ParityCase>& info) {
      return info.param.arch + "_x" + std::to_string(info.param.scale) + (info.param.use_onednn ? "_onednn" : "_reference");
    });

}  // namespace

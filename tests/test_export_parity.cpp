// The trainer's ONNX export run by the engine must match the LibTorch forward of the same weights.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "train/espcn.h"
#include "vsr/engine.h"

namespace {

struct ParityCase {
  int scale;
  std::vector<int> features;
  bool use_onednn;
};

class ExportParity : public ::testing::TestWithParam<ParityCase> {};

TEST_P(ExportParity, EngineMatchesLibTorchForward) {
  const ParityCase c = GetParam();
  torch::manual_seed(1234);
  vsr::train::EspcnConfig cfg;
  cfg.scale = c.scale;
  cfg.features = c.features;
  vsr::train::Espcn model(cfg);
  {
    // The constructor shrinks the last layer; give it full-size weights so the residual matters.
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.uniform_(-0.3, 0.3);
  }
  model->eval();
  const auto path = (std::filesystem::temp_directory_path() /
                     ("vsr_parity_x" + std::to_string(c.scale) + (c.use_onednn ? "_dnnl" : "_ref") + ".onnx"))
                        .string();
  model->export_onnx(path, {{"vsr.trained_on", "parity test"}});

  vsr::EngineOptions options;
  options.use_onednn = c.use_onednn;
  auto engine = vsr::Engine::open(path, options);
  EXPECT_EQ(engine->info().scale, c.scale);
  EXPECT_EQ(engine->info().arch, "espcn");
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

INSTANTIATE_TEST_SUITE_P(Espcn, ExportParity,
                         ::testing::Values(ParityCase{2, {64, 32}, true}, ParityCase{2, {64, 32}, false},
                                           ParityCase{3, {32, 16}, true}, ParityCase{4, {32, 16}, true}));

}  // namespace

// The trainer's ONNX export run by the engine must match the LibTorch forward of the same weights.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "train/sr_model.h"
#include "vsr/engine.h"

namespace {

struct ParityCase {
  std::string arch;
  int scale;
  std::vector<int> features;
  bool use_onednn;
  std::string variant = "";  // tells apart test names of one arch's variants (CARN-M, scaled EDSR)
};

class ExportParity : public ::testing::TestWithParam<ParityCase> {};

vsr::train::SrModel random_model(const ParityCase& c) {
  torch::manual_seed(1234);
  vsr::train::SrModel model = vsr::train::make_model({c.arch, c.scale, c.features});
  {
    // The constructor shrinks the last layer; give it full-size weights so the residual matters.
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.uniform_(-0.3, 0.3);
  }
  model->eval();
  return model;
}

std::string exported(vsr::train::SrModelImpl& model, const ParityCase& c, const std::string& test) {
  const auto path = (std::filesystem::temp_directory_path() / ("vsr_" + test + "_" + c.arch + c.variant + "_x" +
                                                              std::to_string(c.scale) + (c.use_onednn ? "_dnnl" : "_ref") + ".onnx"))
                        .string();
  model.export_onnx(path, {{"vsr.trained_on", "parity test"}});
  return path;
}

// Runs the engine on `input` and expects LibTorch's forward of it, within float32 rounding.
void expect_engine_matches(vsr::Engine& engine, vsr::train::SrModelImpl& model, const torch::Tensor& input, int scale) {
  torch::Tensor expected;
  {
    torch::NoGradGuard no_grad;
    expected = model.forward(input).contiguous();
  }
  vsr::PlanarImage in;
  in.channels = 3;
  in.height = static_cast<int>(input.size(2));
  in.width = static_cast<int>(input.size(3));
  in.values.assign(input.data_ptr<float>(), input.data_ptr<float>() + input.numel());
  const vsr::PlanarImage out = engine.run(in);
  ASSERT_EQ(out.height, in.height * scale);
  ASSERT_EQ(out.width, in.width * scale);
  ASSERT_EQ(static_cast<int64_t>(out.values.size()), expected.numel());
  float max_err = 0.0f;
  const float* e = expected.data_ptr<float>();
  for (size_t i = 0; i < out.values.size(); ++i) max_err = std::max(max_err, std::fabs(out.values[i] - e[i]));
  // Rounding grows with the values: deep random-weight nets (SRResNet's 9x9 layers) reach |60|+,
  // where float32 sums over thousands of terms differ by ~1e-6 of the magnitude between libraries.
  const float max_abs = expected.abs().max().item<float>();
  const float tolerance = std::max(1e-4f, 2e-6f * max_abs);
  EXPECT_LE(max_err, tolerance) << "max abs error between engine and LibTorch (outputs reach " << max_abs << ")";
}

TEST_P(ExportParity, EngineMatchesLibTorchForward) {
  const ParityCase c = GetParam();
  vsr::train::SrModel model = random_model(c);
  const std::string path = exported(*model, c, "parity");
  vsr::EngineOptions options;
  options.use_onednn = c.use_onednn;
  auto engine = vsr::Engine::open(path, options);
  EXPECT_EQ(engine->info().scale, c.scale);
  EXPECT_EQ(engine->info().arch, c.arch);
  EXPECT_EQ(engine->info().receptive_field, model->receptive_field());
  // Odd sizes catch off-by-one errors in padding and resize edges.
  expect_engine_matches(*engine, *model, torch::rand({1, 3, 23, 37}), c.scale);
  std::filesystem::remove(path);
}

// Small tiles with the receptive field as overlap must still give the whole-frame result: a
// receptive_field() that is too small shows up as seams. One case per architecture and upsampler
// shape; RCAN and DRN are left out, their channel attention averages over the whole tile (see train/rcan.h).
class TiledExport : public ::testing::TestWithParam<ParityCase> {};

TEST_P(TiledExport, TilesOverlappingByTheReceptiveFieldMatchTheWholeFrame) {
  const ParityCase c = GetParam();
  vsr::train::SrModel model = random_model(c);
  const std::string path = exported(*model, c, "tiled");
  vsr::EngineOptions options;
  options.use_onednn = c.use_onednn;
  options.tile_size = 8;
  auto engine = vsr::Engine::open(path, options);
  ASSERT_EQ(engine->tile_overlap(), model->receptive_field());
  // Wide enough that the middle tiles, grown by receptive fields up to ~25, still leave part out.
  expect_engine_matches(*engine, *model, torch::rand({1, 3, 29, 77}), c.scale);
  std::filesystem::remove(path);
}

std::string case_name(const ::testing::TestParamInfo<ParityCase>& info) {
  return info.param.arch + info.param.variant + "_x" + std::to_string(info.param.scale) +
         (info.param.use_onednn ? "_onednn" : "_reference");
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
                      ParityCase{"vdsr", 4, {8, 3}, true}, ParityCase{"edsr", 2, {8, 2}, true},
                      ParityCase{"edsr", 2, {8, 2, 1}, false, "_scaled"}, ParityCase{"edsr", 3, {8, 1}, true},
                      ParityCase{"edsr", 4, {8, 1, 1}, true, "_scaled"}, ParityCase{"rcan", 2, {8, 2, 2, 4}, true},
                      ParityCase{"rcan", 2, {8, 2, 2, 4}, false}, ParityCase{"rcan", 3, {8, 1, 1, 2}, true},
                      ParityCase{"rcan", 4, {8, 1, 2, 4}, true}, ParityCase{"carn", 2, {8, 0}, true},
                      ParityCase{"carn", 2, {8, 1}, true, "_m"}, ParityCase{"carn", 2, {8, 1}, false, "_m"},
                      ParityCase{"carn", 3, {8, 0}, false}, ParityCase{"carn", 4, {8, 1}, true, "_m"},
                      ParityCase{"srresnet", 2, {8, 2}, true}, ParityCase{"srresnet", 2, {8, 2}, false},
                      ParityCase{"srresnet", 3, {8, 1}, true}, ParityCase{"srresnet", 4, {8, 2}, true},
                      ParityCase{"rrdb", 2, {8, 1, 4}, true}, ParityCase{"rrdb", 2, {8, 1, 4}, false},
                      ParityCase{"rrdb", 3, {8, 1, 4}, true}, ParityCase{"rrdb", 4, {8, 1, 4}, true},
                      ParityCase{"rdn", 2, {8, 2, 3, 4}, true}, ParityCase{"rdn", 2, {8, 2, 3, 4}, false},
                      ParityCase{"rdn", 3, {8, 1, 2, 4}, true}, ParityCase{"rdn", 4, {8, 2, 2, 4}, true},
                      ParityCase{"drn", 2, {4, 2}, true}, ParityCase{"drn", 2, {4, 2}, false},
                      ParityCase{"drn", 4, {4, 1}, true}, ParityCase{"spsr", 2, {8, 4}, true},
                      ParityCase{"spsr", 2, {8, 4}, false}, ParityCase{"spsr", 3, {8, 2}, true},
                      ParityCase{"spsr", 4, {8, 5}, true}, ParityCase{"cdc", 2, {8, 2}, true},
                      ParityCase{"cdc", 2, {8, 2}, false}, ParityCase{"cdc", 3, {8, 1}, true},
                      ParityCase{"cdc", 4, {8, 1}, true}, ParityCase{"irn", 2, {8, 2}, true},
                      ParityCase{"irn", 2, {8, 2}, false}, ParityCase{"irn", 4, {8, 1}, true}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    EveryArchitecture, TiledExport,
    ::testing::Values(ParityCase{"espcn", 3, {32, 16}, true}, ParityCase{"fsrcnn", 3, {16, 6, 1}, true},
                      ParityCase{"srvgg", 4, {16, 2}, true}, ParityCase{"srcnn", 3, {16, 8}, true},
                      ParityCase{"vdsr", 4, {8, 3}, true}, ParityCase{"edsr", 2, {8, 2}, true},
                      ParityCase{"edsr", 4, {8, 1, 1}, true, "_scaled"}, ParityCase{"carn", 3, {8, 0}, true},
                      ParityCase{"carn", 4, {8, 1}, true, "_m"}, ParityCase{"srresnet", 3, {8, 1}, true},
                      ParityCase{"rrdb", 4, {8, 1, 4}, true}, ParityCase{"rdn", 2, {8, 2, 3, 4}, true},
                      ParityCase{"rdn", 4, {8, 2, 2, 4}, true}, ParityCase{"spsr", 3, {8, 2}, true},
                      ParityCase{"cdc", 4, {8, 1}, true}, ParityCase{"irn", 4, {8, 1}, true}),
    case_name);

}  // namespace

// The interpolation network's ONNX export, run by the engine, must match its LibTorch forward: the
// network alone in float (the engine's Network on the padded 7-channel tensor), and the whole
// vsr::Interpolator path on 8-bit RGB frames of an odd size (padding by edge replication, crop,
// quantisation) within one level.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "models/graph.h"
#include "models/network.h"
#include "train/interp_net.h"
#include "vsr/interpolator.h"

namespace {

vsr::train::InterpNet random_interp_net(const std::vector<int>& features = {}) {
  torch::manual_seed(4321);
  vsr::train::InterpNet net(vsr::train::InterpNetConfig::from_features(features));
  {
    // Full-size random weights (the constructor starts as a plain blend) so flows of several pixels,
    // the mask and the refinement all matter.
    torch::NoGradGuard no_grad;
    for (auto& p : net->parameters()) p.uniform_(-0.15, 0.15);
  }
  net->eval();
  return net;
}

std::string exported(vsr::train::InterpNetImpl& net, const std::string& name) {
  const auto path = (std::filesystem::temp_directory_path() / ("vsr_interp_parity_" + name + ".onnx")).string();
  net.export_onnx(path, {{"vsr.trained_on", "parity test"}});
  return path;
}

// Edge-replication padding to the size multiple, as vsr::Interpolator pads.
torch::Tensor pad_to_multiple(const torch::Tensor& x, int multiple) {
  const int64_t h = x.size(2), w = x.size(3);
  const int64_t H = (h + multiple - 1) / multiple * multiple, W = (w + multiple - 1) / multiple * multiple;
  auto rows = torch::arange(H).clamp_max(h - 1), cols = torch::arange(W).clamp_max(w - 1);
  return x.index_select(2, rows).index_select(3, cols);
}

torch::Tensor network_input(const torch::Tensor& f0, const torch::Tensor& f1, double t) {
  return torch::cat({f0, f1, torch::full({1, 1, f0.size(2), f0.size(3)}, t)}, 1);
}

// Every shape of the network: the head at 1/4 (the default), the half-resolution decoder with a
// two-layer refinement (features 6 and 7), and the second, finer flow stage (features 8 and 9).
class InterpParityShapes : public ::testing::TestWithParam<std::vector<int>> {};

TEST_P(InterpParityShapes, NetworkAloneMatchesInFloat) {
  auto net = random_interp_net(GetParam());
  const std::string path = exported(*net, "float" + std::to_string(GetParam().size()));
  const vsr::Graph graph = vsr::load_onnx_graph(path);
  auto network = vsr::make_network(graph, vsr::EngineOptions{});
  torch::manual_seed(7);
  for (auto [h, w] : {std::pair{24, 40}, std::pair{32, 16}}) {
    const auto f0 = torch::rand({1, 3, h, w}), f1 = torch::rand({1, 3, h, w});
    for (double t : {0.25, 0.5, 0.8}) {
      const auto x = network_input(f0, f1, t);
      vsr::train::InterpOutput expected;
      {
        torch::NoGradGuard no_grad;
        expected = net->run(x);
      }
      // The weights must give real motion, or the warp would not be tested.
      EXPECT_GT(expected.flow0.abs().max().item<float>(), 1.0f);
      vsr::cpu::Tensor in;
      in.resize({1, 7, h, w});
      std::copy(x.data_ptr<float>(), x.data_ptr<float>() + x.numel(), in.data.begin());
      const vsr::cpu::Tensor& out = network->run(in);
      ASSERT_EQ(out.shape, (std::vector<int64_t>{1, 3, h, w}));
      const auto want = expected.frame.contiguous();
      float max_err = 0.0f;
      for (int64_t i = 0; i < want.numel(); ++i)
        max_err = std::max(max_err, std::abs(out.data[i] - want.data_ptr<float>()[i]));
      // float32 rounding through ~20 layers of random (large) weights and the warps: well under
      // one 8-bit level (3.9e-3).
      EXPECT_LT(max_err, 3e-4f) << h << "x" << w << " t=" << t;
      std::cout << "  " << h << "x" << w << " t=" << t << ": max |engine - LibTorch| = " << max_err << "\n";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(InterpParity, InterpParityShapes,
                         ::testing::Values(std::vector<int>{}, std::vector<int>{32, 64, 80, 5, 16, 32, 2},
                                           std::vector<int>{32, 64, 80, 5, 16, 0, 1, 16, 2}));

TEST(InterpParity, InterpolatorOnOddSizedRgbFramesWithinOneLevel) {
  auto net = random_interp_net();
  auto interp = vsr::Interpolator::open(exported(*net, "frames"));
  EXPECT_EQ(interp->size_multiple(), 8);
  EXPECT_EQ(interp->info().temporal, "interpolate");
  const int h = 21, w = 37;
  torch::manual_seed(11);
  // Smooth-ish content (a random field upsampled) so the warps move visible structure.
  auto make = [&] {
    auto coarse = torch::rand({1, 3, 6, 10});
    auto f = torch::nn::functional::interpolate(
        coarse, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
    return f.mul(255.0).round().clamp(0, 255).to(torch::kUInt8);
  };
  const auto u0 = make(), u1 = make();
  auto packed = [](const torch::Tensor& u) { return u.squeeze(0).permute({1, 2, 0}).contiguous(); };
  auto p0 = packed(u0), p1 = packed(u1);
  auto frame_of = [&](torch::Tensor& p) {
    vsr::Frame f;
    f.format = vsr::PixelFormat::RGB;
    f.width = w;
    f.height = h;
    f.planes[0] = {p.data_ptr<uint8_t>(), 3 * w};
    return f;
  };
  std::vector<uint8_t> result(static_cast<size_t>(3) * w * h);
  vsr::Frame out;
  out.format = vsr::PixelFormat::RGB;
  out.width = w;
  out.height = h;
  out.planes[0] = {result.data(), 3 * w};
  for (double t : {0.25, 0.5, 0.8}) {
    interp->interpolate(frame_of(p0), frame_of(p1), t, out);
    torch::Tensor expected;
    {
      torch::NoGradGuard no_grad;
      const auto x = pad_to_multiple(network_input(u0.to(torch::kFloat32) / 255.0, u1.to(torch::kFloat32) / 255.0, t), 8);
      expected = net->forward(x).slice(2, 0, h).slice(3, 0, w);
    }
    const auto want = packed(expected.mul(255.0).round().clamp(0, 255).to(torch::kUInt8));
    int max_diff = 0;
    for (int64_t i = 0; i < want.numel(); ++i)
      max_diff = std::max(max_diff, std::abs(int(result[i]) - int(want.data_ptr<uint8_t>()[i])));
    EXPECT_LE(max_diff, 1) << "t=" << t;
    std::cout << "  37x21 RGB t=" << t << ": max 8-bit difference " << max_diff << "\n";
  }
}

}  // namespace

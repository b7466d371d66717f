// The engine on the CUDA backend against the CPU backend, model by model: the shipped single-frame
// models and the PyTorch-exported fixtures (ESPCN, SRVGGNetCompact, RRDB, cubic pre-upsampling, GridSample warping),
// fp32 tight and fp16 within half precision; and whole frames through push().
#include <gtest/gtest.h>

#include <random>

#include "../colour_test_frame.h"
#include "cuda_test_util.h"
#include "vsr/engine.h"

namespace {

vsr::PlanarImage random_image(int channels, int h, int w) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  vsr::PlanarImage img{channels, h, w, std::vector<float>(static_cast<size_t>(channels) * h * w)};
  for (float& v : img.values) v = u(rng);
  return img;
}

float max_diff(const vsr::PlanarImage& a, const vsr::PlanarImage& b) {
  EXPECT_EQ(a.values.size(), b.values.size());
  float d = 0.0f;
  for (size_t i = 0; i < a.values.size() && i < b.values.size(); ++i) d = std::max(d, std::abs(a.values[i] - b.values[i]));
  return d;
}

// Every shipped single-frame model, then PyTorch's exports of what the zoo lacks (RRDB, cubic
// pre-upsampling, a GridSample warp with its Transpose, a luma-only model).
const char* kModels[] = {"models/zoo/espcn_x2.onnx",           "models/zoo/srvgg_x2.onnx",
                         "models/zoo/srvgg_x3.onnx",           "models/zoo/srvgg_x4.onnx",
                         "models/zoo/realworld_x2.onnx",       "models/zoo/edsr_quality_x2.onnx",
                         "models/zoo/edsr_quality_x4.onnx",    "tests/fixtures/espcn_like.onnx",
                         "tests/fixtures/srvgg_compact_like.onnx", "tests/fixtures/rrdb_like.onnx",
                         "tests/fixtures/preupsample_cubic.onnx",  "tests/fixtures/gridsample_warp.onnx",
                         "tests/fixtures/espcn_y_like.onnx"};

void compare_backends(const std::string& precision, float tolerance) {
  for (const char* model : kModels) {
    const std::string path = cuda_test::source_file(model);
    vsr::EngineOptions cpu, gpu;
    cpu.tile_size = gpu.tile_size = -1;
    gpu.backend = "cuda";
    gpu.precision = precision;
    auto a = vsr::Engine::open(path, cpu), b = vsr::Engine::open(path, gpu);
    EXPECT_EQ(b->backend(), "cuda");
    const int channels = a->info().colour == vsr::ModelColour::Y ? 1 : 3;
    const vsr::PlanarImage in = random_image(channels, 37, 53);
    EXPECT_LE(max_diff(a->run(in), b->run(in)), tolerance) << model << " (" << precision << ")\n" << b->describe();
  }
}

TEST(CudaEngine, Fp32MatchesTheCpuBackendOnEveryModel) {
  VSR_REQUIRE_GPU();
  compare_backends("fp32", 1e-4f);
}

TEST(CudaEngine, Fp16StaysWithinHalfPrecisionOfTheCpuBackend) {
  VSR_REQUIRE_GPU();
  compare_backends("fp16", 2e-2f);
}

TEST(CudaEngine, TiledOnTheGpuWhenTheBudgetIsSmallAndStillEqual) {
  VSR_REQUIRE_GPU();
  vsr::EngineOptions cpu, gpu;
  cpu.tile_size = -1;
  gpu.backend = "cuda";
  gpu.precision = "fp32";
  gpu.memory_budget_mb = 1;  // forces tiles on a 200x120 input
  auto a = vsr::Engine::open(cuda_test::source_file("models/zoo/espcn_x2.onnx"), cpu);
  auto b = vsr::Engine::open(cuda_test::source_file("models/zoo/espcn_x2.onnx"), gpu);
  ASSERT_GT(b->tile_size(), 0);
  ASSERT_LT(b->tile_size(), 200) << "the budget did not make tiles";
  const vsr::PlanarImage in = random_image(3, 120, 200);
  EXPECT_LE(max_diff(a->run(in), b->run(in)), 1e-4f);
}

TEST(CudaEngine, FramesOfEveryFormatMatchTheCpuBackend) {
  VSR_REQUIRE_GPU();
  using vsr::cpu::colour_test::OwnedFrame;
  const int w = 64, h = 36;
  for (vsr::PixelFormat format : {vsr::PixelFormat::RGB, vsr::PixelFormat::BGRA, vsr::PixelFormat::I420,
                                  vsr::PixelFormat::NV12, vsr::PixelFormat::Y444, vsr::PixelFormat::P010_10LE}) {
    OwnedFrame in(format, w, h, /*pad=*/8);
    std::mt19937 rng(3);
    for (auto& plane : in.planes)
      for (auto& b : plane) b = static_cast<uint8_t>(rng());
    if (in.layout.sample_bytes == 2)  // keep 10-bit codes in their bits
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) in.set_y(x, y, in.y_code(x, y) & 1023);
    auto run = [&](const std::string& backend) {
      vsr::EngineOptions o;
      o.backend = backend;
      o.precision = backend == "cuda" ? "fp32" : "auto";
      auto engine = vsr::Engine::open(cuda_test::source_file("models/zoo/espcn_x2.onnx"), o);
      OwnedFrame out(format, 2 * w, 2 * h, /*pad=*/4);
      EXPECT_TRUE(engine->push(in.frame, out.frame));
      return out;
    };
    const OwnedFrame cpu = run("cpu"), gpu = run("cuda");
    int worst = 0;
    for (int p = 0; p < cpu.layout.planes; ++p)
      for (int y = 0; y < cpu.rows(p); ++y)
        for (int i = 0; i < cpu.row_bytes(p) / cpu.layout.sample_bytes; ++i)
          worst = std::max(worst, std::abs(cpu.word(p, i, y) - gpu.word(p, i, y)) >> cpu.layout.shift);
    EXPECT_LE(worst, 1) << vsr::to_string(format);
    EXPECT_TRUE(gpu.padding_untouched()) << vsr::to_string(format);
  }
}

}  // namespace

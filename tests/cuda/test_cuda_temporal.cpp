// The shipped temporal models on the CUDA backend against the CPU backend: the interpolation models
// through vsr::Interpolator (their flow warps put Split, Transpose, GridSample and the grid's shape
// arithmetic on the GPU path) and the recurrent model's state carried from frame to frame by push().
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../colour_test_frame.h"
#include "cuda_test_util.h"
#include "vsr/engine.h"
#include "vsr/interpolator.h"

namespace {

using vsr::cpu::colour_test::OwnedFrame;

// Smooth RGB content moved `shift` pixels to the right: motion the flow networks can follow, on an
// odd size so the interpolator pads to its size multiple.
OwnedFrame moving_frame(int w, int h, double shift) {
  OwnedFrame f(vsr::PixelFormat::RGB, w, h, /*pad=*/4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        f.at(0, 3 * x + c, y) = static_cast<uint8_t>(
            std::lround(128.0 + 90.0 * std::sin((x - shift) / (5.0 + c)) * std::cos(y / (7.0 - c))));
  return f;
}

// Largest difference in code values over the picture (not the padding) and its mean.
struct Difference {
  int largest = 0;
  double mean = 0.0;
};

Difference difference(const OwnedFrame& a, const OwnedFrame& b) {
  Difference d;
  int64_t sum = 0, n = 0;
  for (int y = 0; y < a.rows(0); ++y)
    for (int i = 0; i < a.row_bytes(0); ++i) {
      const int e = std::abs(a.at(0, i, y) - b.at(0, i, y));
      d.largest = std::max(d.largest, e);
      sum += e;
      ++n;
    }
  d.mean = n ? static_cast<double>(sum) / n : 0.0;
  return d;
}

vsr::EngineOptions on(const std::string& backend, const std::string& precision) {
  vsr::EngineOptions o;
  o.backend = backend;
  o.precision = backend == "cuda" ? precision : "auto";
  return o;
}

OwnedFrame interpolated(const std::string& model, const vsr::EngineOptions& options, int passes) {
  const int w = 67, h = 45;
  const OwnedFrame a = moving_frame(w, h, 0.0), b = moving_frame(w, h, 5.0);
  OwnedFrame out(vsr::PixelFormat::RGB, w, h, /*pad=*/4);
  auto interp = vsr::Interpolator::open(cuda_test::source_file(model), options);
  EXPECT_EQ(interp->backend(), options.backend) << model;
  interp->set_ensemble(passes);
  interp->interpolate(a.frame, b.frame, 0.3, out.frame);
  return out;
}

TEST(CudaTemporal, InterpolationModelsMatchTheCpuBackend) {
  VSR_REQUIRE_GPU();
  for (const char* model : {"models/zoo/interp_ifnet_lite.onnx", "models/zoo/interp_ifnet_2stage.onnx"})
    for (int passes : {1, 4}) {
      const OwnedFrame cpu = interpolated(model, on("cpu", "auto"), passes);
      const Difference fp32 = difference(cpu, interpolated(model, on("cuda", "fp32"), passes));
      EXPECT_LE(fp32.largest, 1) << model << ", " << passes << " pass(es), fp32";
      // Half precision moves the flows by a fraction of a pixel: small on average, a few levels at edges.
      const Difference fp16 = difference(cpu, interpolated(model, on("cuda", "fp16"), passes));
      EXPECT_LE(fp16.mean, 0.5) << model << ", " << passes << " pass(es), fp16";
      EXPECT_LE(fp16.largest, 24) << model << ", " << passes << " pass(es), fp16";
    }
}

TEST(CudaTemporal, RecurrentStateCarriesAcrossFramesAsOnTheCpu) {
  VSR_REQUIRE_GPU();
  const int w = 40, h = 28;
  auto cpu = vsr::Engine::open(cuda_test::source_file("models/zoo/recurrent_x4.onnx"), on("cpu", "auto"));
  auto gpu = vsr::Engine::open(cuda_test::source_file("models/zoo/recurrent_x4.onnx"), on("cuda", "fp32"));
  ASSERT_EQ(gpu->info().temporal, "recurrent");
  for (int i = 0; i < 4; ++i) {
    const OwnedFrame in = moving_frame(w, h, 2.0 * i);
    OwnedFrame a(vsr::PixelFormat::RGB, 4 * w, 4 * h, /*pad=*/4), b(vsr::PixelFormat::RGB, 4 * w, 4 * h, /*pad=*/4);
    ASSERT_TRUE(cpu->push(in.frame, a.frame));
    ASSERT_TRUE(gpu->push(in.frame, b.frame));
    EXPECT_LE(difference(a, b).largest, 1) << "frame " << i;
  }
  // After a reset both start again from a zero state.
  cpu->reset();
  gpu->reset();
  const OwnedFrame in = moving_frame(w, h, 0.0);
  OwnedFrame a(vsr::PixelFormat::RGB, 4 * w, 4 * h, /*pad=*/4), b(vsr::PixelFormat::RGB, 4 * w, 4 * h, /*pad=*/4);
  ASSERT_TRUE(cpu->push(in.frame, a.frame));
  ASSERT_TRUE(gpu->push(in.frame, b.frame));
  EXPECT_LE(difference(a, b).largest, 1) << "after reset";
}

}  // namespace

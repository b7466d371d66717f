// Devices and mixed precision in vsr-train (train/mixed_precision.h): the device setting's errors,
// autocast scopes that switch the forward to bf16 and put the previous state back, the dynamic loss
// scale by hand (unscaled gradients, skipped steps, growth, resume), and a bf16 run on the CPU that
// trains and exports. The CUDA half (fp16 with loss scaling on a GPU) needs a CUDA LibTorch and a GPU.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "train/mixed_precision.h"
#include "train/trainer.h"
#include "vsr/engine.h"
#include "vsr/error.h"
#include "error_text.h"
#include "training_runs.h"

namespace fs = std::filesystem;
using vsr::train::AutocastScope;
using vsr::train::LossScaler;

namespace {

TEST(TrainingDevice, TheCpuAlwaysAndCudaOnlyWhereThereIsOne) {
  EXPECT_EQ(vsr::train::training_device("cpu"), torch::Device(torch::kCPU));
  EXPECT_NE(error_of([] { vsr::train::training_device("tpu"); }).find("setting 'device' is 'tpu'"), std::string::npos);
  if (torch::cuda::is_available()) {
    EXPECT_EQ(vsr::train::training_device("cuda").type(), torch::kCUDA);
    EXPECT_NE(error_of([] { vsr::train::training_device("cuda:99"); }).find("CUDA device(s)"), std::string::npos);
  } else {
    const std::string e = error_of([] { vsr::train::training_device("cuda"); });
    EXPECT_NE(e.find("setting 'device' is 'cuda', but this LibTorch has no CUDA"), std::string::npos) << e;
  }
}

TEST(AutocastScope, TheForwardRunsInBf16InsideAndFp32Outside) {
  torch::manual_seed(1);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1));
  const torch::Tensor x = torch::rand({1, 3, 8, 8});
  {
    AutocastScope outer(torch::kCPU, "bf16");
    EXPECT_EQ(conv->forward(x).scalar_type(), torch::kBFloat16);
    {
      AutocastScope off(torch::kCPU, "fp32");  // fp32 changes nothing
      EXPECT_EQ(conv->forward(x).scalar_type(), torch::kBFloat16);
    }
    EXPECT_EQ(conv->forward(x).scalar_type(), torch::kBFloat16);
  }
  EXPECT_EQ(conv->forward(x).scalar_type(), torch::kFloat32) << "the scope must switch autocast off again";
  EXPECT_THROW(AutocastScope(torch::kCPU, "fp8"), vsr::Error);
  // The weights stay fp32 and receive fp32 gradients through the bf16 forward.
  torch::Tensor loss;
  {
    AutocastScope reduced(torch::kCPU, "bf16");
    loss = conv->forward(x).to(torch::kFloat32).square().mean();
  }
  loss.backward();
  EXPECT_EQ(conv->weight.scalar_type(), torch::kFloat32);
  EXPECT_EQ(conv->weight.grad().scalar_type(), torch::kFloat32);
  EXPECT_GT(conv->weight.grad().abs().sum().item<double>(), 0.0);
}

// One weight w, loss = 3 w: its true gradient is 3 whatever the scale.
struct OneWeight {
  torch::Tensor w = torch::full({1}, 2.0, torch::requires_grad());
  torch::optim::SGD sgd{std::vector<torch::Tensor>{w}, torch::optim::SGDOptions(0.5)};
  void backward(const LossScaler& scaler) {
    sgd.zero_grad();
    scaler.scale(w * 3.0).sum().backward();
  }
};

TEST(LossScaler, StepsWithTheTrueGradientAndSkipsOverflows) {
  OneWeight p;
  LossScaler scaler(true, 8.0, 2);
  p.backward(scaler);
  EXPECT_DOUBLE_EQ(p.w.grad().item<double>(), 24.0);  // scaled by 8 before the step
  EXPECT_TRUE(scaler.step(p.sgd, {p.w}));
  EXPECT_DOUBLE_EQ(p.w.grad().item<double>(), 3.0);
  EXPECT_DOUBLE_EQ(p.w.item<double>(), 2.0 - 0.5 * 3.0);
  EXPECT_EQ(scaler.finite_steps(), 1);

  p.backward(scaler);
  p.w.grad().fill_(std::numeric_limits<float>::infinity());  // an fp16 overflow
  EXPECT_FALSE(scaler.step(p.sgd, {p.w}));
  EXPECT_DOUBLE_EQ(p.w.item<double>(), 0.5) << "an overflowing step must not move the weights";
  EXPECT_DOUBLE_EQ(scaler.value(), 4.0);
  EXPECT_EQ(scaler.finite_steps(), 0);
  p.backward(scaler);
  p.w.grad().fill_(std::numeric_limits<float>::quiet_NaN());
  EXPECT_FALSE(scaler.step(p.sgd, {p.w}));
  EXPECT_DOUBLE_EQ(scaler.value(), 2.0);

  for (int i = 0; i < 2; ++i) {
    p.backward(scaler);
    EXPECT_TRUE(scaler.step(p.sgd, {p.w}));
  }
  EXPECT_DOUBLE_EQ(scaler.value(), 4.0) << "two finite steps in a row double the scale";

  const std::string path = (fs::temp_directory_path() / "vsr_loss_scale.txt").string();
  p.backward(scaler);
  scaler.step(p.sgd, {p.w});
  scaler.save(path);
  LossScaler resumed(true, 65536.0, 2);
  resumed.load(path);
  EXPECT_DOUBLE_EQ(resumed.value(), 4.0);
  EXPECT_EQ(resumed.finite_steps(), 1);
  std::ofstream(path) << "garbage\n";
  EXPECT_NE(error_of([&] { resumed.load(path); }).find("does not hold a loss scale"), std::string::npos);
  fs::remove(path);
}

TEST(LossScaler, DisabledItPassesTheLossThroughAndAlwaysSteps) {
  OneWeight p;
  LossScaler scaler(false);
  p.backward(scaler);
  EXPECT_DOUBLE_EQ(p.w.grad().item<double>(), 3.0);
  EXPECT_TRUE(scaler.step(p.sgd, {p.w}));
  EXPECT_DOUBLE_EQ(scaler.value(), 1.0);
}

TEST(MixedPrecisionTraining, ABf16RunOnTheCpuTrainsAndExports) {
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_bf16";
  fs::remove_all(out);
  vsr::train::TrainOptions o = tiny_run(out);
  o.export_path = (out / "bf16.onnx").string();
  o.features = {16, 8};
  o.iterations = 40;
  o.checkpoint_every = 20;
  o.learning_rate = 3e-3;
  o.precision = "bf16";
  vsr::train::train(o);
  const std::vector<double> losses = csv_losses(out / "train.csv");
  ASSERT_EQ(losses.size(), 2u);
  EXPECT_LT(losses[1], losses[0]);
  auto engine = vsr::Engine::open(o.export_path);  // the export is fp32 weights, as any other
  EXPECT_NE(engine->info().metrics.find("precision=bf16"), std::string::npos) << engine->info().metrics;
  fs::remove_all(out);
}

}  // namespace

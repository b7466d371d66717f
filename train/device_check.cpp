// vsr-train-device-check: vsr-train's models trained for a few steps on one device in each precision,
// the way the trainer steps them (autocast forward, fp32 loss, loss scale for fp16), then exported.
// It needs only LibTorch and ONNX, so the GPU machine (PyTorch 2.x with CUDA, no FFmpeg or oneDNN)
// builds it from train/device_check/ and scripts/gpu-check.sh runs it there; here it runs on the CPU
// as a test. Per architecture and precision it prints the loss at the start and the end, ms and
// patches per step, how far the reduced-precision forward lands from the fp32 one, and whether the
// export from the device's weights worked; it exits 1 when a loss is not finite or does not fall,
// a reduced forward strays, or an export fails.
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "mixed_precision.h"
#include "sr_model.h"
#include "vsr/error.h"

namespace {
namespace fs = std::filesystem;
using vsr::train::AutocastScope;
using vsr::train::LossScaler;

struct Options {
  std::string device = "cpu";
  std::vector<std::string> precisions;
  std::vector<std::string> archs;  // name or name:feature,feature...
  int steps = 40;
  int batch = 16;
  int patch = 32;  // LR side
  int scale = 2;
  std::string out = "out/train-device-check";
};

// A reduced forward further than this from the fp32 one (images in [0, 1]) is wrong, not rounding.
constexpr double kReducedTolerance = 0.05;

// Smooth random HR patches (upsampled noise) and their box-filtered LR, the same for every
// precision and device: made on the CPU from a seed per step.
std::pair<torch::Tensor, torch::Tensor> batch_for_step(const Options& o, int step, const torch::Device& device) {
  torch::manual_seed(1000 + step);
  const int64_t hr = static_cast<int64_t>(o.patch) * o.scale;
  const torch::Tensor coarse = torch::rand({o.batch, 3, hr / 4, hr / 4});
  const torch::Tensor high = torch::nn::functional::interpolate(
      coarse, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{hr, hr}).mode(torch::kBilinear).align_corners(false));
  const torch::Tensor low = torch::avg_pool2d(high, o.scale);
  return {low.to(device), high.to(device)};
}

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

struct Result {
  double first_loss = NAN, last_loss = NAN, ms_per_step = NAN, reduced_error = 0.0;
  int64_t parameters = 0;
  bool exported = false;
  std::string failure;
};

Result check(const Options& o, const vsr::train::ModelSpec& spec, const std::string& precision, const torch::Device& device) {
  Result r;
  torch::manual_seed(1);
  vsr::train::SrModel model = vsr::train::make_model(spec);
  model->to(device);
  for (const auto& p : model->parameters()) r.parameters += p.numel();
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(5e-4));
  LossScaler scaler(precision == "fp16");
  std::vector<double> losses;
  const int warmup = std::min(3, o.steps - 1);
  std::chrono::steady_clock::time_point timed_from;
  model->train();
  for (int step = 0; step < o.steps; ++step) {
    if (step == warmup) {
      synchronize(device);
      timed_from = std::chrono::steady_clock::now();
    }
    const auto [lr, hr] = batch_for_step(o, step, device);
    optimizer.zero_grad();
    torch::Tensor sr;
    {
      AutocastScope reduced(device.type(), precision);
      sr = model->forward(lr);
    }
    const torch::Tensor loss = torch::l1_loss(sr.to(torch::kFloat32), hr);
    scaler.scale(loss).backward();
    scaler.step(optimizer, model->parameters());
    losses.push_back(loss.item<double>());
  }
  synchronize(device);
  r.ms_per_step = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - timed_from).count() /
                  std::max(1, o.steps - warmup);
  // The mean of the first and of the last three steps: one batch's loss is noisy.
  const int k = std::min<int>(3, static_cast<int>(losses.size()) / 2);
  r.first_loss = r.last_loss = 0.0;
  for (int i = 0; i < k; ++i) {
    r.first_loss += losses[i] / k;
    r.last_loss += losses[losses.size() - 1 - i] / k;
  }
  for (double l : losses)
    if (!std::isfinite(l)) r.failure = "a loss was not finite";
  if (r.failure.empty() && !(r.last_loss < r.first_loss)) r.failure = "the loss did not fall";

  model->eval();
  if (precision != "fp32") {
    torch::NoGradGuard no_grad;
    const torch::Tensor lr = batch_for_step(o, o.steps, device).first;
    const torch::Tensor full = model->forward(lr);
    torch::Tensor reduced;
    {
      AutocastScope scope(device.type(), precision);
      reduced = model->forward(lr);
    }
    r.reduced_error = (reduced.to(torch::kFloat32) - full).abs().max().item<double>();
    if (!(r.reduced_error <= kReducedTolerance) && r.failure.empty())
      r.failure = precision + " forward differs from fp32 by " + std::to_string(r.reduced_error);
  }
  const fs::path onnx = fs::path(o.out) / (spec.arch + "_" + precision + ".onnx");
  try {
    model->export_onnx(onnx.string(), {{"vsr.trained_on", "vsr-train-device-check synthetic patches"}});
    r.exported = fs::exists(onnx) && fs::file_size(onnx) > 0;
  } catch (const std::exception& e) {
    if (r.failure.empty()) r.failure = std::string("export: ") + e.what();
  }
  if (!r.exported && r.failure.empty()) r.failure = "the export wrote nothing";
  return r;
}

int usage(const char* why) {
  std::cerr << "vsr-train-device-check: " << why << "\n"
            << "usage: vsr-train-device-check [--device cpu|cuda|cuda:N] [--precision fp32|bf16|fp16]... [--arch NAME[:F,F...]]...\n"
            << "                              [--steps N] [--batch N] [--patch N] [--scale N] [--out DIR]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (i + 1 >= argc) return usage(("'" + flag + "' needs a value").c_str());
      const std::string value = argv[++i];
      if (flag == "--device") o.device = value;
      else if (flag == "--precision") o.precisions.push_back(value);
      else if (flag == "--arch") o.archs.push_back(value);
      else if (flag == "--steps") o.steps = std::stoi(value);
      else if (flag == "--batch") o.batch = std::stoi(value);
      else if (flag == "--patch") o.patch = std::stoi(value);
      else if (flag == "--scale") o.scale = std::stoi(value);
      else if (flag == "--out") o.out = value;
      else return usage(("unknown option '" + flag + "'").c_str());
    }
  } catch (const std::exception&) {
    return usage("a numeric option has a value that is not a number");
  }
  if (o.steps < 2 || o.batch < 1 || o.patch < 4 || o.scale < 2 || o.scale > 4) return usage("steps >= 2, batch >= 1, patch >= 4, scale 2 to 4");
  if (o.precisions.empty()) o.precisions = {"fp32", "bf16"};
  if (o.archs.empty()) o.archs = {"espcn", "srvgg", "edsr", "rcan:64,4,4,16", "rrdb:64,6,32", "carn"};
  int failures = 0;
  try {
    const torch::Device device = vsr::train::training_device(o.device);
    if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);  // as PyTorch runs with cudnn.benchmark
    fs::create_directories(o.out);
    std::printf("vsr-train-device-check on %s: %d steps of %d %dx%d LR patches, x%d\n", device.str().c_str(), o.steps, o.batch,
                o.patch, o.patch, o.scale);
    std::printf("%-18s %-5s %10s %10s %10s %10s %11s %10s %7s  %s\n", "arch", "prec", "params", "loss@0", "loss@end", "ms/step",
                "patches/s", "|red-fp32|", "export", "result");
    for (const auto& text : o.archs) {
      const vsr::train::ModelSpec spec = vsr::train::parse_model_spec(text, o.scale);
      for (const auto& precision : o.precisions) {
        Result r;
        try {
          r = check(o, spec, precision, device);
        } catch (const std::exception& e) {
          r.failure = e.what();
        }
        failures += r.failure.empty() ? 0 : 1;
        std::printf("%-18s %-5s %10lld %10.5f %10.5f %10.2f %11.1f %10.5f %7s  %s\n", text.c_str(), precision.c_str(),
                    static_cast<long long>(r.parameters), r.first_loss, r.last_loss, r.ms_per_step, 1000.0 * o.batch / r.ms_per_step,
                    r.reduced_error, r.exported ? "ok" : "-", r.failure.empty() ? "ok" : r.failure.c_str());
        std::fflush(stdout);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "vsr-train-device-check: " << e.what() << "\n";
    return 1;
  }
  std::printf("%d of %zu checks failed\n", failures, o.archs.size() * o.precisions.size());
  return failures == 0 ? 0 : 1;
}

// vsr-torch-eager-peer: the GPU benchmark's PyTorch-eager peer. The same architecture vsr-train builds
// (and exports to the zoo) run by LibTorch in eager mode the way a PyTorch user would run it for speed:
// no autograd, cudnn.benchmark on, fp16 weights and input in channels_last (or fp32), the input
// already on the device. Weights are the seeded initialisation, not the zoo file's: the time of a
// forward does not depend on the values (the architecture, sizes and precision fix it). Warm-up, then
// the median of the runs, each synchronised. Prints one JSON line per size, as ort_gpu_peer.py does
// ("model" is --label, the zoo file the architecture stands for, or the architecture).
// Needs only LibTorch, so train/device_check/ builds it on the GPU machine beside
// vsr-train-device-check; here it runs on the CPU as a test.
//   vsr-torch-eager-peer --arch srvgg:32,6 --scale 2 --size 960x540 --size 1920x1080 --device cuda --precision fp16
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "mixed_precision.h"
#include "sr_model.h"

namespace {

struct Options {
  std::string arch, label, device = "cpu", precision = "fp16";
  int scale = 2, runs = 20, warmup = 5;
  std::vector<std::string> sizes;
};

// Every 4-D parameter (the convolutions' weights) in channels_last, as model.to(memory_format=...) does.
void to_channels_last(vsr::train::SrModel& model) {
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
}

double median_ms(vsr::train::SrModel& model, const torch::Tensor& x, const Options& o, const torch::Device& device) {
  auto sync = [&] {
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
  };
  for (int i = 0; i < o.warmup; ++i) model->forward(x);
  sync();
  std::vector<double> ms;
  for (int i = 0; i < o.runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    model->forward(x);
    sync();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

int usage(const std::string& why) {
  std::cerr << "vsr-torch-eager-peer: " << why << "\n"
            << "usage: vsr-torch-eager-peer --arch NAME[:F,F...] [--scale N] --size WxH [--size ...] [--device cpu|cuda|cuda:N]\n"
            << "                            [--precision fp16|fp32] [--runs N] [--warmup N] [--label MODEL]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (i + 1 >= argc) return usage("'" + flag + "' needs a value");
      const std::string value = argv[++i];
      if (flag == "--arch") o.arch = value;
      else if (flag == "--scale") o.scale = std::stoi(value);
      else if (flag == "--label") o.label = value;
      else if (flag == "--size") o.sizes.push_back(value);
      else if (flag == "--device") o.device = value;
      else if (flag == "--precision") o.precision = value;
      else if (flag == "--runs") o.runs = std::stoi(value);
      else if (flag == "--warmup") o.warmup = std::stoi(value);
      else return usage("unknown option '" + flag + "'");
    }
  } catch (const std::exception&) {
    return usage("a numeric option has a value that is not a number");
  }
  if (o.arch.empty() || o.sizes.empty()) return usage("--arch and at least one --size are needed");
  if (o.precision != "fp16" && o.precision != "fp32") return usage("--precision is fp16 or fp32, not '" + o.precision + "'");
  if (o.runs < 1 || o.warmup < 0 || o.scale < 1 || o.scale > 4) return usage("runs >= 1, warmup >= 0, scale 1 to 4");
  try {
    const torch::Device device = vsr::train::training_device(o.device);
    if (o.precision == "fp16" && !device.is_cuda()) throw std::runtime_error("fp16 eager inference is a GPU measure: use --device cuda");
    if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    torch::NoGradGuard no_grad;
    torch::manual_seed(1);
    vsr::train::SrModel model = vsr::train::make_model(vsr::train::parse_model_spec(o.arch, o.scale));
    model->eval();
    const auto dtype = o.precision == "fp16" ? torch::kHalf : torch::kFloat32;
    model->to(device, dtype);
    if (device.is_cuda()) to_channels_last(model);
    for (const std::string& size : o.sizes) {
      int w = 0, h = 0;
      if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w <= 0 || h <= 0)
        throw std::runtime_error("--size " + size + ": expected WxH");
      torch::Tensor x = torch::rand({1, 3, h, w}).to(device, dtype);
      if (device.is_cuda()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
      const double ms = median_ms(model, x, o, device);
      std::printf("{\"peer\": \"libtorch %s eager\", \"device\": \"%s\", \"model\": \"%s\", \"arch\": \"%s\", \"scale\": %d, "
                  "\"input\": \"%s\", \"precision\": \"%s\", \"channels_last\": %s, \"runs\": %d, \"network_ms_median\": %.3f}\n",
                  TORCH_VERSION, device.str().c_str(), (o.label.empty() ? o.arch : o.label).c_str(), o.arch.c_str(), o.scale,
                  size.c_str(), o.precision.c_str(),
                  device.is_cuda() ? "true" : "false", o.runs, ms);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::cerr << "vsr-torch-eager-peer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

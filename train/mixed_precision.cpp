#include "mixed_precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <fstream>
#include <regex>

#include "vsr/error.h"

namespace vsr::train {
namespace {

// LibTorch 2.4 made autocast's switches per device type; 1.13 has one pair of calls per device kind.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool autocast_enabled(torch::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
void set_autocast_enabled(torch::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
at::ScalarType autocast_type(torch::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
void set_autocast_type(torch::DeviceType d, at::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
bool autocast_enabled(torch::DeviceType d) { return d == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
void set_autocast_enabled(torch::DeviceType d, bool on) {
  if (d == torch::kCUDA)
    at::autocast::set_enabled(on);
  else
    at::autocast::set_cpu_enabled(on);
}
at::ScalarType autocast_type(torch::DeviceType d) {
  return d == torch::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void set_autocast_type(torch::DeviceType d, at::ScalarType t) {
  if (d == torch::kCUDA)
    at::autocast::set_autocast_gpu_dtype(t);
  else
    at::autocast::set_autocast_cpu_dtype(t);
}
#endif

}  // namespace

torch::Device training_device(const std::string& name) {
  std::smatch m;
  if (name == "cpu") return torch::kCPU;
  if (!std::regex_match(name, m, std::regex("cuda(?::([0-9]+))?")))
    throw Error("setting 'device' is '" + name + "'; expected cpu, cuda or cuda:N");
  if (!torch::cuda::is_available())
    throw Error("setting 'device' is '" + name + "', but this LibTorch has no CUDA or sees no GPU (Debian's libtorch is "
                "CPU-only: build vsr-train against a CUDA LibTorch, e.g. PyTorch 2.x's, with -DCMAKE_PREFIX_PATH)");
  const int index = m[1].matched ? std::stoi(m[1].str()) : 0;
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (index >= count)
    throw Error("setting 'device' is '" + name + "', but this machine has " + std::to_string(count) + " CUDA device(s)");
  return torch::Device(torch::kCUDA, static_cast<torch::DeviceIndex>(index));
}

AutocastScope::AutocastScope(torch::DeviceType device, const std::string& precision) : device_(device) {
  if (precision == "fp32") return;
  if (precision != "bf16" && precision != "fp16") throw Error("setting 'precision' is '" + precision + "'; expected fp32, bf16 or fp16");
  active_ = true;
  was_enabled_ = autocast_enabled(device_);
  was_type_ = autocast_type(device_);
  set_autocast_enabled(device_, true);
  set_autocast_type(device_, precision == "bf16" ? at::kBFloat16 : at::kHalf);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // Outermost scope: the weights cast for this forward are dropped, as torch.autocast's exit does.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast_enabled(device_, was_enabled_);
  set_autocast_type(device_, was_type_);
}

LossScaler::LossScaler(bool enabled, double initial_scale, int growth_interval)
    : enabled_(enabled), scale_(enabled ? initial_scale : 1.0), growth_interval_(growth_interval) {}

torch::Tensor LossScaler::scale(const torch::Tensor& loss) const { return enabled_ ? loss * scale_ : loss; }

bool LossScaler::step(torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& parameters) {
  if (!enabled_) {
    optimizer.step();
    return true;
  }
  std::vector<torch::Tensor> sums;
  {
    torch::NoGradGuard no_grad;
    for (const auto& p : parameters) {
      if (!p.grad().defined()) continue;
      p.grad().div_(scale_);
      sums.push_back(p.grad().sum());  // an inf or NaN anywhere makes its sum non-finite
    }
  }
  // One synchronisation per step, not one per parameter.
  const bool finite = sums.empty() || torch::stack(sums).isfinite().all().item<bool>();
  if (!finite) {
    scale_ *= 0.5;
    finite_steps_ = 0;
    return false;
  }
  optimizer.step();
  if (++finite_steps_ == growth_interval_) {
    scale_ *= 2.0;
    finite_steps_ = 0;
  }
  return true;
}

void LossScaler::save(const std::string& path) const {
  if (!enabled_) return;
  std::ofstream out(path);
  out.precision(17);
  out << scale_ << " " << finite_steps_ << "\n";
  if (!out) throw Error("cannot write the loss scale to '" + path + "'");
}

void LossScaler::load(const std::string& path) {
  if (!enabled_) return;
  std::ifstream in(path);
  if (!in) return;  // a run that began in fp32 or bf16 starts with the initial scale
  double scale = 0.0;
  int steps = 0;
  if (!(in >> scale >> steps) || !(scale > 0.0) || steps < 0) throw Error("'" + path + "' does not hold a loss scale");
  scale_ = scale;
  finite_steps_ = steps;
}

}  // namespace vsr::train

// Where vsr-train computes and in which precision: the device a run's tensors live on (the CPU, or a
// CUDA GPU when the LibTorch it was built against has CUDA: a GPU machine's PyTorch 2.x), and mixed
// precision as PyTorch's AMP does it -- the forward in bf16 or fp16 under autocast, the weights, the
// losses and the optimiser in fp32, and for fp16 a dynamic loss scale so that small gradients do not
// flush to zero. Builds against LibTorch 1.13 (one autocast switch per device kind) and 2.4+ (per
// device type); both are spelled in mixed_precision.cpp only.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

namespace vsr::train {

// "cpu", "cuda" or "cuda:N". Throws vsr::Error naming setting 'device' when it is not one of those,
// or when this LibTorch has no CUDA or sees no such GPU.
torch::Device training_device(const std::string& name);

// Autocast for `device` in `precision` ("bf16" or "fp16"; "fp32" leaves it off) while the scope
// lives; the previous state comes back when it ends, and the cast weights are released.
class AutocastScope {
 public:
  AutocastScope(torch::DeviceType device, const std::string& precision);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  torch::DeviceType device_;
  bool active_ = false;
  bool was_enabled_ = false;
  at::ScalarType was_type_ = at::kFloat;
};

// Dynamic loss scaling (PyTorch's GradScaler): the loss is multiplied by the scale before backward;
// step() divides the gradients back and steps the optimiser only when every one is finite, halving
// the scale otherwise and doubling it after `growth_interval` finite steps in a row. Disabled, it
// passes the loss through and always steps.
class LossScaler {
 public:
  explicit LossScaler(bool enabled, double initial_scale = 65536.0, int growth_interval = 2000);
  torch::Tensor scale(const torch::Tensor& loss) const;
  // Returns whether the optimiser stepped.
  bool step(torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& parameters);
  bool enabled() const { return enabled_; }
  double value() const { return scale_; }
  int finite_steps() const { return finite_steps_; }
  // A run resumes with the scale it had (file `path`: "scale finite_steps"); nothing when disabled.
  void save(const std::string& path) const;
  void load(const std::string& path);

 private:
  bool enabled_;
  double scale_;
  int growth_interval_;
  int finite_steps_ = 0;
};

}  // namespace vsr::train

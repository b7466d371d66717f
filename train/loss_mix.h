// What vsr-train minimises: the pixel loss plus any weighted mix of the survey's other terms
// (losses.h) — SSIM, gradient profile, perceptual and Gram texture on VGG features (feature_net.h),
// a relativistic average GAN against a VGG-style or U-Net discriminator (discriminators.h), and DRN's
// dual regression through a learned down-scaler trained alongside. Owns the networks the terms need,
// their optimisers, and their checkpoints, so a run with any mix resumes exactly. With every extra
// weight 0 it is the plain pixel loss, bit for bit.
#pragma once
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "discriminators.h"
#include "feature_net.h"
#include "loss_settings.h"

namespace vsr::train {

// DRN's dual model: SR (N x 3 x sH x sW) back down to LR size: a 3x3 convolution, a stride-s one, a 3x3
// one, added to the s x s average of the input.
class DualDownscalerImpl : public torch::nn::Module {
 public:
  explicit DualDownscalerImpl(int scale);
  torch::Tensor forward(const torch::Tensor& sr);

 private:
  int scale_;
  torch::nn::Conv2d head_{nullptr}, down_{nullptr}, tail_{nullptr};
};
TORCH_MODULE(DualDownscaler);

class LossMix {
 public:
  // Throws vsr::Error naming the setting that is out of range or the weights file that cannot be read.
  explicit LossMix(const LossMixOptions& options);
  // The generator's total loss for SR output `sr` of LR input `lr` against `hr`; remembers each term.
  torch::Tensor generator_loss(const torch::Tensor& sr, const torch::Tensor& hr, const torch::Tensor& lr);
  // After the generator's optimiser step: steps the dual model and trains the discriminator once on
  // `sr` (detached here) against `hr`.
  void after_generator_step(const torch::Tensor& sr, const torch::Tensor& hr);
  // Each term of the last generator_loss() (weighted), plus "discriminator" after a GAN step.
  const std::map<std::string, double>& last_terms() const { return terms_; }
  // Saves / loads the discriminator, the dual model and their optimisers under `dir` (nothing when
  // neither is used). load() returns false when the files are not there (a fresh run).
  void save(const std::string& dir);
  bool load(const std::string& dir);
  // Moves the networks the terms need (and so their optimisers' parameters) to `device`; later
  // load()s read their checkpoints there.
  void to(torch::Device device);
  // "l1", or "l1+0.1*ssim+1*perceptual+0.005*gan(unet)": what the export's vsr.metrics records.
  std::string describe() const;

 private:
  LossMixOptions o_;
  VggFeatures vgg_{nullptr};
  Discriminator discriminator_;
  std::unique_ptr<torch::optim::Adam> discriminator_optimizer_;
  DualDownscaler dual_{nullptr};
  std::unique_ptr<torch::optim::Adam> dual_optimizer_;
  std::map<std::string, double> terms_;
  torch::Device device_ = torch::kCPU;
};

}  // namespace vsr::train

// FKP's learned kernel prior (Liang et al. 2021, "Flow-based Kernel Prior with Application to Blind
// Super-Resolution"): a normalising flow (RealNVP affine couplings) maps blur kernels to a standard
// normal latent, trained by maximum likelihood on the kernel family the degradations draw
// (degrade::random_blur_kernel: isotropic and anisotropic Gaussians, generalised Gaussians, plateaus). A kernel is then fitted per image in the
// latent space, where every point decodes to a plausible kernel: here the data term is the blur the
// footage shows per edge orientation (kernel_estimation.h: n^T S n of the kernel's covariance S for
// each edge normal n), so the fitted kernel explains the footage's edges and keeps the family's shape
// instead of being forced to a Gaussian. vsr-train --blur-from --blur-prior flow uses it to fix the
// classic degradation's kernel.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <ostream>
#include <random>
#include <string>

#include "train/degrade/kernel_estimation.h"
#include "train/degrade/kernels.h"

namespace vsr::train {

struct KernelPriorOptions {
  int size = 11;          // kernel taps per side (FKP: 4 * scale + 3)
  double max_sigma = 2.0;  // the family's widest axis, in pixels
  int couplings = 6;
  int hidden = 192;
  int steps = 1500;       // maximum-likelihood training steps
  int batch = 128;
  uint64_t seed = 1;
};
// The prior vsr-train uses at `scale`: 4 * scale + 3 taps, axes up to (size - 1) / 5 pixels.
KernelPriorOptions kernel_prior_for_scale(int scale);

// A random kernel of the family the prior learns (degrade::random_blur_kernel at its size and axes).
degrade::Kernel sample_family_kernel(const KernelPriorOptions& options, std::mt19937_64& rng);

class KernelFlowImpl : public torch::nn::Module {
 public:
  explicit KernelFlowImpl(const KernelPriorOptions& options);
  // Kernels (N x size*size, each summing to 1) to the flow's input space (log taps) and back.
  torch::Tensor to_input(const torch::Tensor& kernels) const;
  torch::Tensor to_kernel(const torch::Tensor& input) const;
  // x -> z and log |det dz/dx| per sample; z -> x.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& z);
  // log p(kernel) in the input space, per sample: the standard normal's log density of z + log det.
  torch::Tensor log_likelihood(const torch::Tensor& kernels);
  const KernelPriorOptions& options() const { return options_; }
  // Fixes the standardisation of the flow's inputs to these samples' per-tap mean and deviation.
  void standardise_from(const torch::Tensor& inputs);

 private:
  KernelPriorOptions options_;
  torch::Tensor mean_, log_std_;  // the inputs' standardisation, fixed from the first training batch
  std::vector<torch::nn::Sequential> nets_;
  std::vector<torch::Tensor> masks_;
  torch::Tensor scale_;           // per coupling: bounds tanh(s)
};
TORCH_MODULE(KernelFlow);

// Maximum-likelihood training on sample_family_kernel() draws. Progress (mean negative log
// likelihood) goes to `log` when given.
void train_kernel_prior(KernelFlow& flow, std::ostream* log = nullptr);

// The prior for `scale`, loaded from `cache` when it holds one of these options, else trained and
// saved there (vsr-train keeps it in its output folder so a resumed run reuses it).
KernelFlow cached_kernel_prior(const KernelPriorOptions& options, const std::string& cache);

// The kernel (size x size, HR pixels) whose covariance fits `target` (HR variances per edge
// orientation, weighted by their edge counts) best within the prior: Adam on the latent z from 0,
// with the prior's -log p(z) as the regulariser.
degrade::Kernel fit_kernel_to_blur(KernelFlow& flow, const degrade::OrientedBlur& target, int steps = 300);

// The covariance [[xx, xy], [xy, yy]] of kernels (N x size*size) about their centroids (pixels^2).
torch::Tensor kernel_covariance(const torch::Tensor& kernels, int size);

}  // namespace vsr::train

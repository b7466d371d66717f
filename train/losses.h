// The training losses of the survey, one contract for all: each returns weight x the reduction (mean
// or sum) of its per-element (or per-sample) terms, as a scalar tensor that backpropagates.
// Images are N x C x H x W in [0,1]. The feature-space losses (perceptual, Gram) take the features of
// feature_net.h; the GAN losses take the logits of a discriminator of discriminators.h.
#pragma once
#include <torch/torch.h>

namespace vsr::train {

enum class Reduction { Mean, Sum };

struct LossWeight {
  double weight = 1.0;
  Reduction reduction = Reduction::Mean;
};

// weight x (mean or sum of `terms`).
torch::Tensor reduce(const torch::Tensor& terms, const LossWeight& w);

// Pixel losses.
torch::Tensor pixel_mse_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w = {});
torch::Tensor pixel_l1_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w = {});
// sqrt((pred - target)^2 + eps^2), the smooth L1 of LapSRN and EDVR.
torch::Tensor charbonnier_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w = {},
                               double eps = 1e-3);

// 1 - SSIM per pixel (Wang et al.: 11x11 Gaussian, sigma 1.5, C1 = 0.01^2, C2 = 0.03^2 for data in
// [0,1]), per channel, over the 'valid' window positions.
torch::Tensor ssim_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w = {});
// The SSIM map itself (N x C x H-10 x W-10), for tests and metrics.
torch::Tensor ssim_map(const torch::Tensor& a, const torch::Tensor& b);

// SPSR's gradient-profile loss: L1 between the gradient-magnitude maps sqrt(dx^2 + dy^2 + 1e-6) of
// the two images (central differences, edge-replicated), which keeps edges sharp where a pixel loss
// blurs them.
torch::Tensor gradient_profile_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w = {});
torch::Tensor gradient_magnitude(const torch::Tensor& image);

// Gram-matrix texture loss (Gatys; EnhanceNet's texture term): MSE between the N x C x C Gram
// matrices F F^T / (C H W) of two feature maps.
torch::Tensor gram_matrix(const torch::Tensor& features);
torch::Tensor gram_loss(const torch::Tensor& pred_features, const torch::Tensor& target_features, const LossWeight& w = {});

// Relativistic average GAN (ESRGAN): D_Ra(a, b) = logit(a) - mean(logit(b)); binary cross-entropy
// with the real images relatively real and the fakes relatively fake (discriminator), and the other
// way round (generator). Logits of any shape (the U-Net discriminator's are per pixel).
torch::Tensor ragan_discriminator_loss(const torch::Tensor& real_logits, const torch::Tensor& fake_logits,
                                       const LossWeight& w = {});
torch::Tensor ragan_generator_loss(const torch::Tensor& real_logits, const torch::Tensor& fake_logits,
                                   const LossWeight& w = {});

// DRN's dual-regression loss: the dual (down-scaling) model maps the SR output back to the LR input;
// L1 between that and the LR input closes the loop.
torch::Tensor dual_regression_loss(const torch::Tensor& dual_lr, const torch::Tensor& lr, const LossWeight& w = {});

// Flow-warped temporal consistency: `previous` warped to `current` by `flow` (N x 2 x H x W, x then y,
// in pixels: where each pixel of the current frame is found in the previous one), bilinear, then L1
// against `current`, counting only pixels whose source lies inside the previous frame.
torch::Tensor warp(const torch::Tensor& image, const torch::Tensor& flow);
torch::Tensor temporal_warp_loss(const torch::Tensor& current, const torch::Tensor& previous, const torch::Tensor& flow,
                                 const LossWeight& w = {});

}  // namespace vsr::train

// SPSR-style structure-preserving SR (Ma et al. 2020): a primary SR branch and a secondary gradient
// branch. The SR branch is EDSR's (head, residual blocks, body convolution with a long skip). The
// gradient branch reads the LR image's gradient-magnitude map (gradient_map.h) and, at four taps along
// the SR branch, takes in its features (concatenate, 1x1 convolution, ReLU, 3x3 convolution, residual
// add). Both are upsampled; the gradient branch predicts the SR image's gradient map (supervised
// against the HR's, auxiliary_loss()) and its upsampled features are concatenated with the SR
// branch's to make the image, so the network has to carry structure through. The paper's RRDB trunk is
// swapped for EDSR blocks so the class trains on a CPU; its losses (gradient profile, GAN) are
// vsr-train's --gradient-weight and --gan-weight.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct SpsrConfig {
  int scale = 2;
  int width = 64;
  int blocks = 16;  // residual blocks of the SR branch; the gradient branch taps up to four of them
};

class SpsrImpl : public SrModelImpl {
 public:
  explicit SpsrImpl(const SpsrConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  // L1 between the gradient branch's map (from the last training forward) and the HR's gradient map,
  // weighted 1 like the image's pixel loss (SPSR weights the two pixel terms alike).
  torch::Tensor auxiliary_loss(const torch::Tensor& hr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // The longest path: head 1 + 2 per block + the gradient stage or body convolution 1 at LR, the
  // upsampler, two convolutions at HR (fusion and tail).
  int receptive_field() const override {
    return 2 + 2 * config_.blocks + upsampler_->receptive_field() + lr_radius(2, config_.scale);
  }
  std::string arch() const override { return "spsr"; }
  int scale() const override { return config_.scale; }

 private:
  SpsrConfig config_;
  std::vector<int> taps_;  // the SR-branch block after which each gradient stage reads its features
  torch::nn::Conv2d head_{nullptr}, body_end_{nullptr}, grad_head_{nullptr}, grad_out_{nullptr}, fuse_{nullptr},
      tail_{nullptr};
  std::vector<torch::nn::Conv2d> block_convs_, stage_merge_, stage_conv_;
  SubPixelUpsampler upsampler_{nullptr}, grad_upsampler_{nullptr};
  torch::Tensor last_gradient_map_;  // the branch's prediction in the last training forward
};

}  // namespace vsr::train

// EDSR and EDSR-baseline (Lim et al. 2017): a head convolution, residual blocks of conv-ReLU-conv
// without batch norm, a body convolution with a long skip from the head, the sub-pixel upsampler and
// a tail convolution to RGB. The large EDSR (256 wide, 32 blocks) scales each residual by 0.1 so it
// trains stably; the baseline does not. No MeanShift layers: the input is in [0,1] and the
// convolutions' biases absorb a constant offset.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct EdsrConfig {
  int scale = 2;
  int width = 64;               // EDSR-baseline 64, EDSR 256
  int blocks = 16;              // EDSR-baseline 16, EDSR 32
  float residual_scale = 1.0f;  // EDSR 0.1
};

// EDSR's trunk at LR, shared with CDC: head, residual blocks (conv-ReLU-conv, the residual scaled by
// residual_scale; block_convs holds two per block), body convolution, plus the head's output (the long
// skip). The module keeps the convolutions (and so its parameter names); these run and export them.
torch::Tensor residual_trunk(torch::nn::Conv2d head, std::vector<torch::nn::Conv2d>& block_convs, torch::nn::Conv2d body_end,
                             const torch::Tensor& lr, float residual_scale = 1.0f);
std::string export_residual_trunk(OnnxWriter& w, const torch::nn::Conv2d& head, const std::vector<torch::nn::Conv2d>& block_convs,
                                  const torch::nn::Conv2d& body_end, const std::string& lr, float residual_scale = 1.0f);

class EdsrImpl : public SrModelImpl {
 public:
  explicit EdsrImpl(const EdsrConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // head 1 + 2 per block + body 1 at LR, the upsampler, the tail at HR.
  int receptive_field() const override { return 2 + 2 * config_.blocks + upsampler_->receptive_field() + lr_radius(1, config_.scale); }
  std::string arch() const override { return "edsr"; }
  int scale() const override { return config_.scale; }

 private:
  EdsrConfig config_;
  torch::nn::Conv2d head_{nullptr}, body_end_{nullptr}, tail_{nullptr};
  std::vector<torch::nn::Conv2d> block_convs_;  // two per residual block
  SubPixelUpsampler upsampler_{nullptr};
};

}  // namespace vsr::train

// SRResNet (Ledig et al. 2017, the SRGAN generator): a 9x9 head with PReLU, residual blocks of
// conv-PReLU-conv, a body convolution with the long skip from the head, sub-pixel stages each followed
// by PReLU, and a 9x9 convolution to RGB.
// Without the paper's batch norm: EDSR showed that BN in SR residual blocks costs accuracy (it
// normalises away the range of the features, and its batch statistics differ between small training
// patches and whole frames), and at inference it is one more layer to fold into the convolutions
// before the export, where a train/eval mismatch would show up only in the engine's output.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct SrresnetConfig {
  int scale = 2;
  int width = 64;   // the paper: 64
  int blocks = 16;  // the paper: 16
};

class SrresnetImpl : public SrModelImpl {
 public:
  explicit SrresnetImpl(const SrresnetConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // 9x9 head, 2 per block, body at LR; the upsampler; the 9x9 tail at HR.
  int receptive_field() const override { return 4 + 2 * config_.blocks + 1 + upsampler_->receptive_field() + lr_radius(4, config_.scale); }
  std::string arch() const override { return "srresnet"; }
  int scale() const override { return config_.scale; }

 private:
  SrresnetConfig config_;
  torch::nn::Conv2d head_{nullptr}, body_end_{nullptr}, tail_{nullptr};
  torch::nn::PReLU head_prelu_{nullptr};
  std::vector<torch::nn::Conv2d> block_convs_;  // two per residual block
  std::vector<torch::nn::PReLU> block_prelus_;  // one per residual block
  SubPixelUpsampler upsampler_{nullptr};
};

}  // namespace vsr::train

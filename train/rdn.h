// RDN (Zhang et al. 2018), the residual dense network. Two shallow 3x3 convolutions; residual dense
// blocks, each of `layers` 3x3 conv-ReLU layers that see the concatenation of the block input and all
// earlier layer outputs (`growth` channels each), a 1x1 local feature fusion back to `width` and the
// block's skip; global feature fusion (1x1 over every block's output, then 3x3) plus the first shallow
// convolution's output; the sub-pixel upsampler narrowing to `growth` channels; a 3x3 convolution to RGB.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct RdnConfig {
  int scale = 2;
  int width = 64;   // G0 (the paper: 64)
  int blocks = 16;  // D (the paper: 16)
  int layers = 8;   // C, convolutions per block (the paper: 8)
  int growth = 64;  // G (the paper: 64)
};

class RdnImpl : public SrModelImpl {
 public:
  explicit RdnImpl(const RdnConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // two shallow, `layers` per block, the global 3x3 at LR; the upsampler; the last at HR.
  int receptive_field() const override {
    return 2 + config_.blocks * config_.layers + 1 + upsampler_->receptive_field() + lr_radius(1, config_.scale);
  }
  std::string arch() const override { return "rdn"; }
  int scale() const override { return config_.scale; }

 private:
  RdnConfig config_;
  torch::nn::Conv2d shallow0_{nullptr}, shallow1_{nullptr}, global_fuse_{nullptr}, global_conv_{nullptr}, last_{nullptr};
  std::vector<torch::nn::Conv2d> layer_convs_;  // `layers` per block, block by block
  std::vector<torch::nn::Conv2d> local_fuses_;  // one per block
  SubPixelUpsampler upsampler_{nullptr};
};

}  // namespace vsr::train

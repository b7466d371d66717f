// FSRCNN (Dong et al. 2016): feature extraction 5x5 (d), shrinking 1x1 (s), m mapping 3x3 layers,
// expanding 1x1 (d), each followed by PReLU, and a 9x9 transposed convolution that upsamples; here
// with a bilinear global skip (the body learns the residual, which trains several times faster on a
// CPU). Everything but the last layer runs at LR resolution.
#pragma once
#include "sr_model.h"

namespace vsr::train {

struct FsrcnnConfig {
  int scale = 2;
  int d = 56, s = 12, m = 4;  // the paper's FSRCNN; FSRCNN-s is d=32, s=5, m=1
};

class FsrcnnImpl : public SrModelImpl {
 public:
  explicit FsrcnnImpl(const FsrcnnConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  int receptive_field() const override { return 2 + config_.m + (4 + config_.scale - 1) / config_.scale; }
  std::string arch() const override { return "fsrcnn"; }
  int scale() const override { return config_.scale; }

 private:
  FsrcnnConfig config_;
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::PReLU> prelus_;
  torch::nn::ConvTranspose2d deconv_{nullptr};
};

}  // namespace vsr::train

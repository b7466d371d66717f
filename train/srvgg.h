// SRVGGNetCompact (Real-ESRGAN's compact model, Wang et al. 2021): a plain stack of 3x3 convolutions
// with PReLU at LR resolution, pixel shuffle, and the nearest-neighbour upsampled input added back.
#pragma once
#include "sr_model.h"

namespace vsr::train {

struct SrvggConfig {
  int scale = 2;
  int width = 64;   // Real-ESRGAN's realesr-general-x4v3: 64
  int convs = 16;   // body convolutions (realesr-general-x4v3: 32; animevideov3: 16)
};

class SrvggImpl : public SrModelImpl {
 public:
  explicit SrvggImpl(const SrvggConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  int receptive_field() const override { return config_.convs + 2; }
  std::string arch() const override { return "srvgg"; }
  int scale() const override { return config_.scale; }

 private:
  SrvggConfig config_;
  std::vector<torch::nn::Conv2d> convs_;  // first, body..., last (no activation after the last)
  std::vector<torch::nn::PReLU> prelus_;
};

}  // namespace vsr::train

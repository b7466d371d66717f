// The sub-pixel upsampler of EDSR, RCAN, CARN, SRResNet and RDN: x2 and x3 are one convolution to
// r*r times the channels and a pixel shuffle by r; x4 is two x2 stages (one x4 shuffle would need a
// 16x wider convolution, and every paper stacks two). An optional activation follows each shuffle
// (CARN's ReLU, SRResNet's PReLU; ReLU commutes with the shuffle, so CARN's conv-ReLU-shuffle order is
// the same function).
#pragma once
#include "sr_model.h"

namespace vsr::train {

enum class UpsamplerActivation { none, relu, prelu };

struct SubPixelUpsamplerConfig {
  int in_channels = 64;
  int channels = 64;  // after each shuffle (RDN narrows to its growth width here)
  int scale = 2;
  int groups = 1;     // CARN-M's group convolutions
  UpsamplerActivation activation = UpsamplerActivation::none;
};

class SubPixelUpsamplerImpl : public torch::nn::Module {
 public:
  explicit SubPixelUpsamplerImpl(const SubPixelUpsamplerConfig& config);
  torch::Tensor forward(torch::Tensor x);
  // Adds the stages' nodes (named prefix + ...) after `input`; returns the output tensor's name.
  std::string export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& input) const;
  // Radius in input pixels of its convolutions (the second x4 stage's runs at twice the resolution).
  int receptive_field() const { return static_cast<int>(convs_.size()); }

 private:
  SubPixelUpsamplerConfig config_;
  std::vector<int> factors_;  // one per stage
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::PReLU> prelus_;
};
TORCH_MODULE(SubPixelUpsampler);

// How far, in LR pixels, a radius of `hr_radius` pixels reaches at `factor` times the LR resolution
// (rounded up: an HR pixel's neighbours may sit in the next LR pixel).
inline int lr_radius(int hr_radius, int factor) { return (hr_radius + factor - 1) / factor; }

}  // namespace vsr::train

// RRDBNet (Wang et al. 2018, the ESRGAN generator): a first convolution, residual-in-residual dense
// blocks, a trunk convolution with the long skip, nearest-neighbour upsampling stages each followed
// by a convolution and LeakyReLU(0.2), an HR convolution with LeakyReLU and a last convolution to RGB.
// A residual dense block is five 3x3 convolutions, each seeing the concatenation of the block input
// and every earlier output (`growth` channels each), LeakyReLU(0.2) after all but the fifth, whose
// output is scaled by 0.2 and added to the input; an RRDB chains three and adds 0.2 x their output to
// its input. ESRGAN has x4 only (BasicSR reaches x2 by pixel-unshuffling the input, which the engine
// has no op for); here x2 and x3 are one nearest x2 or x3 stage and x4 is two x2 stages.
#pragma once
#include "sr_model.h"

namespace vsr::train {

struct RrdbConfig {
  int scale = 2;
  int width = 64;   // ESRGAN: 64
  int blocks = 23;  // RRDBs (ESRGAN: 23)
  int growth = 32;  // channels each dense convolution adds (ESRGAN: 32)
};

class ResidualDenseBlock5Impl : public torch::nn::Module {
 public:
  ResidualDenseBlock5Impl(int width, int growth);
  torch::Tensor forward(torch::Tensor x);
  std::string export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& input) const;

 private:
  std::vector<torch::nn::Conv2d> convs_;
};
TORCH_MODULE(ResidualDenseBlock5);

class RrdbImpl : public SrModelImpl {
 public:
  explicit RrdbImpl(const RrdbConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  int receptive_field() const override;
  std::string arch() const override { return "rrdb"; }
  int scale() const override { return config_.scale; }

 private:
  RrdbConfig config_;
  std::vector<int> factors_;  // one nearest-neighbour stage each
  torch::nn::Conv2d first_{nullptr}, trunk_{nullptr}, hr_{nullptr}, last_{nullptr};
  std::vector<ResidualDenseBlock5> dense_blocks_;  // three per RRDB
  std::vector<torch::nn::Conv2d> up_convs_;
};

}  // namespace vsr::train

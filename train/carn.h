// CARN and CARN-M (Ahn et al. 2018), the cascading residual network. An entry convolution, three
// cascading blocks and the sub-pixel upsampler (conv-ReLU-shuffle) before an exit convolution. The
// cascade, at both levels: each unit's output is concatenated onto everything before it, and a 1x1
// convolution with ReLU fuses the concatenation into the next unit's input:
//   c0 = o0 = x;  c_i = concat(c_{i-1}, unit_i(o_{i-1}));  o_i = relu(fuse_i(c_i))
// CARN's units are residual blocks relu(x + conv(relu(conv(x)))); CARN-M's are efficient residual
// blocks relu(x + conv1x1(relu(gconv(relu(gconv(x)))))) with 4-group 3x3 convolutions, one block
// applied three times per cascading block (shared weights, as in the authors' code), and 4-group
// upsampler convolutions. The engine's Conv takes `group`, so the export keeps the groups. No
// MeanShift layers: the input is in [0,1] and the biases absorb a constant offset.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct CarnConfig {
  int scale = 2;
  int width = 64;       // both papers' models: 64
  bool mobile = false;  // CARN-M
};

// CARN's residual block, or with `groups` > 0 CARN-M's efficient one.
class CarnResidualBlockImpl : public torch::nn::Module {
 public:
  CarnResidualBlockImpl(int width, int groups);
  torch::Tensor forward(torch::Tensor x);
  // weights: the prefix of the initializers, added only when `first_use` (later uses share them).
  std::string export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& weights, bool first_use,
                          const std::string& input) const;

 private:
  std::vector<torch::nn::Conv2d> convs_;  // ReLU between them; the residual's ReLU after the add
};
TORCH_MODULE(CarnResidualBlock);

class CarnCascadingBlockImpl : public torch::nn::Module {
 public:
  CarnCascadingBlockImpl(int width, bool mobile);
  torch::Tensor forward(torch::Tensor x);
  std::string export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& input) const;

 private:
  std::vector<CarnResidualBlock> units_;  // 3 (CARN) or 1 applied three times (CARN-M)
  std::vector<torch::nn::Conv2d> fusions_;
};
TORCH_MODULE(CarnCascadingBlock);

class CarnImpl : public SrModelImpl {
 public:
  explicit CarnImpl(const CarnConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // entry 1 and 3 x 3 residual blocks of two 3x3 convolutions at LR; the upsampler; exit at HR.
  int receptive_field() const override { return 1 + 18 + upsampler_->receptive_field() + lr_radius(1, config_.scale); }
  std::string arch() const override { return "carn"; }
  int scale() const override { return config_.scale; }

 private:
  CarnConfig config_;
  torch::nn::Conv2d entry_{nullptr}, exit_{nullptr};
  std::vector<CarnCascadingBlock> blocks_;
  std::vector<torch::nn::Conv2d> fusions_;
  SubPixelUpsampler upsampler_{nullptr};
};

}  // namespace vsr::train

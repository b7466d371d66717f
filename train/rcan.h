// RCAN (Zhang et al. 2018): EDSR's layout with a residual-in-residual body. Residual groups, each of
// residual channel-attention blocks (conv-ReLU-conv, then channel attention) and a closing convolution
// with the group's own skip; a body convolution with the long skip; the sub-pixel upsampler and a tail
// convolution. Channel attention rescales each channel by sigmoid(1x1 conv(ReLU(1x1 conv(mean over
// the image)))): GlobalAveragePool -> Conv -> Relu -> Conv -> Sigmoid -> Mul in the export.
//
// The mean spans the whole input, so strictly every output pixel depends on every input pixel. The
// receptive field reported is that of the convolutions: the engine's tiles then see the same local
// context as the whole frame, and only the per-channel means differ, computed over the tile (RCAN's
// own test code chops large images the same way).
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct RcanConfig {
  int scale = 2;
  int width = 64;      // the paper: 64
  int groups = 10;     // residual groups (the paper: 10)
  int blocks = 20;     // channel-attention blocks per group (the paper: 20)
  int reduction = 16;  // channel attention squeezes width to width / reduction (the paper: 16)
};

// One residual channel-attention block: x + CA(conv(relu(conv(x)))).
class ChannelAttentionBlockImpl : public torch::nn::Module {
 public:
  ChannelAttentionBlockImpl(int width, int reduction);
  torch::Tensor forward(torch::Tensor x);
  std::string export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& input) const;

 private:
  torch::nn::Conv2d conv0_{nullptr}, conv1_{nullptr}, squeeze_{nullptr}, excite_{nullptr};
};
TORCH_MODULE(ChannelAttentionBlock);

class RcanImpl : public SrModelImpl {
 public:
  explicit RcanImpl(const RcanConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // head 1, per group 2 per block + 1, body 1 at LR; the upsampler; the tail at HR.
  int receptive_field() const override {
    return 2 + config_.groups * (2 * config_.blocks + 1) + upsampler_->receptive_field() + lr_radius(1, config_.scale);
  }
  std::string arch() const override { return "rcan"; }
  int scale() const override { return config_.scale; }

 private:
  RcanConfig config_;
  torch::nn::Conv2d head_{nullptr}, body_end_{nullptr}, tail_{nullptr};
  std::vector<ChannelAttentionBlock> blocks_;  // groups * blocks, group by group
  std::vector<torch::nn::Conv2d> group_ends_;
  SubPixelUpsampler upsampler_{nullptr};
};

}  // namespace vsr::train

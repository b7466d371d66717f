// DRN-style dual regression network (Guo et al. 2020), the closed loop: a primary network maps LR to
// SR and a dual network maps the SR back to LR; the dual's L1 against the input LR (weight 0.1, the
// paper's lambda) constrains the mapping's solution space alongside the pixel loss against HR.
// The primary network is DRN's U-Net: the LR image enlarged by bicubic interpolation, a head
// convolution, log2(scale) down blocks (stride-2 convolution, LeakyReLU, convolution doubling the
// width) to LR resolution, then per level channel-attention blocks (RCAN's), a x2 sub-pixel upsampler,
// a 1x1 convolution narrowing the width and a concatenation with the down path's features of that
// resolution, and a tail convolution to RGB. Unlike the paper the tail's image is added to the bicubic
// one (a residual, which trains faster on a CPU). The dual network trains with the primary one (it is
// a submodule: checkpointed with it) and is left out of the export. Scales 2 and 4.
#pragma once
#include "loss_mix.h"
#include "rcan.h"
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct DrnConfig {
  int scale = 4;
  int width = 16;   // DRN-S: 16 at HR, doubling per down block
  int blocks = 30;  // channel-attention blocks per up level (DRN-S: 30)
};

class DrnImpl : public SrModelImpl {
 public:
  static constexpr double kDualWeight = 0.1;

  explicit DrnImpl(const DrnConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  // 0.1 x L1(dual(SR), LR) of the last training forward.
  torch::Tensor auxiliary_loss(const torch::Tensor& hr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  int receptive_field() const override;
  std::string arch() const override { return "drn"; }
  int scale() const override { return config_.scale; }

 private:
  DrnConfig config_;
  int levels_;
  torch::nn::Conv2d head_{nullptr}, tail_{nullptr};
  std::vector<torch::nn::Conv2d> down_strided_, down_widen_, up_narrow_;  // one per level
  std::vector<ChannelAttentionBlock> blocks_;                            // level by level
  std::vector<SubPixelUpsampler> up_;
  DualDownscaler dual_{nullptr};
  torch::Tensor last_lr_, last_sr_;
};

}  // namespace vsr::train

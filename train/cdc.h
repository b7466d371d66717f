// CDC-style component divide-and-conquer SR (Wei et al. 2020): flat regions, edges and corners are
// reconstructed by three component branches, each predicting an SR image and an attention map; the
// output is their attention-weighted mean, sum_c sigmoid(a_c) I_c / sum_c sigmoid(a_c). In training
// each branch is supervised on its own component of the HR (Harris masks, harris.h) and the
// attention is pulled towards the masks (auxiliary_loss()). The paper's hourglass trunk is EDSR's
// residual trunk here, so the class trains on a CPU; the three branches share the upsampled features.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct CdcConfig {
  int scale = 2;
  int width = 64;
  int blocks = 8;  // residual blocks of the shared trunk
};

class CdcImpl : public SrModelImpl {
 public:
  static constexpr int kComponents = 3;  // flat, edge, corner: harris_components()'s channel order

  explicit CdcImpl(const CdcConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  // 0.5 x the mean over components of each branch's L1 inside its own mask (so the corners, a few
  // per cent of the pixels, count as much as the flat areas), plus 0.1 x the L1 between the
  // normalised attention and the masks.
  torch::Tensor auxiliary_loss(const torch::Tensor& hr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // head 1 + 2 per block + body 1 at LR, the upsampler, the branch convolutions at HR.
  int receptive_field() const override { return 2 + 2 * config_.blocks + upsampler_->receptive_field() + lr_radius(1, config_.scale); }
  std::string arch() const override { return "cdc"; }
  int scale() const override { return config_.scale; }

 private:
  CdcConfig config_;
  torch::nn::Conv2d head_{nullptr}, body_end_{nullptr};
  std::vector<torch::nn::Conv2d> block_convs_, images_, attentions_;  // the last two: one per component
  SubPixelUpsampler upsampler_{nullptr};
  torch::Tensor last_images_, last_attention_;  // N x 3 x 3 x H x W and N x 3 x H x W (normalised)
};

}  // namespace vsr::train

// The pre-upsampling classics: the LR image is first enlarged by bicubic interpolation (inside the
// network, so the engine takes LR frames like every other model) and the convolutions then run at
// HR resolution.
//   SRCNN (Dong et al. 2014): 9x9 (w1) -> 1x1 (w2) -> 5x5 -> image, ReLU between.
//   VDSR (Kim et al. 2016): `depth` 3x3 convolutions of `width` channels with ReLU, learning the
//   residual added to the bicubic image.
// Both add the bicubic image back (SRCNN too, here: the body learns the residual, which trains far
// faster on a CPU than the paper's plain mapping).
#pragma once
#include "sr_model.h"

namespace vsr::train {

struct PreUpsampleConfig {
  std::string arch = "srcnn";  // srcnn | vdsr
  int scale = 2;
  std::vector<int> features;   // srcnn: {w1, w2} (64, 32); vdsr: {width, depth} (64, 20)
};

class PreUpsampleImpl : public SrModelImpl {
 public:
  explicit PreUpsampleImpl(const PreUpsampleConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  int receptive_field() const override;
  std::string arch() const override { return config_.arch; }
  int scale() const override { return config_.scale; }

 private:
  PreUpsampleConfig config_;
  std::vector<torch::nn::Conv2d> convs_;  // ReLU after every one but the last
};

}  // namespace vsr::train

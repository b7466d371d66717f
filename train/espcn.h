// ESPCN-class sub-pixel network with a bilinear global skip:
//   hr = DepthToSpace(conv_n(relu(... relu(conv_0(lr))))) + bilinear_upsample(lr)
// All convolutions run at LR resolution (cheap); the skip makes the body learn only the residual,
// which converges several times faster on a CPU than plain ESPCN. The ONNX export lives here too, so
// the architecture is described once.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "sr_model.h"

namespace vsr::train {

struct EspcnConfig {
  int scale = 2;                      // upscaling factor (2, 3 or 4)
  int colours = 3;                    // 3 = RGB in and out
  std::vector<int> features = {64, 32};  // width of each hidden convolution
  int first_kernel = 5;               // kernel of the first convolution
  int kernel = 3;                     // kernel of the others
};

class EspcnImpl : public SrModelImpl {
 public:
  explicit EspcnImpl(const EspcnConfig& config);
  torch::Tensor forward(torch::Tensor lr) override;
  const EspcnConfig& config() const { return config_; }
  int receptive_field() const override;
  std::string arch() const override { return "espcn"; }
  int scale() const override { return config_.scale; }
  int colours() const override { return config_.colours; }
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;

 private:
  EspcnConfig config_;
  std::vector<torch::nn::Conv2d> convs_;
};
TORCH_MODULE(Espcn);

}  // namespace vsr::train

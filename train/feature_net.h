// A VGG-style feature network for the perceptual and Gram losses (SRGAN, ESRGAN, EnhanceNet): VGG19's
// convolution stack (torchvision's vgg19().features layout, so its parameters are named
// features.0.weight, features.2.weight, ... as there), cut after the deepest layer asked for.
// Weights come from a file when the user has one (a LibTorch archive with those names: torch::save of
// this module, or a TorchScript file of torchvision's features); without one the network keeps its
// random initialisation, which the tests use. It is never trained: the losses only read it.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

namespace vsr::train {

class VggFeaturesImpl : public torch::nn::Module {
 public:
  // Keeps VGG19's first `convs` convolutions (1 to 16; 16 = conv5_4, ESRGAN's layer).
  explicit VggFeaturesImpl(int convs = 16);
  // Throws vsr::Error naming the file when it cannot be read or its tensors do not fit.
  void load_weights(const std::string& path);
  // The pre-activation outputs of the listed convolutions (1-based, ascending), for images in [0,1]
  // (normalised with ImageNet's mean and deviation first, as VGG was trained).
  std::vector<torch::Tensor> features(const torch::Tensor& images, const std::vector<int>& convs);
  int convs() const { return convs_; }

 private:
  int convs_;
  torch::nn::Sequential features_{nullptr};
  std::vector<int> conv_positions_;  // index in features_ of each convolution
};
TORCH_MODULE(VggFeatures);

// L1 between the features of the listed convolutions, summed over layers (ESRGAN: conv5_4 alone).
torch::Tensor perceptual_loss(VggFeaturesImpl& net, const torch::Tensor& pred, const torch::Tensor& target,
                              const std::vector<int>& convs, double weight);
// Gram-matrix texture loss on the same features, summed over layers.
torch::Tensor texture_loss(VggFeaturesImpl& net, const torch::Tensor& pred, const torch::Tensor& target,
                           const std::vector<int>& convs, double weight);

}  // namespace vsr::train

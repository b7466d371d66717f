// The settings of vsr-train's loss mix (loss_mix.h), torch-free so that the config reader can fill
// and check them: the pixel loss plus weighted extra terms and the networks they need.
#pragma once
#include <string>
#include <vector>

namespace vsr::train {

struct LossMixOptions {
  std::string pixel = "l1";          // l1 | mse | charbonnier (weight 1)
  int scale = 2;
  double ssim_weight = 0.0;
  double gradient_weight = 0.0;
  double perceptual_weight = 0.0;
  double texture_weight = 0.0;       // Gram matrices of the same VGG features
  std::string perceptual_weights;    // VGG19 features file (feature_net.h); empty = random weights
  std::vector<int> perceptual_layers = {16};  // VGG19 convolutions (16 = conv5_4, ESRGAN's)
  double gan_weight = 0.0;
  std::string discriminator = "unet";  // vgg | unet
  int discriminator_width = 64;
  double discriminator_lr = 1e-4;
  double dual_weight = 0.0;
  double dual_lr = 1e-4;
};

// Throws vsr::Error naming the setting ("ssim_weight", "discriminator", ...) that is out of range.
void check_loss_mix(const LossMixOptions& options);

}  // namespace vsr::train

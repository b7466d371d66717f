#include "loss_settings.h"

#include <filesystem>
#include <utility>

#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;

void check_loss_mix(const LossMixOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  for (const auto& [key, value] : {std::pair<std::string, double>{"ssim_weight", o.ssim_weight},
                                   {"gradient_weight", o.gradient_weight},
                                   {"perceptual_weight", o.perceptual_weight},
                                   {"texture_weight", o.texture_weight},
                                   {"gan_weight", o.gan_weight},
                                   {"dual_weight", o.dual_weight}})
    if (!(value >= 0.0)) bad(key, "must not be negative");
  if (o.discriminator != "vgg" && o.discriminator != "unet") bad("discriminator", "'" + o.discriminator + "' is not vgg or unet");
  if (o.discriminator_width < 4) bad("discriminator_width", "must be at least 4");
  if (!(o.discriminator_lr > 0.0)) bad("discriminator_lr", "must be positive");
  if (!(o.dual_lr > 0.0)) bad("dual_lr", "must be positive");
  if (o.perceptual_layers.empty()) bad("perceptual_layers", "names no VGG convolution");
  for (size_t i = 0; i < o.perceptual_layers.size(); ++i)
    if (o.perceptual_layers[i] < 1 || o.perceptual_layers[i] > 16 || (i > 0 && o.perceptual_layers[i] <= o.perceptual_layers[i - 1]))
      bad("perceptual_layers", "must be ascending VGG19 convolution numbers from 1 to 16");
  if (!o.perceptual_weights.empty() && !fs::exists(o.perceptual_weights))
    bad("perceptual_weights", "names '" + o.perceptual_weights + "', which does not exist");
}

}  // namespace vsr::train

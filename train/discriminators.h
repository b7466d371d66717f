// The two discriminators of the survey's GAN-based SR, for the relativistic average GAN loss
// (losses.h): both take images in [0,1] and return logits.
//   - VGG-style (SRGAN/ESRGAN): strided 3x3/4x4 convolution pairs with batch norm and LeakyReLU,
//     halving the size five times, then two linear layers: one logit per image. Any input of at
//     least 32 pixels (an adaptive average pool to 4x4 replaces ESRGAN's fixed 128x128 input).
//   - U-Net with spectral normalisation (Real-ESRGAN): an encoder-decoder with skips giving one logit
//     per pixel, so it judges local texture; input sides must be multiples of 8.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <string>

namespace vsr::train {

class DiscriminatorImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& images) = 0;
};
using Discriminator = std::shared_ptr<DiscriminatorImpl>;

// "vgg" or "unet", `width` channels in the first layer (ESRGAN and Real-ESRGAN: 64). Throws
// vsr::Error naming an unknown kind.
Discriminator make_discriminator(const std::string& kind, int width = 64);

// A 3x3 (or k x k) convolution whose weight is divided by its largest singular value, estimated by
// one power iteration per training forward (Miyato et al. 2018), which keeps the U-Net critic
// Lipschitz and the GAN stable.
class SpectralConvImpl : public torch::nn::Module {
 public:
  SpectralConvImpl(int in, int out, int kernel, int stride, int padding, bool bias);
  torch::Tensor forward(const torch::Tensor& x);
  // The current estimate of the weight's largest singular value.
  double sigma() const { return sigma_; }

 private:
  torch::nn::Conv2d conv_{nullptr};
  torch::Tensor u_;  // left singular vector estimate (a buffer: saved with the module)
  int stride_, padding_;
  double sigma_ = 1.0;
};
TORCH_MODULE(SpectralConv);

}  // namespace vsr::train

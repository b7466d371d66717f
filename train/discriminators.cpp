#include "discriminators.h"

#include "vsr/error.h"

namespace vsr::train {
namespace F = torch::nn::functional;
namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride, int padding, bool bias = true) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(bias));
}

torch::Tensor leaky(const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); }

class VggDiscriminatorImpl : public DiscriminatorImpl {
 public:
  explicit VggDiscriminatorImpl(int w) {
    const int widths[] = {w, 2 * w, 4 * w, 8 * w, 8 * w};
    int in = 3;
    for (int s = 0; s < 5; ++s) {
      // conv s_0 keeps the size, conv s_1 halves it; ESRGAN's first convolution has no norm.
      first_.push_back(register_module("conv" + std::to_string(s) + "_0", conv(in, widths[s], 3, 1, 1, s == 0)));
      second_.push_back(register_module("conv" + std::to_string(s) + "_1", conv(widths[s], widths[s], 4, 2, 1, false)));
      if (s > 0) norms_.push_back(register_module("bn" + std::to_string(s) + "_0", torch::nn::BatchNorm2d(widths[s])));
      norms_.push_back(register_module("bn" + std::to_string(s) + "_1", torch::nn::BatchNorm2d(widths[s])));
      in = widths[s];
    }
    linear1_ = register_module("linear1", torch::nn::Linear(8 * w * 4 * 4, 100));
    linear2_ = register_module("linear2", torch::nn::Linear(100, 1));
  }
  torch::Tensor forward(const torch::Tensor& images) override {
    if (images.size(2) < 32 || images.size(3) < 32) throw Error("the VGG-style discriminator needs images of 32 pixels or more");
    torch::Tensor x = images;
    size_t norm = 0;
    for (size_t s = 0; s < first_.size(); ++s) {
      x = first_[s]->forward(x);
      x = leaky(s == 0 ? x : norms_[norm++]->forward(x));
      x = leaky(norms_[norm++]->forward(second_[s]->forward(x)));
    }
    x = F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({4, 4})).flatten(1);
    return linear2_->forward(leaky(linear1_->forward(x)));
  }

 private:
  std::vector<torch::nn::Conv2d> first_, second_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  torch::nn::Linear linear1_{nullptr}, linear2_{nullptr};
};

class UNetDiscriminatorImpl : public DiscriminatorImpl {
 public:
  explicit UNetDiscriminatorImpl(int w) {
    conv0_ = register_module("conv0", conv(3, w, 3, 1, 1));
    down1_ = register_module("down1", SpectralConv(w, 2 * w, 4, 2, 1, false));
    down2_ = register_module("down2", SpectralConv(2 * w, 4 * w, 4, 2, 1, false));
    down3_ = register_module("down3", SpectralConv(4 * w, 8 * w, 4, 2, 1, false));
    up1_ = register_module("up1", SpectralConv(8 * w, 4 * w, 3, 1, 1, false));
    up2_ = register_module("up2", SpectralConv(4 * w, 2 * w, 3, 1, 1, false));
    up3_ = register_module("up3", SpectralConv(2 * w, w, 3, 1, 1, false));
    extra1_ = register_module("extra1", SpectralConv(w, w, 3, 1, 1, false));
    extra2_ = register_module("extra2", SpectralConv(w, w, 3, 1, 1, false));
    head_ = register_module("head", conv(w, 1, 3, 1, 1));
  }
  torch::Tensor forward(const torch::Tensor& images) override {
    if (images.size(2) % 8 != 0 || images.size(3) % 8 != 0)
      throw Error("the U-Net discriminator needs image sides that are multiples of 8");
    auto up = [](const torch::Tensor& t) {
      return F::interpolate(t, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2, 2}).mode(torch::kBilinear).align_corners(false));
    };
    const auto x0 = leaky(conv0_->forward(images));
    const auto x1 = leaky(down1_->forward(x0));
    const auto x2 = leaky(down2_->forward(x1));
    const auto x3 = leaky(down3_->forward(x2));
    const auto y2 = leaky(up1_->forward(up(x3))) + x2;  // the skips of the U
    const auto y1 = leaky(up2_->forward(up(y2))) + x1;
    const auto y0 = leaky(up3_->forward(up(y1))) + x0;
    return head_->forward(leaky(extra2_->forward(leaky(extra1_->forward(y0)))));
  }

 private:
  torch::nn::Conv2d conv0_{nullptr}, head_{nullptr};
  SpectralConv down1_{nullptr}, down2_{nullptr}, down3_{nullptr}, up1_{nullptr}, up2_{nullptr}, up3_{nullptr},
      extra1_{nullptr}, extra2_{nullptr};
};

}  // namespace

SpectralConvImpl::SpectralConvImpl(int in, int out, int kernel, int stride, int padding, bool bias)
    : stride_(stride), padding_(padding) {
  conv_ = register_module("conv", conv(in, out, kernel, stride, padding, bias));
  u_ = register_buffer("u", F::normalize(torch::randn({out}), F::NormalizeFuncOptions().dim(0)));
}

torch::Tensor SpectralConvImpl::forward(const torch::Tensor& x) {
  const auto w = conv_->weight.flatten(1);  // out x (in * k * k)
  if (is_training()) {
    torch::NoGradGuard no_grad;  // the power iteration itself is not differentiated
    const auto v = F::normalize(torch::mv(w.t(), u_), F::NormalizeFuncOptions().dim(0));
    u_.copy_(F::normalize(torch::mv(w, v), F::NormalizeFuncOptions().dim(0)));
  }
  const auto v = F::normalize(torch::mv(w.t(), u_), F::NormalizeFuncOptions().dim(0)).detach();
  // A copy of u: the next training forward (RaGAN runs the critic on real and fake before one
  // backward) updates u_ in place, which must not touch what this graph saved.
  const auto sigma = torch::dot(u_.clone(), torch::mv(w, v));
  sigma_ = sigma.item<double>();
  return F::conv2d(x, conv_->weight / sigma, F::Conv2dFuncOptions().bias(conv_->bias).stride(stride_).padding(padding_));
}

Discriminator make_discriminator(const std::string& kind, int width) {
  if (width < 4) throw Error("discriminator width must be at least 4");
  if (kind == "vgg") return std::make_shared<VggDiscriminatorImpl>(width);
  if (kind == "unet") return std::make_shared<UNetDiscriminatorImpl>(width);
  throw Error("unknown discriminator '" + kind + "' (known: vgg, unet)");
}

}  // namespace vsr::train

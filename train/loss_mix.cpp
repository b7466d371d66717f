#include "loss_mix.h"

#include <filesystem>
#include <sstream>

#include "checkpoint_io.h"
#include "losses.h"
#include "optimisation.h"
#include "vsr/error.h"

namespace vsr::train {
namespace F = torch::nn::functional;
namespace fs = std::filesystem;

DualDownscalerImpl::DualDownscalerImpl(int scale) : scale_(scale) {
  head_ = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 16, 3).padding(1)));
  down_ = register_module("down", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 16, scale).stride(scale)));
  tail_ = register_module("tail", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 3, 3).padding(1)));
  torch::NoGradGuard no_grad;  // starts as the plain box average
  tail_->weight.mul_(0.1);
  tail_->bias.zero_();
}

torch::Tensor DualDownscalerImpl::forward(const torch::Tensor& sr) {
  auto act = [](const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); };
  return F::avg_pool2d(sr, F::AvgPool2dFuncOptions(scale_)) + tail_->forward(act(down_->forward(act(head_->forward(sr)))));
}

LossMix::LossMix(const LossMixOptions& o) : o_(o) {
  check_loss_mix(o);
  if (o.perceptual_weight > 0 || o.texture_weight > 0) {
    vgg_ = VggFeatures(o.perceptual_layers.back());
    if (!o.perceptual_weights.empty()) vgg_->load_weights(o.perceptual_weights);
    vgg_->eval();
  }
  if (o.gan_weight > 0) {
    discriminator_ = make_discriminator(o.discriminator, o.discriminator_width);
    discriminator_optimizer_ = std::make_unique<torch::optim::Adam>(
        discriminator_->parameters(), torch::optim::AdamOptions(o.discriminator_lr).betas({0.9, 0.99}));
  }
  if (o.dual_weight > 0) {
    dual_ = DualDownscaler(o.scale);
    dual_optimizer_ = std::make_unique<torch::optim::Adam>(dual_->parameters(), torch::optim::AdamOptions(o.dual_lr));
  }
}

torch::Tensor LossMix::generator_loss(const torch::Tensor& sr, const torch::Tensor& hr, const torch::Tensor& lr) {
  terms_.clear();
  torch::Tensor total = pixel_loss(o_.pixel, sr, hr);
  terms_[o_.pixel] = total.item<double>();
  auto add = [&](const std::string& name, const torch::Tensor& term) {
    terms_[name] = term.item<double>();
    total = total + term;
  };
  if (o_.ssim_weight > 0) add("ssim", ssim_loss(sr, hr, {o_.ssim_weight}));
  if (o_.gradient_weight > 0) add("gradient", gradient_profile_loss(sr, hr, {o_.gradient_weight}));
  if (o_.perceptual_weight > 0) add("perceptual", perceptual_loss(*vgg_, sr, hr, o_.perceptual_layers, o_.perceptual_weight));
  if (o_.texture_weight > 0) add("texture", texture_loss(*vgg_, sr, hr, o_.perceptual_layers, o_.texture_weight));
  if (o_.gan_weight > 0) {
    // The discriminator is only read here; its own step comes after the generator's.
    for (auto& p : discriminator_->parameters()) p.set_requires_grad(false);
    add("gan", ragan_generator_loss(discriminator_->forward(hr).detach(), discriminator_->forward(sr), {o_.gan_weight}));
    for (auto& p : discriminator_->parameters()) p.set_requires_grad(true);
  }
  if (o_.dual_weight > 0) {
    dual_optimizer_->zero_grad();  // the dual model learns from the same backward pass
    add("dual", dual_regression_loss(dual_->forward(sr), lr, {o_.dual_weight}));
  }
  return total;
}

void LossMix::after_generator_step(const torch::Tensor& sr, const torch::Tensor& hr) {
  if (dual_optimizer_) dual_optimizer_->step();
  if (!discriminator_) return;
  discriminator_optimizer_->zero_grad();
  const auto loss = ragan_discriminator_loss(discriminator_->forward(hr), discriminator_->forward(sr.detach()));
  loss.backward();
  discriminator_optimizer_->step();
  terms_["discriminator"] = loss.item<double>();
}

void LossMix::save(const std::string& dir) {
  if (discriminator_) {
    save_atomically(dir + "/discriminator.pt", [&](const std::string& p) { save_module(*discriminator_, p); });
    save_atomically(dir + "/discriminator_optimizer.pt", [&](const std::string& p) { torch::save(*discriminator_optimizer_, p); });
  }
  if (dual_) {
    save_atomically(dir + "/dual.pt", [&](const std::string& p) { save_module(*dual_, p); });
    save_atomically(dir + "/dual_optimizer.pt", [&](const std::string& p) { torch::save(*dual_optimizer_, p); });
  }
}

void LossMix::to(torch::Device device) {
  device_ = device;
  if (vgg_) vgg_->to(device);
  if (discriminator_) discriminator_->to(device);
  if (dual_) dual_->to(device);
}

bool LossMix::load(const std::string& dir) {
  bool loaded = false;
  if (discriminator_ && fs::exists(dir + "/discriminator.pt")) {
    load_module(*discriminator_, dir + "/discriminator.pt");
    torch::load(*discriminator_optimizer_, dir + "/discriminator_optimizer.pt", device_);
    loaded = true;
  }
  if (dual_ && fs::exists(dir + "/dual.pt")) {
    load_module(*dual_, dir + "/dual.pt");
    torch::load(*dual_optimizer_, dir + "/dual_optimizer.pt", device_);
    loaded = true;
  }
  return loaded;
}

std::string LossMix::describe() const {
  std::ostringstream s;
  s << o_.pixel;
  auto term = [&](double w, const std::string& name) {
    if (w > 0) s << "+" << w << "*" << name;
  };
  term(o_.ssim_weight, "ssim");
  term(o_.gradient_weight, "gradient");
  term(o_.perceptual_weight, "perceptual");
  term(o_.texture_weight, "texture");
  term(o_.gan_weight, "gan(" + o_.discriminator + ")");
  term(o_.dual_weight, "dual");
  return s.str();
}

}  // namespace vsr::train

#include "drn.h"

#include "losses.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {
namespace F = torch::nn::functional;

torch::nn::Conv2d conv(int in, int out, int k, int stride = 1) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2).stride(stride));
}

constexpr float kLeakySlope = 0.2f;  // DRN's down blocks; the export writes the same
constexpr int kCaReduction = 16;

torch::Tensor leaky(const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(kLeakySlope)); }

}  // namespace

DrnImpl::DrnImpl(const DrnConfig& c) : config_(c) {
  if (c.scale != 2 && c.scale != 4) throw Error("architecture 'drn' takes scale 2 or 4 (its U-Net halves per level), not " + std::to_string(c.scale));
  levels_ = c.scale == 4 ? 2 : 1;
  head_ = register_module("head", conv(3, c.width, 3));
  for (int i = 0; i < levels_; ++i) {
    const int w = c.width << i;
    down_strided_.push_back(register_module("down" + std::to_string(i) + "_strided", conv(w, w, 3, 2)));
    down_widen_.push_back(register_module("down" + std::to_string(i) + "_widen", conv(w, 2 * w, 3)));
  }
  for (int u = 0; u < levels_; ++u) {
    // Channels entering the level: the down path's deepest width, then the concatenation above it
    // (both 4 x width at x4, as in DRN); the 1x1 convolution narrows to the copy it is joined with.
    const int w = u == 0 ? c.width << levels_ : c.width << (levels_ - u + 1), narrowed = c.width << (levels_ - 1 - u);
    for (int b = 0; b < c.blocks; ++b)
      blocks_.push_back(register_module("up" + std::to_string(u) + "_block" + std::to_string(b),
                                        ChannelAttentionBlock(w, std::min(kCaReduction, w))));
    up_.push_back(register_module("up" + std::to_string(u) + "_shuffle", SubPixelUpsampler(SubPixelUpsamplerConfig{w, w, 2})));
    up_narrow_.push_back(register_module("up" + std::to_string(u) + "_narrow", conv(w, narrowed, 1)));
  }
  tail_ = register_module("tail", conv(2 * c.width, 3, 3));
  dual_ = register_module("dual", DualDownscaler(c.scale));
  torch::NoGradGuard no_grad;  // start at the bicubic image
  tail_->weight.mul_(0.1);
  tail_->bias.zero_();
}

torch::Tensor DrnImpl::forward(torch::Tensor lr) {
  const torch::Tensor up = bicubic_upsample(lr, config_.scale);
  std::vector<torch::Tensor> copies = {head_->forward(up)};
  torch::Tensor x = copies[0];
  for (int i = 0; i < levels_; ++i) {
    x = down_widen_[i]->forward(leaky(down_strided_[i]->forward(x)));
    if (i + 1 < levels_) copies.push_back(x);
  }
  for (int u = 0; u < levels_; ++u) {
    for (int b = 0; b < config_.blocks; ++b) x = blocks_[u * config_.blocks + b]->forward(x);
    x = torch::cat({up_narrow_[u]->forward(up_[u]->forward(x)), copies[levels_ - 1 - u]}, 1);
  }
  const torch::Tensor sr = up + tail_->forward(x);
  if (is_training()) last_lr_ = lr, last_sr_ = sr;
  return sr;
}

torch::Tensor DrnImpl::auxiliary_loss(const torch::Tensor&) {
  if (!last_sr_.defined()) return {};
  return dual_regression_loss(dual_->forward(last_sr_), last_lr_, {kDualWeight});
}

int DrnImpl::receptive_field() const {
  // In HR pixels: the head; per down level its strided and widening convolutions (at 2^i and 2^(i+1)
  // HR pixels per step); per up level two per attention block and the shuffle's convolution at that
  // level's resolution; the tail. Then to LR pixels, plus the bicubic taps.
  int hr = 2;
  for (int i = 0; i < levels_; ++i) hr += (1 << i) + (2 << i);
  for (int u = 0; u < levels_; ++u) hr += (2 * config_.blocks + 1) << (levels_ - u);
  return lr_radius(hr, config_.scale) + 2;
}

void DrnImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("drn_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string up = export_bicubic_upsample(w, "bicubic", "lr", config_.scale);
  std::vector<std::string> copies = {export_conv(w, "head", up, head_)};
  std::string x = copies[0];
  for (int i = 0; i < levels_; ++i) {
    const std::string n = "down" + std::to_string(i);
    const std::string a = export_node(w, "LeakyRelu", n + ".leaky", {export_conv(w, n + ".strided", x, down_strided_[i])},
                                      {OnnxAttribute::real("alpha", kLeakySlope)});
    x = export_conv(w, n + ".widen", a, down_widen_[i]);
    if (i + 1 < levels_) copies.push_back(x);
  }
  for (int u = 0; u < levels_; ++u) {
    const std::string n = "up" + std::to_string(u);
    for (int b = 0; b < config_.blocks; ++b)
      x = blocks_[u * config_.blocks + b]->export_onnx(w, n + ".block" + std::to_string(b), x);
    const std::string narrow = export_conv(w, n + ".narrow", up_[u]->export_onnx(w, n + ".shuffle", x), up_narrow_[u]);
    x = export_concat(w, n + ".cat", {narrow, copies[levels_ - 1 - u]});
  }
  w.add_node("Add", "add_bicubic", {export_conv(w, "tail", x, tail_), up}, {"hr"});
  w.add_output("hr", {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

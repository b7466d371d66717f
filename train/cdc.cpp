#include "cdc.h"

#include "harris.h"

namespace vsr::train {
namespace {

torch::nn::Conv2d conv3x3(int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)); }

constexpr float kEpsilon = 1e-6f;  // keeps the weighted mean finite if every attention saturates at 0

}  // namespace

CdcImpl::CdcImpl(const CdcConfig& c) : config_(c) {
  head_ = register_module("head", conv3x3(3, c.width));
  for (int i = 0; i < 2 * c.blocks; ++i) block_convs_.push_back(register_module("block_conv" + std::to_string(i), conv3x3(c.width, c.width)));
  body_end_ = register_module("body_end", conv3x3(c.width, c.width));
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{c.width, c.width, c.scale}));
  for (int k = 0; k < kComponents; ++k) {
    images_.push_back(register_module("image" + std::to_string(k), conv3x3(c.width, 3)));
    attentions_.push_back(register_module("attention" + std::to_string(k), conv3x3(c.width, 1)));
  }
}

torch::Tensor CdcImpl::forward(torch::Tensor lr) {
  const torch::Tensor head = head_->forward(lr);
  torch::Tensor h = head;
  for (size_t i = 0; i < block_convs_.size(); i += 2) h = h + block_convs_[i + 1]->forward(torch::relu(block_convs_[i]->forward(h)));
  const torch::Tensor u = upsampler_->forward(body_end_->forward(h) + head);
  std::vector<torch::Tensor> images, weights;
  for (int k = 0; k < kComponents; ++k) {
    images.push_back(images_[k]->forward(u));
    weights.push_back(torch::sigmoid(attentions_[k]->forward(u)));
  }
  const torch::Tensor image = torch::stack(images, 1), weight = torch::cat(weights, 1);  // N x 3 x 3 x H x W, N x 3 x H x W
  const torch::Tensor total = weight.sum(1, true) + kEpsilon;
  if (is_training()) {
    last_images_ = image;
    last_attention_ = weight / total;
  }
  return (image * weight.unsqueeze(2)).sum(1) / total;
}

torch::Tensor CdcImpl::auxiliary_loss(const torch::Tensor& hr) {
  if (!last_images_.defined()) return {};
  const torch::Tensor masks = harris_components(hr);  // N x 3 x H x W
  const torch::Tensor error = (last_images_ - hr.unsqueeze(1)).abs().mean(2);  // N x 3 x H x W, per component
  const torch::Tensor per_component = (error * masks).sum({0, 2, 3}) / masks.sum({0, 2, 3}).clamp_min(1.0);
  return 0.5 * per_component.mean() + 0.1 * (last_attention_ - masks).abs().mean();
}

void CdcImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("cdc_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string head = export_conv(w, "head", "lr", head_);
  std::string h = head;
  for (size_t i = 0; i < block_convs_.size(); i += 2) {
    const std::string b = "block" + std::to_string(i / 2);
    const std::string r = export_node(w, "Relu", b + ".relu", {export_conv(w, b + ".conv0", h, block_convs_[i])});
    h = export_node(w, "Add", b + ".add", {export_conv(w, b + ".conv1", r, block_convs_[i + 1]), h});
  }
  h = export_node(w, "Add", "long_skip", {export_conv(w, "body_end", h, body_end_), head});
  const std::string u = upsampler_->export_onnx(w, "upsample", h);
  std::string sum, total;
  for (int k = 0; k < kComponents; ++k) {
    const std::string c = "component" + std::to_string(k);
    const std::string a = export_node(w, "Sigmoid", c + ".sigmoid", {export_conv(w, c + ".attention", u, attentions_[k])});
    const std::string weighted = export_node(w, "Mul", c + ".weigh", {export_conv(w, c + ".image", u, images_[k]), a});
    sum = k == 0 ? weighted : export_node(w, "Add", c + ".sum", {sum, weighted});
    total = k == 0 ? a : export_node(w, "Add", c + ".total", {total, a});
  }
  w.add_initializer("epsilon", {1}, {kEpsilon});
  total = export_node(w, "Add", "total_epsilon", {total, "epsilon"});
  w.add_output(export_node(w, "Div", "weighted_mean", {sum, total}), {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

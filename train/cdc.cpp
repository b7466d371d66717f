#include "cdc.h"

#include "edsr.h"
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
  const torch::Tensor u = upsampler_->forward(residual_trunk(head_, block_convs_, body_end_, lr));
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
  const std::string u = upsampler_->export_onnx(w, "upsample", export_residual_trunk(w, head_, block_convs_, body_end_, "lr"));
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

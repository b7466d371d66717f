#include "spsr.h"

#include <algorithm>

#include "gradient_map.h"
#include "losses.h"

namespace vsr::train {
namespace {

torch::nn::Conv2d conv(int in, int out, int k) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2)); }

}  // namespace

SpsrImpl::SpsrImpl(const SpsrConfig& c) : config_(c) {
  const int w = c.width, stages = std::min(4, c.blocks);
  for (int s = 1; s <= stages; ++s) taps_.push_back(s * c.blocks / stages - 1);
  head_ = register_module("head", conv(3, w, 3));
  for (int i = 0; i < 2 * c.blocks; ++i) block_convs_.push_back(register_module("block_conv" + std::to_string(i), conv(w, w, 3)));
  body_end_ = register_module("body_end", conv(w, w, 3));
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{w, w, c.scale}));
  grad_head_ = register_module("grad_head", conv(3, w, 3));
  for (size_t s = 0; s < taps_.size(); ++s) {
    stage_merge_.push_back(register_module("grad_merge" + std::to_string(s), conv(2 * w, w, 1)));
    stage_conv_.push_back(register_module("grad_conv" + std::to_string(s), conv(w, w, 3)));
  }
  grad_upsampler_ = register_module("grad_upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{w, w, c.scale}));
  grad_out_ = register_module("grad_out", conv(w, 3, 3));
  fuse_ = register_module("fuse", conv(2 * w, w, 3));
  tail_ = register_module("tail", conv(w, 3, 3));
}

torch::Tensor SpsrImpl::forward(torch::Tensor lr) {
  const torch::Tensor head = head_->forward(lr);
  torch::Tensor h = head, g = grad_head_->forward(gradient_magnitude(lr));
  size_t stage = 0;
  for (int b = 0; b < config_.blocks; ++b) {
    h = h + block_convs_[2 * b + 1]->forward(torch::relu(block_convs_[2 * b]->forward(h)));
    if (stage < taps_.size() && taps_[stage] == b) {
      g = g + stage_conv_[stage]->forward(torch::relu(stage_merge_[stage]->forward(torch::cat({g, h}, 1))));
      ++stage;
    }
  }
  h = body_end_->forward(h) + head;
  const torch::Tensor g_up = grad_upsampler_->forward(g);
  if (is_training()) last_gradient_map_ = grad_out_->forward(g_up);
  return tail_->forward(torch::relu(fuse_->forward(torch::cat({upsampler_->forward(h), g_up}, 1))));
}

torch::Tensor SpsrImpl::auxiliary_loss(const torch::Tensor& hr) {
  if (!last_gradient_map_.defined()) return {};
  return (last_gradient_map_ - gradient_magnitude(hr)).abs().mean();
}

void SpsrImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("spsr_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string head = export_conv(w, "head", "lr", head_);
  std::string h = head, g = export_conv(w, "grad_head", export_gradient_map(w, "lr_gradient", "lr"), grad_head_);
  size_t stage = 0;
  for (int b = 0; b < config_.blocks; ++b) {
    const std::string n = "block" + std::to_string(b);
    const std::string r = export_node(w, "Relu", n + ".relu", {export_conv(w, n + ".conv0", h, block_convs_[2 * b])});
    h = export_node(w, "Add", n + ".add", {export_conv(w, n + ".conv1", r, block_convs_[2 * b + 1]), h});
    if (stage < taps_.size() && taps_[stage] == b) {
      const std::string s = "grad_stage" + std::to_string(stage);
      const std::string m = export_conv(w, s + ".merge", export_concat(w, s + ".cat", {g, h}), stage_merge_[stage]);
      g = export_node(w, "Add", s + ".add",
                      {g, export_conv(w, s + ".conv", export_node(w, "Relu", s + ".relu", {m}), stage_conv_[stage])});
      ++stage;
    }
  }
  h = export_node(w, "Add", "long_skip", {export_conv(w, "body_end", h, body_end_), head});
  const std::string up = upsampler_->export_onnx(w, "upsample", h), g_up = grad_upsampler_->export_onnx(w, "grad_upsample", g);
  const std::string f = export_node(w, "Relu", "fuse_relu", {export_conv(w, "fuse", export_concat(w, "fuse_cat", {up, g_up}), fuse_)});
  w.add_output(export_conv(w, "tail", f, tail_), {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

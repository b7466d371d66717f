#include "edsr.h"

namespace vsr::train {
namespace {

torch::nn::Conv2d conv3x3(int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)); }

}  // namespace

EdsrImpl::EdsrImpl(const EdsrConfig& c) : config_(c) {
  head_ = register_module("head", conv3x3(3, c.width));
  for (int i = 0; i < 2 * c.blocks; ++i)
    block_convs_.push_back(register_module("block_conv" + std::to_string(i), conv3x3(c.width, c.width)));
  body_end_ = register_module("body_end", conv3x3(c.width, c.width));
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{c.width, c.width, c.scale}));
  tail_ = register_module("tail", conv3x3(c.width, 3));
}

torch::Tensor EdsrImpl::forward(torch::Tensor lr) {
  const torch::Tensor head = head_->forward(lr);
  torch::Tensor h = head;
  for (size_t i = 0; i < block_convs_.size(); i += 2)
    h = h + block_convs_[i + 1]->forward(torch::relu(block_convs_[i]->forward(h))) * config_.residual_scale;
  h = body_end_->forward(h) + head;
  return tail_->forward(upsampler_->forward(h));
}

void EdsrImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("edsr_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string head = export_conv(w, "head", "lr", head_);
  std::string h = head;
  for (size_t i = 0; i < block_convs_.size(); i += 2) {
    const std::string b = "block" + std::to_string(i / 2);
    const std::string r = export_node(w, "Relu", b + ".relu", {export_conv(w, b + ".conv0", h, block_convs_[i])});
    h = export_node(w, "Add", b + ".add", {export_conv(w, b + ".conv1", r, block_convs_[i + 1], config_.residual_scale), h});
  }
  h = export_node(w, "Add", "long_skip", {export_conv(w, "body_end", h, body_end_), head});
  h = export_conv(w, "tail", upsampler_->export_onnx(w, "upsample", h), tail_);
  w.add_output(h, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

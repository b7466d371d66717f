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

torch::Tensor residual_trunk(torch::nn::Conv2d head_conv, std::vector<torch::nn::Conv2d>& block_convs, torch::nn::Conv2d body_end,
                             const torch::Tensor& lr, float residual_scale) {
  const torch::Tensor head = head_conv->forward(lr);
  torch::Tensor h = head;
  for (size_t i = 0; i < block_convs.size(); i += 2)
    h = h + block_convs[i + 1]->forward(torch::relu(block_convs[i]->forward(h))) * residual_scale;
  return body_end->forward(h) + head;
}

std::string export_residual_trunk(OnnxWriter& w, const torch::nn::Conv2d& head_conv, const std::vector<torch::nn::Conv2d>& block_convs,
                                  const torch::nn::Conv2d& body_end, const std::string& lr, float residual_scale) {
  const std::string head = export_conv(w, "head", lr, head_conv);
  std::string h = head;
  for (size_t i = 0; i < block_convs.size(); i += 2) {
    const std::string b = "block" + std::to_string(i / 2);
    const std::string r = export_node(w, "Relu", b + ".relu", {export_conv(w, b + ".conv0", h, block_convs[i])});
    h = export_node(w, "Add", b + ".add", {export_conv(w, b + ".conv1", r, block_convs[i + 1], residual_scale), h});
  }
  return export_node(w, "Add", "long_skip", {export_conv(w, "body_end", h, body_end), head});
}

torch::Tensor EdsrImpl::forward(torch::Tensor lr) {
  return tail_->forward(upsampler_->forward(residual_trunk(head_, block_convs_, body_end_, lr, config_.residual_scale)));
}

void EdsrImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("edsr_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string h = export_residual_trunk(w, head_, block_convs_, body_end_, "lr", config_.residual_scale);
  const std::string out = export_conv(w, "tail", upsampler_->export_onnx(w, "upsample", h), tail_);
  w.add_output(out, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

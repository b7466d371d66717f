#include "srresnet.h"

namespace vsr::train {
namespace {

torch::nn::Conv2d conv(int in, int out, int k) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2)); }
torch::nn::PReLU prelu(int channels) { return torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(channels).init(0.25)); }

}  // namespace

SrresnetImpl::SrresnetImpl(const SrresnetConfig& c) : config_(c) {
  head_ = register_module("head", conv(3, c.width, 9));
  head_prelu_ = register_module("head_prelu", prelu(c.width));
  for (int b = 0; b < c.blocks; ++b) {
    const std::string n = "block" + std::to_string(b);
    block_convs_.push_back(register_module(n + "_conv0", conv(c.width, c.width, 3)));
    block_prelus_.push_back(register_module(n + "_prelu", prelu(c.width)));
    block_convs_.push_back(register_module(n + "_conv1", conv(c.width, c.width, 3)));
  }
  body_end_ = register_module("body_end", conv(c.width, c.width, 3));
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{
                                                c.width, c.width, c.scale, 1, UpsamplerActivation::prelu}));
  tail_ = register_module("tail", conv(c.width, 3, 9));
}

torch::Tensor SrresnetImpl::forward(torch::Tensor lr) {
  const torch::Tensor head = head_prelu_->forward(head_->forward(lr));
  torch::Tensor h = head;
  for (int b = 0; b < config_.blocks; ++b)
    h = h + block_convs_[2 * b + 1]->forward(block_prelus_[b]->forward(block_convs_[2 * b]->forward(h)));
  h = head + body_end_->forward(h);
  return tail_->forward(upsampler_->forward(h));
}

void SrresnetImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("srresnet_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string head = export_prelu(w, "head_prelu", export_conv(w, "head", "lr", head_), head_prelu_);
  std::string h = head;
  for (int b = 0; b < config_.blocks; ++b) {
    const std::string n = "block" + std::to_string(b);
    const std::string r = export_prelu(w, n + ".prelu", export_conv(w, n + ".conv0", h, block_convs_[2 * b]), block_prelus_[b]);
    h = export_node(w, "Add", n + ".add", {h, export_conv(w, n + ".conv1", r, block_convs_[2 * b + 1])});
  }
  h = export_node(w, "Add", "long_skip", {head, export_conv(w, "body_end", h, body_end_)});
  h = export_conv(w, "tail", upsampler_->export_onnx(w, "upsample", h), tail_);
  w.add_output(h, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

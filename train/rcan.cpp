#include "rcan.h"

#include <algorithm>

namespace vsr::train {
namespace {

torch::nn::Conv2d conv(int in, int out, int k) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2)); }

}  // namespace

ChannelAttentionBlockImpl::ChannelAttentionBlockImpl(int width, int reduction) {
  const int squeezed = std::max(1, width / reduction);
  conv0_ = register_module("conv0", conv(width, width, 3));
  conv1_ = register_module("conv1", conv(width, width, 3));
  squeeze_ = register_module("squeeze", conv(width, squeezed, 1));
  excite_ = register_module("excite", conv(squeezed, width, 1));
}

torch::Tensor ChannelAttentionBlockImpl::forward(torch::Tensor x) {
  const torch::Tensor r = conv1_->forward(torch::relu(conv0_->forward(x)));
  const torch::Tensor weights = torch::sigmoid(excite_->forward(torch::relu(squeeze_->forward(r.mean({2, 3}, true)))));
  return x + r * weights;
}

std::string ChannelAttentionBlockImpl::export_onnx(OnnxWriter& w, const std::string& p, const std::string& input) const {
  const std::string h = export_node(w, "Relu", p + ".relu", {export_conv(w, p + ".conv0", input, conv0_)});
  const std::string r = export_conv(w, p + ".conv1", h, conv1_);
  std::string a = export_node(w, "GlobalAveragePool", p + ".pool", {r});
  a = export_node(w, "Relu", p + ".squeeze_relu", {export_conv(w, p + ".squeeze", a, squeeze_)});
  a = export_node(w, "Sigmoid", p + ".sigmoid", {export_conv(w, p + ".excite", a, excite_)});
  return export_node(w, "Add", p + ".add", {input, export_node(w, "Mul", p + ".attend", {r, a})});
}

RcanImpl::RcanImpl(const RcanConfig& c) : config_(c) {
  head_ = register_module("head", conv(3, c.width, 3));
  for (int g = 0; g < c.groups; ++g) {
    for (int b = 0; b < c.blocks; ++b)
      blocks_.push_back(register_module("group" + std::to_string(g) + "_block" + std::to_string(b),
                                        ChannelAttentionBlock(c.width, c.reduction)));
    group_ends_.push_back(register_module("group" + std::to_string(g) + "_end", conv(c.width, c.width, 3)));
  }
  body_end_ = register_module("body_end", conv(c.width, c.width, 3));
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{c.width, c.width, c.scale}));
  tail_ = register_module("tail", conv(c.width, 3, 3));
}

torch::Tensor RcanImpl::forward(torch::Tensor lr) {
  const torch::Tensor head = head_->forward(lr);
  torch::Tensor h = head;
  for (int g = 0; g < config_.groups; ++g) {
    torch::Tensor x = h;
    for (int b = 0; b < config_.blocks; ++b) x = blocks_[g * config_.blocks + b]->forward(x);
    h = h + group_ends_[g]->forward(x);
  }
  h = head + body_end_->forward(h);
  return tail_->forward(upsampler_->forward(h));
}

void RcanImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("rcan_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string head = export_conv(w, "head", "lr", head_);
  std::string h = head;
  for (int g = 0; g < config_.groups; ++g) {
    const std::string name = "group" + std::to_string(g);
    std::string x = h;
    for (int b = 0; b < config_.blocks; ++b)
      x = blocks_[g * config_.blocks + b]->export_onnx(w, name + ".block" + std::to_string(b), x);
    h = export_node(w, "Add", name + ".add", {h, export_conv(w, name + ".end", x, group_ends_[g])});
  }
  h = export_node(w, "Add", "long_skip", {head, export_conv(w, "body_end", h, body_end_)});
  h = export_conv(w, "tail", upsampler_->export_onnx(w, "upsample", h), tail_);
  w.add_output(h, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

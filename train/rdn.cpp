#include "rdn.h"

namespace vsr::train {
namespace {

torch::nn::Conv2d conv(int in, int out, int k) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2)); }

}  // namespace

RdnImpl::RdnImpl(const RdnConfig& c) : config_(c) {
  shallow0_ = register_module("shallow0", conv(3, c.width, 3));
  shallow1_ = register_module("shallow1", conv(c.width, c.width, 3));
  for (int b = 0; b < c.blocks; ++b) {
    const std::string n = "block" + std::to_string(b);
    for (int l = 0; l < c.layers; ++l)
      layer_convs_.push_back(register_module(n + "_conv" + std::to_string(l), conv(c.width + l * c.growth, c.growth, 3)));
    local_fuses_.push_back(register_module(n + "_fuse", conv(c.width + c.layers * c.growth, c.width, 1)));
  }
  global_fuse_ = register_module("global_fuse", conv(c.blocks * c.width, c.width, 1));
  global_conv_ = register_module("global_conv", conv(c.width, c.width, 3));
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{c.width, c.growth, c.scale}));
  last_ = register_module("last", conv(c.growth, 3, 3));
}

torch::Tensor RdnImpl::forward(torch::Tensor lr) {
  const torch::Tensor shallow = shallow0_->forward(lr);
  torch::Tensor h = shallow1_->forward(shallow);
  std::vector<torch::Tensor> block_outputs;
  for (int b = 0; b < config_.blocks; ++b) {
    std::vector<torch::Tensor> seen = {h};
    for (int l = 0; l < config_.layers; ++l)
      seen.push_back(torch::relu(layer_convs_[b * config_.layers + l]->forward(torch::cat(seen, 1))));
    h = h + local_fuses_[b]->forward(torch::cat(seen, 1));
    block_outputs.push_back(h);
  }
  h = shallow + global_conv_->forward(global_fuse_->forward(torch::cat(block_outputs, 1)));
  return last_->forward(upsampler_->forward(h));
}

void RdnImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("rdn_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string shallow = export_conv(w, "shallow0", "lr", shallow0_);
  std::string h = export_conv(w, "shallow1", shallow, shallow1_);
  std::vector<std::string> block_outputs;
  for (int b = 0; b < config_.blocks; ++b) {
    const std::string n = "block" + std::to_string(b);
    std::vector<std::string> seen = {h};
    for (int l = 0; l < config_.layers; ++l) {
      const std::string c = n + ".conv" + std::to_string(l);
      const std::string x = seen.size() == 1 ? h : export_concat(w, c + ".concat", seen);
      seen.push_back(export_node(w, "Relu", c + ".relu", {export_conv(w, c, x, layer_convs_[b * config_.layers + l])}));
    }
    h = export_node(w, "Add", n + ".add", {h, export_conv(w, n + ".fuse", export_concat(w, n + ".concat", seen), local_fuses_[b])});
    block_outputs.push_back(h);
  }
  const std::string fused = block_outputs.size() == 1 ? h : export_concat(w, "global.concat", block_outputs);
  const std::string global = export_conv(w, "global_conv", export_conv(w, "global_fuse", fused, global_fuse_), global_conv_);
  h = export_node(w, "Add", "global_skip", {shallow, global});
  h = export_conv(w, "last", upsampler_->export_onnx(w, "upsample", h), last_);
  w.add_output(h, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

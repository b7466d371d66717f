#include "carn.h"

#include <functional>

#include "vsr/error.h"

namespace vsr::train {
namespace {

constexpr int kMobileGroups = 4;  // CARN-M's group convolutions

torch::nn::Conv2d conv(int in, int out, int k, int groups = 1) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2).groups(groups));
}

// The cascade of the file comment, on LibTorch tensors.
torch::Tensor cascade(torch::Tensor x, const std::function<torch::Tensor(int, torch::Tensor)>& unit,
                      std::vector<torch::nn::Conv2d>& fusions) {
  torch::Tensor c = x, o = x;
  for (size_t i = 0; i < fusions.size(); ++i) {
    c = torch::cat({c, unit(static_cast<int>(i), o)}, 1);
    o = torch::relu(fusions[i]->forward(c));
  }
  return o;
}

// The same cascade as ONNX nodes.
std::string export_cascade(OnnxWriter& w, const std::string& prefix, const std::string& x,
                           const std::function<std::string(int, const std::string&)>& unit,
                           const std::vector<torch::nn::Conv2d>& fusions) {
  std::string c = x, o = x;
  for (size_t i = 0; i < fusions.size(); ++i) {
    const std::string n = prefix + ".fuse" + std::to_string(i);
    c = export_concat(w, n + ".concat", {c, unit(static_cast<int>(i), o)});
    o = export_node(w, "Relu", n + ".relu", {export_conv(w, n, c, fusions[i])});
  }
  return o;
}

}  // namespace

CarnResidualBlockImpl::CarnResidualBlockImpl(int width, int groups) {
  if (groups > 0)
    convs_ = {conv(width, width, 3, groups), conv(width, width, 3, groups), conv(width, width, 1)};
  else
    convs_ = {conv(width, width, 3), conv(width, width, 3)};
  for (size_t i = 0; i < convs_.size(); ++i) register_module("conv" + std::to_string(i), convs_[i]);
}

torch::Tensor CarnResidualBlockImpl::forward(torch::Tensor x) {
  torch::Tensor h = x;
  for (size_t i = 0; i < convs_.size(); ++i) {
    h = convs_[i]->forward(h);
    if (i + 1 < convs_.size()) h = torch::relu(h);
  }
  return torch::relu(x + h);
}

std::string CarnResidualBlockImpl::export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& weights,
                                               bool first_use, const std::string& input) const {
  std::string h = input;
  for (size_t i = 0; i < convs_.size(); ++i) {
    const std::string n = prefix + ".conv" + std::to_string(i), wn = weights + ".conv" + std::to_string(i);
    h = first_use ? export_conv(w, wn, h, convs_[i]) : export_conv_reusing(w, n, wn, h, convs_[i]);
    if (i + 1 < convs_.size()) h = export_node(w, "Relu", n + ".relu", {h});
  }
  return export_node(w, "Relu", prefix + ".relu", {export_node(w, "Add", prefix + ".add", {input, h})});
}

CarnCascadingBlockImpl::CarnCascadingBlockImpl(int width, bool mobile) {
  for (int i = 0; i < (mobile ? 1 : 3); ++i)
    units_.push_back(register_module("unit" + std::to_string(i), CarnResidualBlock(width, mobile ? kMobileGroups : 0)));
  for (int i = 0; i < 3; ++i) fusions_.push_back(register_module("fuse" + std::to_string(i), conv(width * (i + 2), width, 1)));
}

torch::Tensor CarnCascadingBlockImpl::forward(torch::Tensor x) {
  return cascade(x, [&](int i, torch::Tensor o) { return units_[i % units_.size()]->forward(o); }, fusions_);
}

std::string CarnCascadingBlockImpl::export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& input) const {
  return export_cascade(
      w, prefix, input,
      [&](int i, const std::string& o) {
        const size_t u = i % units_.size();
        return units_[u]->export_onnx(w, prefix + ".unit" + std::to_string(i), prefix + ".unit" + std::to_string(u),
                                      static_cast<size_t>(i) == u, o);
      },
      fusions_);
}

CarnImpl::CarnImpl(const CarnConfig& c) : config_(c) {
  if (c.mobile && c.width % kMobileGroups != 0)
    throw Error("CARN-M's width must be a multiple of its " + std::to_string(kMobileGroups) + " groups, not " +
                std::to_string(c.width));
  entry_ = register_module("entry", conv(3, c.width, 3));
  for (int i = 0; i < 3; ++i) {
    blocks_.push_back(register_module("block" + std::to_string(i), CarnCascadingBlock(c.width, c.mobile)));
    fusions_.push_back(register_module("fuse" + std::to_string(i), conv(c.width * (i + 2), c.width, 1)));
  }
  upsampler_ = register_module("upsampler", SubPixelUpsampler(SubPixelUpsamplerConfig{
                                                c.width, c.width, c.scale, c.mobile ? kMobileGroups : 1, UpsamplerActivation::relu}));
  exit_ = register_module("exit", conv(c.width, 3, 3));
}

torch::Tensor CarnImpl::forward(torch::Tensor lr) {
  const torch::Tensor h = cascade(entry_->forward(lr), [&](int i, torch::Tensor o) { return blocks_[i]->forward(o); }, fusions_);
  return exit_->forward(upsampler_->forward(h));
}

void CarnImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("carn" + std::string(config_.mobile ? "_m" : "") + "_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  std::string h = export_cascade(
      w, "cascade", export_conv(w, "entry", "lr", entry_),
      [&](int i, const std::string& o) { return blocks_[i]->export_onnx(w, "block" + std::to_string(i), o); }, fusions_);
  h = export_conv(w, "exit", upsampler_->export_onnx(w, "upsample", h), exit_);
  w.add_output(h, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

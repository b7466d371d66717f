#include "preupsample.h"

#include <array>

#include "models/onnx_writer.h"
#include "vsr/error.h"

namespace vsr::train {

PreUpsampleImpl::PreUpsampleImpl(const PreUpsampleConfig& c) : config_(c) {
  std::vector<std::array<int, 3>> layers;  // (in, out, kernel)
  if (c.arch == "srcnn") {
    const int w1 = c.features.size() > 0 ? c.features[0] : 64, w2 = c.features.size() > 1 ? c.features[1] : 32;
    layers = {{3, w1, 9}, {w1, w2, 1}, {w2, 3, 5}};
  } else if (c.arch == "vdsr") {
    const int width = c.features.size() > 0 ? c.features[0] : 64, depth = c.features.size() > 1 ? c.features[1] : 20;
    if (depth < 2) throw Error("vdsr needs at least 2 convolutions");
    layers.push_back({3, width, 3});
    for (int i = 0; i < depth - 2; ++i) layers.push_back({width, width, 3});
    layers.push_back({width, 3, 3});
  } else {
    throw Error("pre-upsampling architecture '" + c.arch + "' is not srcnn or vdsr");
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto [in, out, k] = layers[i];
    convs_.push_back(register_module("conv" + std::to_string(i),
                                     torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2))));
  }
  torch::NoGradGuard no_grad;  // start at the bicubic image
  convs_.back()->weight.mul_(0.1);
  convs_.back()->bias.zero_();
}

torch::Tensor PreUpsampleImpl::forward(torch::Tensor lr) {
  const auto up = bicubic_upsample(lr, config_.scale);
  torch::Tensor h = up;
  for (size_t i = 0; i + 1 < convs_.size(); ++i) h = torch::relu(convs_[i]->forward(h));
  return up + convs_.back()->forward(h);
}

int PreUpsampleImpl::receptive_field() const {
  int r = 0;
  for (const auto& c : convs_) r += static_cast<int>(c->options.kernel_size()->at(0)) / 2;
  return (r + config_.scale - 1) / config_.scale + 2;  // HR pixels -> LR pixels, plus the bicubic taps
}

void PreUpsampleImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  const int s = config_.scale;
  OnnxWriter w(config_.arch + "_x" + std::to_string(s));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string up = export_bicubic_upsample(w, "upsample", "lr", s);
  std::string x = up;
  for (size_t i = 0; i < convs_.size(); ++i) {
    x = export_conv(w, "conv" + std::to_string(i), x, convs_[i]);
    if (i + 1 < convs_.size()) {
      w.add_node("Relu", "relu" + std::to_string(i), {x}, {"relu" + std::to_string(i) + "_out"});
      x = "relu" + std::to_string(i) + "_out";
    }
  }
  w.add_node("Add", "add_bicubic", {x, up}, {"hr"});
  w.add_output("hr", {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

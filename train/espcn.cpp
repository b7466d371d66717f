#include "espcn.h"

#include "models/onnx_writer.h"

namespace vsr::train {

EspcnImpl::EspcnImpl(const EspcnConfig& config) : config_(config) {
  std::vector<int> widths = {config.colours};
  widths.insert(widths.end(), config.features.begin(), config.features.end());
  widths.push_back(config.colours * config.scale * config.scale);
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    const int k = i == 0 ? config.first_kernel : config.kernel;
    auto conv = torch::nn::Conv2d(torch::nn::Conv2dOptions(widths[i], widths[i + 1], k).padding(k / 2));
    convs_.push_back(register_module("conv" + std::to_string(i), conv));
  }
  // Start close to plain bilinear: the last layer's output is the residual, so keep it small.
  torch::NoGradGuard no_grad;
  convs_.back()->weight.mul_(0.1);
  convs_.back()->bias.zero_();
}

torch::Tensor EspcnImpl::forward(torch::Tensor lr) {
  namespace F = torch::nn::functional;
  torch::Tensor h = lr;
  for (size_t i = 0; i + 1 < convs_.size(); ++i) h = torch::relu(convs_[i]->forward(h));
  h = F::pixel_shuffle(convs_.back()->forward(h), F::PixelShuffleFuncOptions(config_.scale));
  const double s = config_.scale;
  auto base = F::interpolate(lr, F::InterpolateFuncOptions()
                                     .scale_factor(std::vector<double>{s, s})
                                     .mode(torch::kBilinear)
                                     .align_corners(false));
  return h + base;
}

int EspcnImpl::receptive_field() const {
  int r = 0;
  for (const auto& c : convs_) r += static_cast<int>(c->options.kernel_size()->at(0)) / 2;
  return std::max(r, 1);  // the bilinear skip alone reaches one LR pixel
}

void EspcnImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  const int s = config_.scale;
  OnnxWriter w("espcn_x" + std::to_string(s));
  w.add_input("lr", {"1", std::to_string(config_.colours), "height", "width"});
  std::string x = "lr";
  for (size_t i = 0; i < convs_.size(); ++i) {
    x = export_conv(w, "conv" + std::to_string(i), x, convs_[i]);
    if (i + 1 < convs_.size()) {
      w.add_node("Relu", "relu" + std::to_string(i), {x}, {"relu" + std::to_string(i) + "_out"});
      x = "relu" + std::to_string(i) + "_out";
    }
  }
  // PyTorch's pixel_shuffle is DepthToSpace in CRD order.
  w.add_node("DepthToSpace", "shuffle", {x}, {"residual"},
             {OnnxAttribute::integer("blocksize", s), OnnxAttribute::string("mode", "CRD")});
  w.add_initializer("skip_scales", {4}, {1.0f, 1.0f, float(s), float(s)});
  w.add_node("Resize", "skip", {"lr", "", "skip_scales"}, {"base"},
             {OnnxAttribute::string("mode", "linear"),
              OnnxAttribute::string("coordinate_transformation_mode", "pytorch_half_pixel")});
  w.add_node("Add", "add_skip", {"residual", "base"}, {"hr"});
  w.add_output("hr", {"1", std::to_string(config_.colours), "out_height", "out_width"});

  const std::map<std::string, std::string> meta = standard_metadata(*this, extra_metadata);
  w.set_metadata(meta);
  w.save(path);
}

}  // namespace vsr::train

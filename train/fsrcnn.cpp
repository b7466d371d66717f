#include "fsrcnn.h"

#include <array>

#include "models/onnx_writer.h"

namespace vsr::train {

FsrcnnImpl::FsrcnnImpl(const FsrcnnConfig& c) : config_(c) {
  // (in, out, kernel) of each convolution before the transposed one.
  std::vector<std::array<int, 3>> layers = {{3, c.d, 5}, {c.d, c.s, 1}};
  for (int i = 0; i < c.m; ++i) layers.push_back({c.s, c.s, 3});
  layers.push_back({c.s, c.d, 1});
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto [in, out, k] = layers[i];
    convs_.push_back(register_module("conv" + std::to_string(i),
                                     torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2))));
    prelus_.push_back(register_module("prelu" + std::to_string(i),
                                      torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(out).init(0.25))));
  }
  const int s = c.scale;
  deconv_ = register_module("deconv", torch::nn::ConvTranspose2d(
                                          torch::nn::ConvTranspose2dOptions(c.d, 3, 9).stride(s).padding(4).output_padding(s - 1)));
  // Start close to plain bilinear: the transposed convolution's output is the residual.
  torch::NoGradGuard no_grad;
  deconv_->weight.mul_(0.1);
  deconv_->bias.zero_();
}

torch::Tensor FsrcnnImpl::forward(torch::Tensor lr) {
  namespace F = torch::nn::functional;
  torch::Tensor h = lr;
  for (size_t i = 0; i < convs_.size(); ++i) h = prelus_[i]->forward(convs_[i]->forward(h));
  const double s = config_.scale;
  return deconv_->forward(h) +
         F::interpolate(lr, F::InterpolateFuncOptions().scale_factor(std::vector<double>{s, s}).mode(torch::kBilinear).align_corners(false));
}

void FsrcnnImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  const int s = config_.scale;
  OnnxWriter w("fsrcnn_x" + std::to_string(s));
  w.add_input("lr", {"1", "3", "height", "width"});
  std::string x = "lr";
  for (size_t i = 0; i < convs_.size(); ++i)
    x = export_prelu(w, "prelu" + std::to_string(i), export_conv(w, "conv" + std::to_string(i), x, convs_[i]), prelus_[i]);
  w.add_initializer("deconv.weight", dims_of(deconv_->weight), to_floats(deconv_->weight));
  w.add_initializer("deconv.bias", dims_of(deconv_->bias), to_floats(deconv_->bias));
  w.add_node("ConvTranspose", "deconv", {x, "deconv.weight", "deconv.bias"}, {"residual"},
             {OnnxAttribute::integers("kernel_shape", {9, 9}), OnnxAttribute::integers("strides", {s, s}),
              OnnxAttribute::integers("pads", {4, 4, 4, 4}), OnnxAttribute::integers("output_padding", {s - 1, s - 1})});
  w.add_initializer("skip_scales", {4}, {1.0f, 1.0f, float(s), float(s)});
  w.add_node("Resize", "skip", {"lr", "", "skip_scales"}, {"base"},
             {OnnxAttribute::string("mode", "linear"),
              OnnxAttribute::string("coordinate_transformation_mode", "pytorch_half_pixel")});
  w.add_node("Add", "add_skip", {"residual", "base"}, {"hr"});
  w.add_output("hr", {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

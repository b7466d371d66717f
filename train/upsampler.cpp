#include "upsampler.h"

#include "vsr/error.h"

namespace vsr::train {

SubPixelUpsamplerImpl::SubPixelUpsamplerImpl(const SubPixelUpsamplerConfig& c) : config_(c) {
  if (c.scale == 2 || c.scale == 3)
    factors_ = {c.scale};
  else if (c.scale == 4)
    factors_ = {2, 2};
  else
    throw Error("the sub-pixel upsampler takes scale 2, 3 or 4, not " + std::to_string(c.scale));
  for (size_t i = 0; i < factors_.size(); ++i) {
    const int in = i == 0 ? c.in_channels : c.channels, r = factors_[i];
    convs_.push_back(register_module("conv" + std::to_string(i),
                                     torch::nn::Conv2d(torch::nn::Conv2dOptions(in, c.channels * r * r, 3).padding(1).groups(c.groups))));
    if (c.activation == UpsamplerActivation::prelu)
      prelus_.push_back(register_module("prelu" + std::to_string(i),
                                        torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(c.channels).init(0.25))));
  }
}

torch::Tensor SubPixelUpsamplerImpl::forward(torch::Tensor x) {
  namespace F = torch::nn::functional;
  for (size_t i = 0; i < convs_.size(); ++i) {
    x = F::pixel_shuffle(convs_[i]->forward(x), F::PixelShuffleFuncOptions(factors_[i]));
    if (config_.activation == UpsamplerActivation::relu) x = torch::relu(x);
    if (config_.activation == UpsamplerActivation::prelu) x = prelus_[i]->forward(x);
  }
  return x;
}

std::string SubPixelUpsamplerImpl::export_onnx(OnnxWriter& w, const std::string& prefix, const std::string& input) const {
  std::string x = input;
  for (size_t i = 0; i < convs_.size(); ++i) {
    const std::string n = prefix + std::to_string(i);
    x = export_conv(w, n + ".conv", x, convs_[i]);
    // PyTorch's pixel_shuffle is DepthToSpace in CRD order.
    x = export_node(w, "DepthToSpace", n + ".shuffle", {x},
                    {OnnxAttribute::integer("blocksize", factors_[i]), OnnxAttribute::string("mode", "CRD")});
    if (config_.activation == UpsamplerActivation::relu) x = export_node(w, "Relu", n + ".relu", {x});
    if (config_.activation == UpsamplerActivation::prelu) x = export_prelu(w, n + ".prelu", x, prelus_[i]);
  }
  return x;
}

}  // namespace vsr::train

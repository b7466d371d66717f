#include "srvgg.h"

#include "models/onnx_writer.h"

namespace vsr::train {

SrvggImpl::SrvggImpl(const SrvggConfig& c) : config_(c) {
  const int out = 3 * c.scale * c.scale;
  for (int i = 0; i <= c.convs + 1; ++i) {
    const int in_ch = i == 0 ? 3 : c.width, out_ch = i == c.convs + 1 ? out : c.width;
    convs_.push_back(register_module("conv" + std::to_string(i),
                                     torch::nn::Conv2d(torch::nn::Conv2dOptions(in_ch, out_ch, 3).padding(1))));
    if (i <= c.convs)
      prelus_.push_back(register_module("prelu" + std::to_string(i),
                                        torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(out_ch).init(0.25))));
  }
  torch::NoGradGuard no_grad;  // start close to nearest-neighbour upsampling
  convs_.back()->weight.mul_(0.1);
  convs_.back()->bias.zero_();
}

torch::Tensor SrvggImpl::forward(torch::Tensor lr) {
  namespace F = torch::nn::functional;
  torch::Tensor h = lr;
  for (size_t i = 0; i < prelus_.size(); ++i) h = prelus_[i]->forward(convs_[i]->forward(h));
  h = F::pixel_shuffle(convs_.back()->forward(h), F::PixelShuffleFuncOptions(config_.scale));
  const double s = config_.scale;
  return h + F::interpolate(lr, F::InterpolateFuncOptions().scale_factor(std::vector<double>{s, s}).mode(torch::kNearest));
}

void SrvggImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  const int s = config_.scale;
  OnnxWriter w("srvgg_x" + std::to_string(s));
  w.add_input("lr", {"1", "3", "height", "width"});
  std::string x = "lr";
  for (size_t i = 0; i < convs_.size(); ++i) {
    x = export_conv(w, "conv" + std::to_string(i), x, convs_[i]);
    if (i < prelus_.size()) x = export_prelu(w, "prelu" + std::to_string(i), x, prelus_[i]);
  }
  export_shuffle_plus_nearest(w, x, "lr", s, "hr");
  w.add_output("hr", {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

#include "feature_net.h"

#include <algorithm>

#include "losses.h"
#include "vsr/error.h"

namespace vsr::train {

VggFeaturesImpl::VggFeaturesImpl(int convs) : convs_(convs) {
  if (convs < 1 || convs > 16) throw Error("the VGG feature network has 1 to 16 convolutions, not " + std::to_string(convs));
  // VGG19: stages of 2, 2, 4, 4, 4 convolutions of 64, 128, 256, 512, 512 channels, max-pool between.
  const int stage_convs[] = {2, 2, 4, 4, 4}, stage_width[] = {64, 128, 256, 512, 512};
  features_ = torch::nn::Sequential();
  int in = 3, made = 0;
  for (int s = 0; s < 5 && made < convs; ++s) {
    if (s > 0) features_->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)));
    for (int c = 0; c < stage_convs[s] && made < convs; ++c, ++made) {
      conv_positions_.push_back(static_cast<int>(features_->size()));
      features_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, stage_width[s], 3).padding(1)));
      features_->push_back(torch::nn::ReLU());
      in = stage_width[s];
    }
  }
  register_module("features", features_);
  for (auto& p : parameters()) p.set_requires_grad(false);
}

namespace {

// A tensor stored under a dotted name: flat (one key "features.0.weight", as a state-dict export
// writes it) or nested (sub-archives "features" > "0" > "weight", as torch::save of a module does).
bool read_dotted(torch::serialize::InputArchive& archive, const std::string& name, torch::Tensor& out) {
  if (archive.try_read(name, out)) return true;
  const size_t dot = name.find('.');
  if (dot == std::string::npos) return false;
  torch::serialize::InputArchive inner;
  if (!archive.try_read(name.substr(0, dot), inner)) return false;
  return read_dotted(inner, name.substr(dot + 1), out);
}

}  // namespace

void VggFeaturesImpl::load_weights(const std::string& path) {
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    torch::NoGradGuard no_grad;
    for (auto& item : named_parameters()) {
      const std::string& name = item.key();
      torch::Tensor& tensor = item.value();
      torch::Tensor stored;
      // A scripted torchvision vgg19().features has the layers at the top: "0.weight", not "features.0.weight".
      const std::string layer_name = name.substr(name.find('.') + 1);
      if (!read_dotted(archive, name, stored) && !read_dotted(archive, layer_name, stored))
        throw Error("it has no tensor '" + name + "'");
      if (stored.sizes() != tensor.sizes()) throw Error("its '" + name + "' has the wrong shape");
      tensor.copy_(stored);
    }
  } catch (const Error& e) {
    throw Error("perceptual weights '" + path + "': " + e.what());
  } catch (const std::exception& e) {
    throw Error("perceptual weights '" + path + "' cannot be read: " + e.what());
  }
}

std::vector<torch::Tensor> VggFeaturesImpl::features(const torch::Tensor& images, const std::vector<int>& convs) {
  const auto mean = torch::tensor({0.485f, 0.456f, 0.406f}, images.options()).view({1, 3, 1, 1});
  const auto stdev = torch::tensor({0.229f, 0.224f, 0.225f}, images.options()).view({1, 3, 1, 1});
  torch::Tensor x = (images - mean) / stdev;
  std::vector<torch::Tensor> out;
  size_t next = 0;
  int index = 0, conv = 0;
  for (auto& layer : *features_) {
    if (next == convs.size()) break;  // deeper layers are not needed
    x = layer.forward(x);
    if (std::find(conv_positions_.begin(), conv_positions_.end(), index++) == conv_positions_.end()) continue;
    if (++conv == convs[next]) {
      out.push_back(x);  // before its ReLU, as ESRGAN takes it
      ++next;
    }
  }
  if (out.size() != convs.size()) throw Error("the VGG feature network has no convolution " + std::to_string(convs[next]));
  return out;
}

namespace {

// `term` between the features of `pred` and `target` at each listed convolution, summed over them.
template <typename Term>
torch::Tensor sum_over_layers(VggFeaturesImpl& net, const torch::Tensor& pred, const torch::Tensor& target,
                              const std::vector<int>& convs, Term term) {
  const auto a = net.features(pred, convs), b = net.features(target, convs);
  torch::Tensor total = torch::zeros({}, pred.options());
  for (size_t i = 0; i < a.size(); ++i) total = total + term(a[i], b[i].detach());
  return total;
}

}  // namespace

torch::Tensor perceptual_loss(VggFeaturesImpl& net, const torch::Tensor& pred, const torch::Tensor& target,
                              const std::vector<int>& convs, double weight) {
  return sum_over_layers(net, pred, target, convs,
                         [&](const torch::Tensor& a, const torch::Tensor& b) { return pixel_l1_loss(a, b, {weight}); });
}

torch::Tensor texture_loss(VggFeaturesImpl& net, const torch::Tensor& pred, const torch::Tensor& target,
                           const std::vector<int>& convs, double weight) {
  return sum_over_layers(net, pred, target, convs,
                         [&](const torch::Tensor& a, const torch::Tensor& b) { return gram_loss(a, b, {weight}); });
}

}  // namespace vsr::train

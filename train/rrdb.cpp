#include "rrdb.h"

#include "upsampler.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {

constexpr double kSlope = 0.2;          // LeakyReLU
constexpr float kResidualScale = 0.2f;  // both residual levels

torch::nn::Conv2d conv3x3(int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)); }

std::string export_lrelu(OnnxWriter& w, const std::string& name, const std::string& input) {
  return export_node(w, "LeakyRelu", name, {input}, {OnnxAttribute::real("alpha", static_cast<float>(kSlope))});
}

}  // namespace

ResidualDenseBlock5Impl::ResidualDenseBlock5Impl(int width, int growth) {
  for (int i = 0; i < 5; ++i)
    convs_.push_back(register_module("conv" + std::to_string(i), conv3x3(width + i * growth, i == 4 ? width : growth)));
  // ESRGAN's initialisation: Kaiming scaled by 0.1, so that 69 dense blocks in a row start close to
  // the identity and the deep trunk trains.
  torch::NoGradGuard no_grad;
  for (auto& c : convs_) {
    torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanIn);
    c->weight.mul_(0.1);
    c->bias.zero_();
  }
}

torch::Tensor ResidualDenseBlock5Impl::forward(torch::Tensor x) {
  std::vector<torch::Tensor> seen = {x};
  for (size_t i = 0; i + 1 < convs_.size(); ++i) seen.push_back(torch::leaky_relu(convs_[i]->forward(torch::cat(seen, 1)), kSlope));
  return x + convs_.back()->forward(torch::cat(seen, 1)) * kResidualScale;
}

std::string ResidualDenseBlock5Impl::export_onnx(OnnxWriter& w, const std::string& p, const std::string& input) const {
  std::vector<std::string> seen = {input};
  for (size_t i = 0; i < convs_.size(); ++i) {
    const std::string n = p + ".conv" + std::to_string(i);
    const std::string x = seen.size() == 1 ? input : export_concat(w, n + ".concat", seen);
    if (i + 1 < convs_.size())
      seen.push_back(export_lrelu(w, n + ".lrelu", export_conv(w, n, x, convs_[i])));
    else  // the 0.2 folded into the fifth convolution
      return export_node(w, "Add", p + ".add", {input, export_conv(w, n, x, convs_[i], kResidualScale)});
  }
  throw Error("a residual dense block has no convolutions");
}

RrdbImpl::RrdbImpl(const RrdbConfig& c) : config_(c) {
  if (c.scale == 2 || c.scale == 3)
    factors_ = {c.scale};
  else if (c.scale == 4)
    factors_ = {2, 2};
  else
    throw Error("rrdb takes scale 2, 3 or 4, not " + std::to_string(c.scale));
  first_ = register_module("first", conv3x3(3, c.width));
  for (int b = 0; b < 3 * c.blocks; ++b)
    dense_blocks_.push_back(register_module("rrdb" + std::to_string(b / 3) + "_rdb" + std::to_string(b % 3),
                                            ResidualDenseBlock5(c.width, c.growth)));
  trunk_ = register_module("trunk", conv3x3(c.width, c.width));
  for (size_t i = 0; i < factors_.size(); ++i) up_convs_.push_back(register_module("up" + std::to_string(i), conv3x3(c.width, c.width)));
  hr_ = register_module("hr", conv3x3(c.width, c.width));
  last_ = register_module("last", conv3x3(c.width, 3));
}

int RrdbImpl::receptive_field() const {
  int r = 1 + 15 * config_.blocks + 1;  // first, five per dense block, trunk
  int factor = 1;
  for (int f : factors_) r += lr_radius(1, factor *= f);
  return r + lr_radius(2, factor);  // hr and last
}

torch::Tensor RrdbImpl::forward(torch::Tensor lr) {
  namespace F = torch::nn::functional;
  const torch::Tensor first = first_->forward(lr);
  torch::Tensor h = first;
  for (size_t b = 0; b < dense_blocks_.size(); b += 3) {
    const torch::Tensor x = h;
    for (size_t i = b; i < b + 3; ++i) h = dense_blocks_[i]->forward(h);
    h = x + h * kResidualScale;
  }
  h = first + trunk_->forward(h);
  for (size_t i = 0; i < factors_.size(); ++i) {
    const double f = factors_[i];
    h = F::interpolate(h, F::InterpolateFuncOptions().scale_factor(std::vector<double>{f, f}).mode(torch::kNearest));
    h = torch::leaky_relu(up_convs_[i]->forward(h), kSlope);
  }
  return last_->forward(torch::leaky_relu(hr_->forward(h), kSlope));
}

void RrdbImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("rrdb_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  const std::string first = export_conv(w, "first", "lr", first_);
  w.add_initializer("residual_scale", {1}, {kResidualScale});
  std::string h = first;
  for (size_t b = 0; b < dense_blocks_.size(); b += 3) {
    const std::string n = "rrdb" + std::to_string(b / 3), x = h;
    for (size_t i = b; i < b + 3; ++i) h = dense_blocks_[i]->export_onnx(w, n + ".rdb" + std::to_string(i - b), h);
    h = export_node(w, "Add", n + ".add", {x, export_node(w, "Mul", n + ".scale", {h, "residual_scale"})});
  }
  h = export_node(w, "Add", "long_skip", {first, export_conv(w, "trunk", h, trunk_)});
  for (size_t i = 0; i < factors_.size(); ++i) {
    const std::string n = "up" + std::to_string(i);
    const float f = static_cast<float>(factors_[i]);
    w.add_initializer(n + ".scales", {4}, {1.0f, 1.0f, f, f});
    // PyTorch's nearest interpolate is asymmetric/floor.
    h = export_node(w, "Resize", n + ".resize", {h, "", n + ".scales"},
                    {OnnxAttribute::string("mode", "nearest"), OnnxAttribute::string("coordinate_transformation_mode", "asymmetric"),
                     OnnxAttribute::string("nearest_mode", "floor")});
    h = export_lrelu(w, n + ".lrelu", export_conv(w, n, h, up_convs_[i]));
  }
  h = export_conv(w, "last", export_lrelu(w, "hr.lrelu", export_conv(w, "hr", h, hr_)), last_);
  w.add_output(h, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

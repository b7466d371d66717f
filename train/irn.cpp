#include "irn.h"

#include "vsr/error.h"

namespace vsr::train {
namespace {
namespace F = torch::nn::functional;

constexpr float kLeakySlope = 0.2f;

torch::nn::Conv2d conv3x3(int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)); }

}  // namespace

SubnetImpl::SubnetImpl(int in, int width, int out) {
  conv0_ = register_module("conv0", conv3x3(in, width));
  conv1_ = register_module("conv1", conv3x3(width, out));
  torch::NoGradGuard no_grad;  // each block starts close to the identity
  conv1_->weight.mul_(0.1);
  conv1_->bias.zero_();
}

torch::Tensor SubnetImpl::forward(const torch::Tensor& x) {
  return conv1_->forward(F::leaky_relu(conv0_->forward(x), F::LeakyReLUFuncOptions().negative_slope(kLeakySlope)));
}

std::string SubnetImpl::export_onnx(OnnxWriter& w, const std::string& name, const std::string& input, float output_scale) const {
  const std::string h = export_node(w, "LeakyRelu", name + ".leaky", {export_conv(w, name + ".conv0", input, conv0_)},
                                    {OnnxAttribute::real("alpha", kLeakySlope)});
  return export_conv(w, name + ".conv1", h, conv1_, output_scale);
}

namespace {

// Straight-through rounding to 8 bits: the LR is stored as an image.
torch::Tensor quantise(const torch::Tensor& x) {
  const auto q = x.clamp(0.0, 1.0).mul(255.0).round().div(255.0);
  return x + (q - x).detach();
}

}  // namespace

torch::Tensor haar_forward(const torch::Tensor& x) {
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2) / 2, w = x.size(3) / 2;
  const auto b = x.reshape({n, c, h, 2, w, 2});
  const auto p00 = b.select(5, 0).select(3, 0), p01 = b.select(5, 1).select(3, 0), p10 = b.select(5, 0).select(3, 1),
             p11 = b.select(5, 1).select(3, 1);
  return torch::cat({(p00 + p01 + p10 + p11) / 4, (p00 - p01 + p10 - p11) / 4, (p00 + p01 - p10 - p11) / 4,
                     (p00 - p01 - p10 + p11) / 4},
                    1);
}

torch::Tensor haar_inverse(const torch::Tensor& y) {
  const auto parts = y.chunk(4, 1);
  const auto &mean = parts[0], &horizontal = parts[1], &vertical = parts[2], &diagonal = parts[3];
  const auto p00 = mean + horizontal + vertical + diagonal, p01 = mean - horizontal + vertical - diagonal,
             p10 = mean + horizontal - vertical - diagonal, p11 = mean - horizontal - vertical + diagonal;
  const auto top = torch::stack({p00, p01}, -1), bottom = torch::stack({p10, p11}, -1);  // N x C x h x w x 2
  const auto blocks = torch::stack({top, bottom}, 3);                                      // N x C x h x 2 x w x 2
  return blocks.reshape({mean.size(0), mean.size(1), 2 * mean.size(2), 2 * mean.size(3)});
}

CouplingBlockImpl::CouplingBlockImpl(int channels, int width) : channels_(channels) {
  f_ = register_module("f", Subnet(channels - 3, width, 3));
  g_ = register_module("g", Subnet(3, width, channels - 3));
  h_ = register_module("h", Subnet(3, width, channels - 3));
}

torch::Tensor CouplingBlockImpl::forward(const torch::Tensor& x) {
  const auto x1 = x.slice(1, 0, 3), x2 = x.slice(1, 3, channels_);
  const auto y1 = x1 + f_->forward(x2);
  const auto s = 0.5 + torch::sigmoid(h_->forward(y1));
  return torch::cat({y1, x2 * s + g_->forward(y1)}, 1);
}

torch::Tensor CouplingBlockImpl::inverse(const torch::Tensor& y) {
  const auto y1 = y.slice(1, 0, 3), y2 = y.slice(1, 3, channels_);
  const auto s = 0.5 + torch::sigmoid(h_->forward(y1));
  const auto x2 = (y2 - g_->forward(y1)) / s;
  return torch::cat({y1 - f_->forward(x2), x2}, 1);
}

std::string CouplingBlockImpl::export_inverse(OnnxWriter& w, const std::string& p, const std::string& input, bool high_is_zero) const {
  std::string y1 = input, x2;
  if (!high_is_zero) {
    w.add_int_initializer(p + ".parts", {2}, {3, channels_ - 3});
    w.add_node("Split", p + ".split", {input, p + ".parts"}, {p + ".y1", p + ".y2"}, {OnnxAttribute::integer("axis", 1)});
    y1 = p + ".y1";
  }
  w.add_initializer(p + ".half", {1}, {0.5f});
  const std::string s = export_node(w, "Add", p + ".scale", {p + ".half", export_node(w, "Sigmoid", p + ".sigmoid", {h_->export_onnx(w, p + ".h", y1)})});
  if (high_is_zero) {  // x2 = -G(y1) / s: the minus folded into G's last convolution
    x2 = export_node(w, "Div", p + ".x2", {g_->export_onnx(w, p + ".g", y1, -1.0f), s});
  } else {
    x2 = export_node(w, "Div", p + ".x2", {export_node(w, "Sub", p + ".shift", {p + ".y2", g_->export_onnx(w, p + ".g", y1)}), s});
  }
  const std::string x1 = export_node(w, "Sub", p + ".x1", {y1, f_->export_onnx(w, p + ".f", x2)});
  return export_concat(w, p + ".cat", {x1, x2});
}

IrnImpl::IrnImpl(const IrnConfig& c) : config_(c) {
  if (c.scale != 2 && c.scale != 4) throw Error("architecture 'irn' takes scale 2 or 4 (one Haar stage per x2), not " + std::to_string(c.scale));
  stages_ = c.scale == 4 ? 2 : 1;
  for (int s = 0; s < stages_; ++s)
    for (int b = 0; b < c.blocks; ++b)
      blocks_.push_back(register_module("stage" + std::to_string(s) + "_block" + std::to_string(b), CouplingBlock(3 << (2 * (s + 1)), c.width)));
}

torch::Tensor IrnImpl::downscale(const torch::Tensor& hr) {
  torch::Tensor x = hr;
  for (int s = 0; s < stages_; ++s) {
    x = haar_forward(x);
    for (int b = 0; b < config_.blocks; ++b) x = blocks_[s * config_.blocks + b]->forward(x);
  }
  return x;
}

torch::Tensor IrnImpl::upscale(const torch::Tensor& lr_and_z) {
  torch::Tensor x = lr_and_z;
  for (int s = stages_ - 1; s >= 0; --s) {
    for (int b = config_.blocks - 1; b >= 0; --b) x = blocks_[s * config_.blocks + b]->inverse(x);
    x = haar_inverse(x);
  }
  return x;
}

torch::Tensor IrnImpl::forward(torch::Tensor lr) {
  if (is_training()) last_lr_ = lr;
  const int64_t z_channels = 3 * config_.scale * config_.scale - 3;
  return upscale(torch::cat({lr, torch::zeros({lr.size(0), z_channels, lr.size(2), lr.size(3)}, lr.options())}, 1));
}

torch::Tensor IrnImpl::upscale_stored(const torch::Tensor& down) {
  const torch::Tensor z = down.slice(1, 3, down.size(1));
  return upscale(torch::cat({quantise(down.slice(1, 0, 3)), torch::zeros_like(z)}, 1));
}

torch::Tensor IrnImpl::auxiliary_loss(const torch::Tensor& hr) {
  if (!last_lr_.defined()) return {};
  const torch::Tensor down = downscale(hr);
  const torch::Tensor lr = down.slice(1, 0, 3), z = down.slice(1, 3, down.size(1));
  return 4.0 * (lr - last_lr_).pow(2).mean() + (upscale_stored(down) - hr).abs().mean() + 0.5 * z.pow(2).mean();
}

torch::Tensor IrnImpl::round_trip(const torch::Tensor& hr) { return upscale_stored(downscale(hr)); }

int IrnImpl::receptive_field() const {
  // Each inverse block reaches 4 pixels at its stage's resolution (H and G, then F, each two 3x3
  // convolutions); stage s runs at 2^(stages - 1 - s) times the LR resolution. The Haar steps stay
  // inside their 2x2 blocks.
  int r = 0;
  for (int s = 0; s < stages_; ++s) r += lr_radius(4 * config_.blocks, 1 << (stages_ - 1 - s));
  return r;
}

void IrnImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w("irn_x" + std::to_string(config_.scale));
  w.add_input("lr", {"1", "3", "height", "width"});
  std::string x = "lr";
  bool high_is_zero = true;
  for (int s = stages_ - 1; s >= 0; --s) {
    for (int b = config_.blocks - 1; b >= 0; --b) {
      const int i = s * config_.blocks + b;
      x = blocks_[i]->export_inverse(w, "block" + std::to_string(i), x, high_is_zero);
      high_is_zero = false;
    }
    // Inverse Haar: a 1x1 convolution to each colour's four pixels in DepthToSpace's CRD order, then the shuffle.
    const int64_t c = 3 << (2 * s);  // channels after this inverse step
    std::vector<float> mix(static_cast<size_t>(16 * c * c), 0.0f);
    const float sign[4][4] = {{1, 1, 1, 1}, {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};  // pixel x part
    for (int64_t ch = 0; ch < c; ++ch)
      for (int pixel = 0; pixel < 4; ++pixel)
        for (int part = 0; part < 4; ++part) mix[static_cast<size_t>((ch * 4 + pixel) * 4 * c + part * c + ch)] = sign[pixel][part];
    const std::string n = "haar_inverse" + std::to_string(s);
    w.add_initializer(n + ".weight", {4 * c, 4 * c, 1, 1}, mix);
    w.add_initializer(n + ".bias", {4 * c}, std::vector<float>(static_cast<size_t>(4 * c), 0.0f));
    const std::string pixels = export_node(w, "Conv", n + ".mix", {x, n + ".weight", n + ".bias"}, {OnnxAttribute::integers("kernel_shape", {1, 1})});
    x = export_node(w, "DepthToSpace", n + ".shuffle", {pixels}, {OnnxAttribute::integer("blocksize", 2), OnnxAttribute::string("mode", "CRD")});
  }
  w.add_output(x, {"1", "3", "out_height", "out_width"});
  w.set_metadata(standard_metadata(*this, extra_metadata));
  w.save(path);
}

}  // namespace vsr::train

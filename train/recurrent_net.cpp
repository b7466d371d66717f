#include "recurrent_net.h"

#include "models/onnx_writer.h"
#include "vsr/error.h"

namespace vsr::train {

RecurrentSrConfig RecurrentSrConfig::from_features(int scale, const std::vector<int>& f) {
  RecurrentSrConfig c;
  c.scale = scale;
  if (f.size() > 3) throw Error("recurrent features are [width, convs, hidden], got " + std::to_string(f.size()) + " values");
  if (f.size() > 0) c.width = f[0];
  if (f.size() > 1) c.convs = f[1];
  if (f.size() > 2) c.hidden = f[2];
  if (c.width < 4 || c.width > 256) throw Error("recurrent width must be 4 to 256");
  if (c.convs < 0 || c.convs > 64) throw Error("recurrent convs must be 0 to 64");
  if (c.hidden < 1 || c.hidden > 256) throw Error("recurrent hidden channels must be 1 to 256");
  if (scale < 2 || scale > 4) throw Error("recurrent scale must be 2 to 4");
  return c;
}

RecurrentSrImpl::RecurrentSrImpl(const RecurrentSrConfig& c) : config_(c) {
  auto conv = [](int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)); };
  auto prelu = [](int channels) { return torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(channels).init(0.25)); };
  for (int i = 0; i <= c.convs; ++i) {
    convs_.push_back(register_module("conv" + std::to_string(i), conv(i == 0 ? 6 + c.hidden : c.width, c.width)));
    prelus_.push_back(register_module("prelu" + std::to_string(i), prelu(c.width)));
  }
  to_hidden_ = register_module("to_hidden", conv(c.width, c.hidden));
  hidden_act_ = register_module("hidden_act", prelu(c.hidden));
  to_image_ = register_module("to_image", conv(c.width, 3 * c.scale * c.scale));
  torch::NoGradGuard no_grad;  // start close to nearest-neighbour upsampling, as SRVGGNetCompact does
  to_image_->weight.mul_(0.1);
  to_image_->bias.zero_();
}

std::pair<torch::Tensor, torch::Tensor> RecurrentSrImpl::step(const torch::Tensor& lr, const torch::Tensor& state) {
  namespace F = torch::nn::functional;
  const auto hidden = state.slice(1, 0, config_.hidden), previous = state.slice(1, config_.hidden);
  torch::Tensor h = torch::cat({previous, lr, hidden}, 1);
  for (size_t i = 0; i < convs_.size(); ++i) h = prelus_[i]->forward(convs_[i]->forward(h));
  const auto next_hidden = hidden_act_->forward(to_hidden_->forward(h));
  const double s = config_.scale;
  const auto sr = F::pixel_shuffle(to_image_->forward(h), F::PixelShuffleFuncOptions(config_.scale)) +
                  F::interpolate(lr, F::InterpolateFuncOptions().scale_factor(std::vector<double>{s, s}).mode(torch::kNearest));
  return {sr, torch::cat({next_hidden, lr}, 1)};
}

torch::Tensor RecurrentSrImpl::forward_sequence(const torch::Tensor& lr) {
  const int64_t n = lr.size(0), frames = lr.size(1), h = lr.size(3), w = lr.size(4);
  torch::Tensor state = torch::zeros({n, state_channels(), h, w}, lr.options());
  std::vector<torch::Tensor> out;
  for (int64_t t = 0; t < frames; ++t) {
    auto [sr, next] = step(lr.select(1, t), state);
    out.push_back(sr);
    state = next;
  }
  return torch::stack(out, 1);
}

torch::Tensor RecurrentSrImpl::forward(torch::Tensor lr) { return forward_sequence(lr.unsqueeze(1)).squeeze(1); }

int64_t RecurrentSrImpl::macs_per_lr_pixel() const {
  const int64_t w = config_.width, k = 9;
  return k * (6 + config_.hidden) * w + k * config_.convs * w * w + k * w * config_.hidden +
         k * w * 3 * config_.scale * config_.scale;
}

void RecurrentSrImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  const int s = config_.scale;
  OnnxWriter w("recurrent_x" + std::to_string(s));
  w.add_input("lr", {"1", "3", "height", "width"});
  w.add_input("state", {"1", std::to_string(state_channels()), "height", "width"});
  w.add_int_initializer("state_parts", {2}, {config_.hidden, 3});
  w.add_node("Split", "state_split", {"state", "state_parts"}, {"hidden", "previous"}, {OnnxAttribute::integer("axis", 1)});
  std::string x = export_concat(w, "inputs", {"previous", "lr", "hidden"});
  for (size_t i = 0; i < convs_.size(); ++i)
    x = export_prelu(w, "prelu" + std::to_string(i), export_conv(w, "conv" + std::to_string(i), x, convs_[i]), prelus_[i]);
  const std::string next_hidden = export_prelu(w, "hidden_act", export_conv(w, "to_hidden", x, to_hidden_), hidden_act_);
  w.add_node("Concat", "next_state_concat", {next_hidden, "lr"}, {"next_state"}, {OnnxAttribute::integer("axis", 1)});
  export_shuffle_plus_nearest(w, export_conv(w, "to_image", x, to_image_), "lr", s, "hr");
  w.add_output("hr", {"1", "3", "out_height", "out_width"});
  w.add_output("next_state", {"1", std::to_string(state_channels()), "height", "width"});
  auto meta = standard_metadata(*this, {{"vsr.temporal", "recurrent"}, {"vsr.state_scale", "1"},
                                        {"vsr.state_input", "state"}, {"vsr.state_output", "next_state"}});
  for (const auto& [k, v] : extra_metadata) meta[k] = v;
  w.set_metadata(meta);
  w.save(path);
}

}  // namespace vsr::train

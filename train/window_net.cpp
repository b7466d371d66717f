#include "window_net.h"

#include "models/onnx_writer.h"
#include "vsr/error.h"
#include "warp.h"

namespace vsr::train {
namespace {

namespace F = torch::nn::functional;

torch::nn::Conv2d conv3x3(int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)); }

torch::nn::PReLU prelu(int channels) { return torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(channels).init(0.25)); }

}  // namespace

WindowSrConfig WindowSrConfig::from_features(int scale, const std::vector<int>& f) {
  WindowSrConfig c;
  c.scale = scale;
  if (f.size() > 3) throw Error("window features are [width, convs, flow_width], got " + std::to_string(f.size()) + " values");
  if (f.size() > 0) c.width = f[0];
  if (f.size() > 1) c.convs = f[1];
  if (f.size() > 2) c.flow_width = f[2];
  if (c.width < 4 || c.width > 256) throw Error("window width must be 4 to 256");
  if (c.convs < 0 || c.convs > 64) throw Error("window convs must be 0 to 64");
  if (c.flow_width < 4 || c.flow_width > 128) throw Error("window flow_width must be 4 to 128");
  if (scale < 2 || scale > 4) throw Error("window scale must be 2 to 4");
  return c;
}

WindowSrImpl::WindowSrImpl(const WindowSrConfig& c) : config_(c) {
  const int flow_in[] = {6, c.flow_width, c.flow_width, c.flow_width};
  for (int i = 0; i < 4; ++i) {
    flow_convs_.push_back(register_module("flow" + std::to_string(i), conv3x3(flow_in[i], i == 3 ? 2 : c.flow_width)));
    if (i < 3) flow_acts_.push_back(register_module("flow_act" + std::to_string(i), prelu(c.flow_width)));
  }
  for (int i = 0; i <= c.convs; ++i) {
    convs_.push_back(register_module("conv" + std::to_string(i), conv3x3(i == 0 ? 9 : c.width, c.width)));
    acts_.push_back(register_module("act" + std::to_string(i), prelu(c.width)));
  }
  to_image_ = register_module("to_image", conv3x3(c.width, 3 * c.scale * c.scale));
  torch::NoGradGuard no_grad;
  flow_convs_.back()->weight.zero_();  // no motion at first: the warps start as the identity
  flow_convs_.back()->bias.zero_();
  to_image_->weight.mul_(0.1);  // start close to nearest-neighbour upsampling, as SRVGGNetCompact does
  to_image_->bias.zero_();
}

torch::Tensor WindowSrImpl::flow(const torch::Tensor& neighbour, const torch::Tensor& centre) {
  torch::Tensor f = torch::cat({neighbour, centre}, 1);
  for (size_t i = 0; i < flow_convs_.size(); ++i) {
    f = flow_convs_[i]->forward(f);
    if (i < flow_acts_.size()) f = flow_acts_[i]->forward(f);
  }
  return f;
}

torch::Tensor WindowSrImpl::forward(torch::Tensor windows) {
  if (windows.dim() != 4 || windows.size(1) != 9)
    throw Error("the window model takes N x 9 x h x w (previous, centre, next frames), got " + c10::str(windows.sizes()));
  const auto previous = windows.slice(1, 0, 3), centre = windows.slice(1, 3, 6), next = windows.slice(1, 6, 9);
  const auto warped_previous = backward_warp(previous, flow(previous, centre));
  const auto warped_next = backward_warp(next, flow(next, centre));
  torch::Tensor h = torch::cat({warped_previous, centre, warped_next}, 1);
  for (size_t i = 0; i < convs_.size(); ++i) h = acts_[i]->forward(convs_[i]->forward(h));
  const double s = config_.scale;
  return F::pixel_shuffle(to_image_->forward(h), F::PixelShuffleFuncOptions(config_.scale)) +
         F::interpolate(centre, F::InterpolateFuncOptions().scale_factor(std::vector<double>{s, s}).mode(torch::kNearest));
}

torch::Tensor WindowSrImpl::forward_sequence(const torch::Tensor& lr) {
  const int64_t n = lr.size(0), frames = lr.size(1);
  std::vector<torch::Tensor> windows;
  for (int64_t t = 0; t < frames; ++t)
    windows.push_back(torch::cat({lr.select(1, std::max<int64_t>(t - 1, 0)), lr.select(1, t),
                                  lr.select(1, std::min<int64_t>(t + 1, frames - 1))}, 1));
  const auto sr = forward(torch::stack(windows, 1).flatten(0, 1));  // (N T) x 9 x h x w, one batch
  return sr.view({n, frames, sr.size(1), sr.size(2), sr.size(3)});
}

int64_t WindowSrImpl::macs_per_lr_pixel() const {
  const int64_t k = 9, fw = config_.flow_width, w = config_.width;
  const int64_t flow = k * (6 * fw + 2 * fw * fw + fw * 2);
  return 2 * flow + k * 9 * w + k * config_.convs * w * w + k * w * 3 * config_.scale * config_.scale;
}

void WindowSrImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  const int s = config_.scale;
  OnnxWriter w("window_x" + std::to_string(s));
  w.set_opset(16);  // GridSample
  w.add_input("lr", {"1", "9", "height", "width"});
  w.add_int_initializer("frame_parts", {3}, {3, 3, 3});
  w.add_node("Split", "frames_split", {"lr", "frame_parts"}, {"previous", "centre", "next"}, {OnnxAttribute::integer("axis", 1)});
  // The flow network twice over one set of weights (the previous frame's copy writes them).
  auto export_flow = [&](const std::string& tag, const std::string& neighbour, bool first) {
    std::string f = export_concat(w, tag + ".in", {neighbour, "centre"});
    for (size_t i = 0; i < flow_convs_.size(); ++i) {
      const std::string name = "flow" + std::to_string(i);
      f = first ? export_conv(w, name, f, flow_convs_[i]) : export_conv_reusing(w, tag + "." + name, name, f, flow_convs_[i]);
      if (i < flow_acts_.size()) f = export_prelu(w, tag + ".flow_act" + std::to_string(i), f, flow_acts_[i]);
    }
    return f;
  };
  const GridParts grid = export_grid_parts(w, "centre");
  const std::string warped_previous = export_warp(w, "warp_previous", "previous", export_flow("previous", "previous", true), grid);
  const std::string warped_next = export_warp(w, "warp_next", "next", export_flow("next", "next", false), grid);
  std::string x = export_concat(w, "aligned", {warped_previous, "centre", warped_next});
  for (size_t i = 0; i < convs_.size(); ++i)
    x = export_prelu(w, "act" + std::to_string(i), export_conv(w, "conv" + std::to_string(i), x, convs_[i]), acts_[i]);
  export_shuffle_plus_nearest(w, export_conv(w, "to_image", x, to_image_), "centre", s, "hr");
  w.add_output("hr", {"1", "3", "out_height", "out_width"});
  auto meta = standard_metadata(*this, {{"vsr.temporal", "window:3"}});
  for (const auto& [k, v] : extra_metadata) meta[k] = v;
  w.set_metadata(meta);
  w.save(path);
}

}  // namespace vsr::train

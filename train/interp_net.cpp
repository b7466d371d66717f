#include "interp_net.h"

#include "models/onnx_writer.h"
#include "sr_model.h"
#include "warp.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {

namespace F = torch::nn::functional;

torch::nn::Conv2d conv3x3(int in, int out, int stride = 1) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}

torch::nn::PReLU prelu(int channels) {
  return torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(channels).init(0.25));
}

// x + convs (PReLU between them): both stages' bodies (x itself when there are no convolutions).
torch::Tensor residual_body(std::vector<torch::nn::Conv2d>& convs, std::vector<torch::nn::PReLU>& acts,
                            const torch::Tensor& x) {
  if (convs.empty()) return x;
  torch::Tensor r = x;
  for (size_t i = 0; i < convs.size(); ++i) {
    r = convs[i](r);
    if (i < acts.size()) r = acts[i](r);
  }
  return x + r;
}

// The graph twin of residual_body: nodes <prefix>body<i>, <prefix>body_act<i>, <prefix>body_skip.
std::string export_residual_body(OnnxWriter& w, const std::string& prefix, const std::vector<torch::nn::Conv2d>& convs,
                                 const std::vector<torch::nn::PReLU>& acts, const std::string& x) {
  if (convs.empty()) return x;
  std::string r = x;
  for (size_t i = 0; i < convs.size(); ++i) {
    r = export_conv(w, prefix + "body" + std::to_string(i), r, convs[i]);
    if (i < acts.size()) r = export_prelu(w, prefix + "body_act" + std::to_string(i), r, acts[i]);
  }
  return export_node(w, "Add", prefix + "body_skip", {x, r});
}

// A head of 5 channels (two flows, a mask logit) predicted at 1/scale resolution, upsampled x scale
// (bilinear) with its flows in full-resolution pixels (times scale).
torch::Tensor flow_head(torch::nn::Conv2d& head, const torch::Tensor& x, double scale) {
  const auto o = F::interpolate(head(x), F::InterpolateFuncOptions()
                                             .scale_factor(std::vector<double>{scale, scale})
                                             .mode(torch::kBilinear)
                                             .align_corners(false));
  return o * torch::tensor({scale, scale, scale, scale, 1.0}, o.options()).view({1, 5, 1, 1});
}

// The graph twin of flow_head. A head of 5 channels predicted at 1/scale resolution, written with its
// flow channels multiplied by `scale` (pixels there -> full-resolution pixels; Resize is linear, so
// scaling before it is exact) and upsampled x scale: nodes <prefix>head, <prefix>upscale_head.
std::string export_flow_head(OnnxWriter& w, const std::string& prefix, const torch::nn::Conv2d& head, const std::string& x,
                             double scale) {
  const auto channel_scale = torch::tensor({scale, scale, scale, scale, 1.0}, head->weight.options());
  w.add_initializer(prefix + "head.weight", dims_of(head->weight), to_floats(head->weight * channel_scale.view({5, 1, 1, 1})));
  w.add_initializer(prefix + "head.bias", dims_of(head->bias), to_floats(head->bias * channel_scale));
  const std::string out = export_conv_reusing(w, prefix + "head", prefix + "head", x, head);
  w.add_initializer(prefix + "upscale", {4}, {1.0f, 1.0f, float(scale), float(scale)});
  return export_node(w, "Resize", prefix + "upscale_head", {out, "", prefix + "upscale"},
                     {OnnxAttribute::string("mode", "linear"), OnnxAttribute::string("coordinate_transformation_mode", "half_pixel")});
}

}  // namespace

InterpNetConfig InterpNetConfig::from_features(const std::vector<int>& f) {
  InterpNetConfig c;
  if (f.empty()) return c;
  if (f.size() < 5 || f.size() > 9)
    throw Error("interpolation network features are [width1, width2, width3, body convolutions, refine width"
                " (, half width (, refine layers (, stage-2 width (, stage-2 body convolutions))))], got " +
                std::to_string(f.size()) + " values");
  for (int v : f)
    if (v < 0 || v > 512) throw Error("interpolation network feature " + std::to_string(v) + " is not 0 to 512");
  c.width1 = f[0], c.width2 = f[1], c.width3 = f[2], c.body = f[3], c.refine_width = f[4];
  if (f.size() > 5) c.half_width = f[5];
  if (f.size() > 6) c.refine_layers = f[6];
  if (f.size() > 7) c.stage2_width = f[7];
  if (f.size() > 8) c.stage2_body = f[8];
  if (c.width1 < 1 || c.width2 < 1 || c.refine_width < 1 || c.width3 < 4 || c.width3 % 4 != 0)
    throw Error("interpolation network: widths must be positive and width3 a multiple of 4 (pixel shuffle)");
  if (c.half_width > 0 && c.width2 % 4 != 0)
    throw Error("interpolation network: with a half-resolution decoder width2 must be a multiple of 4 (pixel shuffle)");
  if (c.refine_layers < 1 || c.refine_layers > 8) throw Error("interpolation network: refine layers must be 1 to 8");
  if (c.stage2_width > 0 && c.stage2_width % 2 != 0)
    throw Error("interpolation network: the stage-2 width must be even (its 1/4 features, twice as many, are pixel-shuffled)");
  if (c.stage2_body > 8) throw Error("interpolation network: stage-2 body convolutions must be 0 to 8");
  return c;
}

InterpNetImpl::InterpNetImpl(const InterpNetConfig& c) : config_(c) {
  down1_ = register_module("down1", conv3x3(7, c.width1, 2));
  act1_ = register_module("act1", prelu(c.width1));
  down2_ = register_module("down2", conv3x3(c.width1, c.width2, 2));
  act2_ = register_module("act2", prelu(c.width2));
  down3_ = register_module("down3", conv3x3(c.width2, c.width3, 2));
  act3_ = register_module("act3", prelu(c.width3));
  for (int i = 0; i < c.body; ++i) {
    body_.push_back(register_module("body" + std::to_string(i), conv3x3(c.width3, c.width3)));
    if (i + 1 < c.body) body_acts_.push_back(register_module("body_act" + std::to_string(i), prelu(c.width3)));
  }
  fuse_ = register_module("fuse", conv3x3(c.width3 / 4 + c.width2, c.width2));
  fuse_act_ = register_module("fuse_act", prelu(c.width2));
  if (c.half_width > 0) {
    half1_ = register_module("half1", conv3x3(c.width2 / 4 + c.width1, c.half_width));
    half_act1_ = register_module("half_act1", prelu(c.half_width));
    half2_ = register_module("half2", conv3x3(c.half_width, c.half_width));
    half_act2_ = register_module("half_act2", prelu(c.half_width));
  }
  head_ = register_module("head", conv3x3(c.half_width > 0 ? c.half_width : c.width2, 5));
  refine1_ = register_module("refine1", conv3x3(9, c.refine_width));
  refine_act_ = register_module("refine_act", prelu(c.refine_width));
  for (int i = 1; i < c.refine_layers; ++i) {
    refine_hidden_.push_back(register_module("refine_hidden" + std::to_string(i), conv3x3(c.refine_width, c.refine_width)));
    refine_hidden_acts_.push_back(register_module("refine_hidden_act" + std::to_string(i), prelu(c.refine_width)));
  }
  refine2_ = register_module("refine2", conv3x3(c.refine_width, 3));
  if (c.stage2_width > 0) {
    const int half = c.stage2_width, quarter = 2 * c.stage2_width;
    // frames (6), first-stage warps (6), flows (4), mask logit, t
    s2_down1_ = register_module("s2_down1", conv3x3(18, half, 2));
    s2_act1_ = register_module("s2_act1", prelu(half));
    s2_down2_ = register_module("s2_down2", conv3x3(half, quarter, 2));
    s2_act2_ = register_module("s2_act2", prelu(quarter));
    for (int i = 0; i < c.stage2_body; ++i) {
      s2_body_.push_back(register_module("s2_body" + std::to_string(i), conv3x3(quarter, quarter)));
      if (i + 1 < c.stage2_body) s2_body_acts_.push_back(register_module("s2_body_act" + std::to_string(i), prelu(quarter)));
    }
    s2_fuse_ = register_module("s2_fuse", conv3x3(quarter / 4 + half, half));
    s2_fuse_act_ = register_module("s2_fuse_act", prelu(half));
    s2_head_ = register_module("s2_head", conv3x3(half, 5));
  }
  // Start as the plain blend: no flow, mask 0.5, no correction; the residual body starts near identity.
  torch::NoGradGuard no_grad;
  head_->weight.mul_(0.1);
  head_->bias.zero_();
  refine2_->weight.mul_(0.1);
  refine2_->bias.zero_();
  if (!body_.empty()) {
    body_.back()->weight.mul_(0.1);
    body_.back()->bias.zero_();
  }
  if (s2_head_) {  // no correction at first: the network is exactly its first stage
    s2_head_->weight.zero_();
    s2_head_->bias.zero_();
  }
  if (!s2_body_.empty()) {
    s2_body_.back()->weight.mul_(0.1);
    s2_body_.back()->bias.zero_();
  }
}

torch::Tensor InterpNetImpl::stage2_correction(const torch::Tensor& x, const torch::Tensor& w0, const torch::Tensor& w1,
                                               const torch::Tensor& flows, const torch::Tensor& mask_logit) {
  const auto frames = x.slice(1, 0, 6), t = x.slice(1, 6, 7);
  const auto e1 = s2_act1_(s2_down1_(torch::cat({frames, w0, w1, flows / kStage2FlowDivisor, mask_logit, t}, 1)));
  const auto e2 = s2_act2_(s2_down2_(e1));
  const torch::Tensor h = residual_body(s2_body_, s2_body_acts_, e2);
  const auto d = s2_fuse_act_(s2_fuse_(torch::cat({F::pixel_shuffle(h, F::PixelShuffleFuncOptions(2)), e1}, 1)));
  return flow_head(s2_head_, d, 2.0);  // half-resolution pixels
}


InterpOutput InterpNetImpl::run(const torch::Tensor& x) {
  if (x.dim() != 4 || x.size(1) != 7 || x.size(2) % kSizeMultiple != 0 || x.size(3) % kSizeMultiple != 0)
    throw Error("interpolation network input must be N x 7 x H x W with H and W multiples of 8");
  const auto f0 = x.slice(1, 0, 3), f1 = x.slice(1, 3, 6);
  const auto e1 = act1_(down1_(x));
  const auto e2 = act2_(down2_(e1));
  const auto e3 = act3_(down3_(e2));
  const torch::Tensor h = residual_body(body_, body_acts_, e3);
  torch::Tensor d = fuse_act_(fuse_(torch::cat({F::pixel_shuffle(h, F::PixelShuffleFuncOptions(2)), e2}, 1)));
  if (config_.half_width > 0)
    d = half_act2_(half2_(half_act1_(half1_(torch::cat({F::pixel_shuffle(d, F::PixelShuffleFuncOptions(2)), e1}, 1)))));
  const auto o = flow_head(head_, d, flow_scale());
  InterpOutput out;
  out.flow0 = o.slice(1, 0, 2);
  out.flow1 = o.slice(1, 2, 4);
  torch::Tensor mask_logit = o.slice(1, 4, 5);
  torch::Tensor w0 = backward_warp(f0, out.flow0), w1 = backward_warp(f1, out.flow1);
  if (s2_head_) {
    const auto c = stage2_correction(x, w0, w1, torch::cat({out.flow0, out.flow1}, 1), mask_logit);
    out.flow0 = out.flow0 + c.slice(1, 0, 2);
    out.flow1 = out.flow1 + c.slice(1, 2, 4);
    mask_logit = mask_logit + c.slice(1, 4, 5);
    w0 = backward_warp(f0, out.flow0);
    w1 = backward_warp(f1, out.flow1);
  }
  const auto mask = torch::sigmoid(mask_logit);
  const auto blend = w1 + mask * (w0 - w1);
  torch::Tensor r = refine_act_(refine1_(torch::cat({w0, w1, blend}, 1)));
  for (size_t i = 0; i < refine_hidden_.size(); ++i) r = refine_hidden_acts_[i](refine_hidden_[i](r));
  const auto correction = refine2_(r);
  out.frame = torch::clamp(blend + correction, 0.0, 1.0);
  return out;
}

void InterpNetImpl::export_stage2(OnnxWriter& w, const std::string& w0, const std::string& w1, std::string& flow0,
                                  std::string& flow1, std::string& mask_logit) {
  // The flows' division is folded into the first convolution's weights for their input channels.
  auto input_scale = torch::ones({18}, s2_down1_->weight.options());
  input_scale.slice(0, 12, 16).fill_(1.0 / kStage2FlowDivisor);
  w.add_initializer("s2_down1.weight", dims_of(s2_down1_->weight), to_floats(s2_down1_->weight * input_scale.view({1, 18, 1, 1})));
  w.add_initializer("s2_down1.bias", dims_of(s2_down1_->bias), to_floats(s2_down1_->bias));
  const std::string in = export_concat(w, "s2_in", {"frame0", "frame1", w0, w1, flow0, flow1, mask_logit, "t_plane"});
  const std::string e1 = export_prelu(w, "s2_act1", export_conv_reusing(w, "s2_down1", "s2_down1", in, s2_down1_), s2_act1_);
  const std::string e2 = export_prelu(w, "s2_act2", export_conv(w, "s2_down2", e1, s2_down2_), s2_act2_);
  const std::string h = export_residual_body(w, "s2_", s2_body_, s2_body_acts_, e2);
  const std::string shuffled = export_node(w, "DepthToSpace", "s2_shuffle", {h},
                                           {OnnxAttribute::integer("blocksize", 2), OnnxAttribute::string("mode", "CRD")});
  const std::string d =
      export_prelu(w, "s2_fuse_act", export_conv(w, "s2_fuse", export_concat(w, "s2_skip", {shuffled, e1}), s2_fuse_), s2_fuse_act_);
  const std::string up = export_flow_head(w, "s2_", s2_head_, d, 2.0);  // half-resolution pixels
  w.add_node("Split", "s2_head_split", {up, "head_parts"}, {"s2_dflow0", "s2_dflow1", "s2_dmask"},
             {OnnxAttribute::integer("axis", 1)});
  flow0 = export_node(w, "Add", "s2_flow0", {flow0, "s2_dflow0"});
  flow1 = export_node(w, "Add", "s2_flow1", {flow1, "s2_dflow1"});
  mask_logit = export_node(w, "Add", "s2_mask_logit", {mask_logit, "s2_dmask"});
}

void InterpNetImpl::export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) {
  OnnxWriter w(arch());
  w.set_opset(16);  // GridSample
  w.add_input("frames", {"1", "7", "height", "width"});
  w.add_int_initializer("input_parts", {3}, {3, 3, 1});
  w.add_node("Split", "inputs", {"frames", "input_parts"}, {"frame0", "frame1", "t_plane"},
             {OnnxAttribute::integer("axis", 1)});
  const std::string e1 = export_prelu(w, "act1", export_conv(w, "down1", "frames", down1_), act1_);
  const std::string e2 = export_prelu(w, "act2", export_conv(w, "down2", e1, down2_), act2_);
  const std::string e3 = export_prelu(w, "act3", export_conv(w, "down3", e2, down3_), act3_);
  const std::string h = export_residual_body(w, "", body_, body_acts_, e3);
  const std::string shuffled = export_node(w, "DepthToSpace", "shuffle", {h},
                                           {OnnxAttribute::integer("blocksize", 2), OnnxAttribute::string("mode", "CRD")});
  std::string d = export_prelu(w, "fuse_act", export_conv(w, "fuse", export_concat(w, "skip", {shuffled, e2}), fuse_), fuse_act_);
  if (config_.half_width > 0) {
    const std::string half_in = export_concat(
        w, "half_skip",
        {export_node(w, "DepthToSpace", "half_shuffle", {d},
                     {OnnxAttribute::integer("blocksize", 2), OnnxAttribute::string("mode", "CRD")}),
         e1});
    d = export_prelu(w, "half_act2",
                     export_conv(w, "half2", export_prelu(w, "half_act1", export_conv(w, "half1", half_in, half1_), half_act1_), half2_),
                     half_act2_);
  }
  const std::string up = export_flow_head(w, "", head_, d, flow_scale());
  w.add_int_initializer("head_parts", {3}, {2, 2, 1});
  w.add_node("Split", "head_split", {up, "head_parts"}, {"flow0", "flow1", "mask_logit"}, {OnnxAttribute::integer("axis", 1)});
  const GridParts grid = export_grid_parts(w, "frames");
  std::string w0 = export_warp(w, "warp0", "frame0", "flow0", grid);
  std::string w1 = export_warp(w, "warp1", "frame1", "flow1", grid);
  std::string flow0 = "flow0", flow1 = "flow1", mask_logit = "mask_logit";
  if (s2_head_) {
    export_stage2(w, w0, w1, flow0, flow1, mask_logit);
    w0 = export_warp(w, "s2_warp0", "frame0", flow0, grid);
    w1 = export_warp(w, "s2_warp1", "frame1", flow1, grid);
  }
  const std::string mask = export_node(w, "Sigmoid", "mask", {mask_logit});
  const std::string blend = export_node(
      w, "Add", "blend", {w1, export_node(w, "Mul", "masked", {mask, export_node(w, "Sub", "difference", {w0, w1})})});
  std::string hidden =
      export_prelu(w, "refine_act", export_conv(w, "refine1", export_concat(w, "refine_in", {w0, w1, blend}), refine1_), refine_act_);
  for (size_t i = 0; i < refine_hidden_.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    hidden = export_prelu(w, "refine_hidden_act" + n, export_conv(w, "refine_hidden" + n, hidden, refine_hidden_[i]),
                          refine_hidden_acts_[i]);
  }
  const std::string r = export_conv(w, "refine2", hidden, refine2_);
  w.add_initializer("clip_low", {}, {0.0f});
  w.add_initializer("clip_high", {}, {1.0f});
  w.add_node("Clip", "clip", {export_node(w, "Add", "corrected", {blend, r}), "clip_low", "clip_high"}, {"frame"});
  w.add_output("frame", {"1", "3", "height", "width"});
  std::map<std::string, std::string> meta = {
      {"vsr.temporal", "interpolate"},
      {"vsr.size_multiple", std::to_string(kSizeMultiple)},
      {"vsr.arch", arch()},
      {"vsr.scale", "1"},
      {"vsr.colour", "rgb"},
      {"vsr.range", "0-1"},
      {"vsr.trained_on", ""},
  };
  for (const auto& [k, v] : extra_metadata) meta[k] = v;
  w.set_metadata(meta);
  w.save(path);
}

}  // namespace vsr::train

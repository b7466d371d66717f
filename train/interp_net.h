// A compact flow-based frame-interpolation network (RIFE/IFNet-lite): from frame 0, frame 1 and a
// plane holding t it predicts the intermediate flows F_t->0, F_t->1 and a blend mask at 1/4
// resolution, upsamples them bilinearly, backward-warps both frames, blends them and adds a small
// learned correction. Its ONNX export meets include/vsr/interpolator.h (vsr.temporal=interpolate).
//
//   x (N x 7 x H x W) -> conv s2 (1/2) -> conv s2 (1/4, e2) -> conv s2 (1/8) -> residual body (1/8)
//     -> pixel shuffle to 1/4, concat e2 -> conv -> head: flow0 (2), flow1 (2), mask logit (1)
//     -> bilinear x4 -> warp frame 0 by flow0, frame 1 by flow1 (grid_sample, border, align_corners
//     false) -> blend with sigmoid(mask) -> + refine([warp0, warp1, blend]) -> clip to [0,1]
// With half_width > 0 the decoder goes one level further before the head: pixel shuffle to 1/2,
// concat the 1/2 encoder features, two convolutions; the head then works at 1/2 and is upsampled x2,
// so motion boundaries are placed twice as finely. refine_layers > 1 deepens the refinement.
// With stage2_width > 0 a second, finer flow stage follows (RIFE's coarse-to-fine IFBlocks): from the
// frames, the first stage's warps, flows (/ 8) and mask logit and t it predicts at 1/2 resolution a
// correction of both flows and of the mask logit (conv s2 -> conv s2 -> residual body at 1/4 -> pixel
// shuffle to 1/2, concat its 1/2 features -> conv -> head), upsampled x2 and added; the frames are
// warped again with the corrected flows. Its head starts at zero, so a second stage added to a trained
// single-stage network (its weights read back from the export) starts as exactly that network.
// H and W must be multiples of 8 (vsr.size_multiple); the engine pads by edge replication.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "models/onnx_writer.h"
#include "warp.h"  // backward_warp, which the interpolation tests use too

namespace vsr::train {

struct InterpNetConfig {
  int width1 = 32;        // 1/2-resolution encoder channels
  int width2 = 64;        // 1/4 (also the decoder's width)
  int width3 = 80;        // 1/8 (the body's width; a multiple of 4 for the pixel shuffle)
  int body = 5;           // 3x3 convolutions at 1/8 (one residual branch)
  int refine_width = 16;  // full-resolution refinement's hidden channels
  int half_width = 0;     // 1/2-resolution decoder channels (0: the head works at 1/4); needs width2 % 4 == 0
  int refine_layers = 1;  // hidden convolutions of the refinement
  int stage2_width = 0;   // second flow stage's 1/2-resolution channels (0: one stage); 1/4 has twice as many
  int stage2_body = 2;    // its 3x3 convolutions at 1/4 (one residual branch)
  // From a feature list [width1, width2, width3, body, refine_width (, half_width (, refine_layers
  // (, stage2_width (, stage2_body))))] (empty: the defaults).
  static InterpNetConfig from_features(const std::vector<int>& features);
};

// What one forward makes: the frame at t and the full-resolution flows (in pixels) it warped with,
// so a trainer can supervise the flows where they are known (synthetic motion).
struct InterpOutput {
  torch::Tensor frame;   // N x 3 x H x W
  torch::Tensor flow0;   // N x 2 x H x W: F_t->0 (x, y)
  torch::Tensor flow1;   // N x 2 x H x W: F_t->1
};

class InterpNetImpl : public torch::nn::Module {
 public:
  static constexpr int kSizeMultiple = 8;  // three stride-2 convolutions

  explicit InterpNetImpl(const InterpNetConfig& config = {});
  // x: N x 7 x H x W (frame 0 RGB, frame 1 RGB, t), H and W multiples of 8.
  InterpOutput run(const torch::Tensor& x);
  torch::Tensor forward(const torch::Tensor& x) { return run(x).frame; }
  // Writes the network as ONNX (opset 16: GridSample) with the interpolate contract's metadata
  // (`extra_metadata` keys override the defaults).
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata);
  const InterpNetConfig& config() const { return config_; }
  static std::string arch() { return "ifnet_lite"; }

 private:
  // The head predicts flows at 1/4 (or 1/2 with the half decoder): pixels there times this.
  double flow_scale() const { return config_.half_width > 0 ? 2.0 : 4.0; }
  // The second stage reads flows divided by this (pixels of a few tens to about unit range).
  static constexpr double kStage2FlowDivisor = 8.0;
  // The second stage's corrections at 1/2 resolution, in full-resolution pixels: flow0, flow1, mask
  // logit (N x 5 x H x W).
  torch::Tensor stage2_correction(const torch::Tensor& x, const torch::Tensor& w0, const torch::Tensor& w1,
                                  const torch::Tensor& flows, const torch::Tensor& mask_logit);
  void export_stage2(OnnxWriter& w, const std::string& w0, const std::string& w1, std::string& flow0,
                     std::string& flow1, std::string& mask_logit);

  InterpNetConfig config_;
  torch::nn::Conv2d half1_{nullptr}, half2_{nullptr};
  torch::nn::PReLU half_act1_{nullptr}, half_act2_{nullptr};
  std::vector<torch::nn::Conv2d> refine_hidden_;
  std::vector<torch::nn::PReLU> refine_hidden_acts_;
  torch::nn::Conv2d down1_{nullptr}, down2_{nullptr}, down3_{nullptr}, fuse_{nullptr}, head_{nullptr};
  torch::nn::PReLU act1_{nullptr}, act2_{nullptr}, act3_{nullptr}, fuse_act_{nullptr};
  std::vector<torch::nn::Conv2d> body_;
  std::vector<torch::nn::PReLU> body_acts_;
  torch::nn::Conv2d refine1_{nullptr}, refine2_{nullptr};
  torch::nn::PReLU refine_act_{nullptr};
  torch::nn::Conv2d s2_down1_{nullptr}, s2_down2_{nullptr}, s2_fuse_{nullptr}, s2_head_{nullptr};
  torch::nn::PReLU s2_act1_{nullptr}, s2_act2_{nullptr}, s2_fuse_act_{nullptr};
  std::vector<torch::nn::Conv2d> s2_body_;
  std::vector<torch::nn::PReLU> s2_body_acts_;
};
TORCH_MODULE(InterpNet);

}  // namespace vsr::train

// A sliding-window video SR network with flow alignment, in the manner of VESPCN (Caballero et al.
// 2017) and TOFlow, kept at SRVGGNetCompact's cost: a small flow network (plain 3x3 convolutions at
// LR resolution, shared by both neighbours) estimates the motion from the centre frame to the previous
// and to the next frame, both neighbours are backward-warped onto the centre (bilinear, border), and a
// plain PReLU convolution stack fuses [warped previous, centre, warped next] into the SR frame (pixel
// shuffle plus the nearest-upsampled centre).
//
// Its ONNX export takes the three frames stacked on the channel axis, oldest first
// (vsr.temporal=window:3): vsr::Engine::push() holds one frame back and repeats the edge frames at a
// stream's start and end, as run_window() does here in training.
#pragma once
#include "sr_model.h"

namespace vsr::train {

struct WindowSrConfig {
  int scale = 4;
  int width = 32;       // fusion convolution width
  int convs = 4;        // fusion body convolutions after the first
  int flow_width = 16;  // flow network width (4 convolutions, the last to 2 channels)
  // features = [width, convs, flow_width]; throws vsr::Error naming what does not fit.
  static WindowSrConfig from_features(int scale, const std::vector<int>& features);
};

class WindowSrImpl : public SrModelImpl {
 public:
  explicit WindowSrImpl(const WindowSrConfig& config);
  // windows N x 9 x h x w (previous, centre, next) -> N x 3 x sh x sw.
  torch::Tensor forward(torch::Tensor windows) override;
  // The motion (in LR pixels) from `centre` to `neighbour`: N x 2 x h x w, sampled where the warp reads.
  torch::Tensor flow(const torch::Tensor& neighbour, const torch::Tensor& centre);
  // A whole sequence, edge frames repeated as the engine does: lr N x T x 3 x h x w -> N x T x 3 x sh x sw.
  torch::Tensor forward_sequence(const torch::Tensor& lr);
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // The fusion stack's radius plus the flow network's and 8 LR pixels of motion: the engine's
  // tiling overlap.
  int receptive_field() const override { return config_.convs + 2 + 4 + 8; }
  std::string arch() const override { return "window"; }
  int scale() const override { return config_.scale; }
  // Multiply-accumulates per LR pixel (both flows and the fusion), for cost comparisons.
  int64_t macs_per_lr_pixel() const;

 private:
  WindowSrConfig config_;
  std::vector<torch::nn::Conv2d> flow_convs_;  // [neighbour, centre] -> ... -> 2 (the last starts at zero)
  std::vector<torch::nn::PReLU> flow_acts_;
  std::vector<torch::nn::Conv2d> convs_;  // [warped previous, centre, warped next] -> width, body...
  std::vector<torch::nn::PReLU> acts_;
  torch::nn::Conv2d to_image_{nullptr};
};

}  // namespace vsr::train

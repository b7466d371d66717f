// A causal recurrent video SR network in the manner of RRN (Isobe et al. 2020) and unidirectional
// BasicVSR, kept at SRVGGNetCompact's cost: each step sees the current LR frame, the previous LR frame
// and a hidden feature map carried from the previous step, runs a plain stack of 3x3 convolutions with
// PReLU at LR resolution, and emits the SR frame (pixel shuffle plus the nearest-upsampled frame) and
// the next hidden map. No explicit alignment: the hidden state learns to carry sub-pixel detail from
// frame to frame, which is what a single-frame model cannot see.
//
// Its ONNX export is one step, with the state as an input and an output (vsr.temporal=recurrent,
// state = [hidden (C channels), previous frame (3)] at the frame's size, zero at a stream's start):
// vsr::Engine::push() carries it between frames.
#pragma once
#include "sr_model.h"

namespace vsr::train {

struct RecurrentSrConfig {
  int scale = 4;
  int width = 32;   // convolution width
  int convs = 5;    // body convolutions after the first
  int hidden = 16;  // channels of the carried hidden map
  // features = [width, convs, hidden]; throws vsr::Error naming what does not fit.
  static RecurrentSrConfig from_features(int scale, const std::vector<int>& features);
};

class RecurrentSrImpl : public SrModelImpl {
 public:
  explicit RecurrentSrImpl(const RecurrentSrConfig& config);
  // One step: lr N x 3 x h x w, state N x state_channels() x h x w -> {sr, next state}.
  std::pair<torch::Tensor, torch::Tensor> step(const torch::Tensor& lr, const torch::Tensor& state);
  // A whole sequence from a zero state: lr N x T x 3 x h x w -> N x T x 3 x sh x sw.
  torch::Tensor forward_sequence(const torch::Tensor& lr);
  // A single frame from a zero state (the first frame of a stream).
  torch::Tensor forward(torch::Tensor lr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  // The engine never tiles a recurrent model (its state spans the frame); this is one step's radius.
  int receptive_field() const override { return config_.convs + 2; }
  std::string arch() const override { return "recurrent"; }
  int scale() const override { return config_.scale; }
  int state_channels() const { return config_.hidden + 3; }
  // Multiply-accumulates per LR pixel of one step (for cost comparisons with single-frame models).
  int64_t macs_per_lr_pixel() const;

 private:
  RecurrentSrConfig config_;
  std::vector<torch::nn::Conv2d> convs_;  // first (previous frame, frame, hidden -> width), body...
  std::vector<torch::nn::PReLU> prelus_;
  torch::nn::Conv2d to_hidden_{nullptr}, to_image_{nullptr};
  torch::nn::PReLU hidden_act_{nullptr};
};

}  // namespace vsr::train

// IRN-style invertible rescaling (Xiao et al. 2020): one invertible network is both the down-scaler
// and the up-scaler. Down: per x2 stage a Haar transform (each 2x2 block to its mean and three
// differences, so channels x4, size /2) then affine coupling blocks; the first 3 channels of the
// result are the LR image, the rest a latent z the training pushes towards 0. Up: the exact inverse,
// run from an LR image with z = 0. Trained as a pair (auxiliary_loss()): the LR must look like the
// bicubic one, and the up-scaler must rebuild the HR from the quantised LR alone.
//
// Coupling (x1 the first 3 channels, x2 the rest): y1 = x1 + F(x2), y2 = x2 * s + G(y1) with
// s = 0.5 + sigmoid(H(y1)), in (0.5, 1.5). IRN bounds its scale with exp(clamp * tanh); a sigmoid
// bounds it the same way with ops the engine has (no Exp). Inverse: x2 = (y2 - G(y1)) / s,
// x1 = y1 - F(x2). F, G, H: 3x3 convolution, LeakyReLU, 3x3 convolution.
//
// forward(lr) is the up-scaler (what the engine runs: the export); downscale() the down-scaler, whose
// weights are the same network's and live in the same checkpoint. Scales 2 and 4.
#pragma once
#include "sr_model.h"
#include "upsampler.h"

namespace vsr::train {

struct IrnConfig {
  int scale = 2;
  int width = 32;   // hidden width of F, G and H
  int blocks = 4;   // coupling blocks per x2 stage (IRN: 8)
};

// F, G and H of a coupling block: 3x3 convolution, LeakyReLU 0.2, 3x3 convolution (the last starting
// at a tenth of its initial weights, so each block starts close to the identity).
class SubnetImpl : public torch::nn::Module {
 public:
  SubnetImpl(int in, int width, int out);
  torch::Tensor forward(const torch::Tensor& x);
  // output_scale multiplies the last convolution (a sign folded into it).
  std::string export_onnx(OnnxWriter& w, const std::string& name, const std::string& input, float output_scale = 1.0f) const;

 private:
  torch::nn::Conv2d conv0_{nullptr}, conv1_{nullptr};
};
TORCH_MODULE(Subnet);

// One affine coupling block over `channels` channels, the first 3 of which are the low part.
class CouplingBlockImpl : public torch::nn::Module {
 public:
  CouplingBlockImpl(int channels, int width);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);
  // The inverse's nodes after `input` (named prefix + ...). `high_is_zero`: the high part of the
  // input is all zeros (the up-scaler's z), so its slice is skipped and the graph starts from y1 alone.
  std::string export_inverse(OnnxWriter& w, const std::string& prefix, const std::string& input, bool high_is_zero) const;

 private:
  int channels_;
  Subnet f_{nullptr}, g_{nullptr}, h_{nullptr};
};
TORCH_MODULE(CouplingBlock);

class IrnImpl : public SrModelImpl {
 public:
  explicit IrnImpl(const IrnConfig& config);
  // LR (N x 3 x h x w) -> HR with z = 0.
  torch::Tensor forward(torch::Tensor lr) override;
  // HR (N x 3 x H x W) -> N x 3*scale^2 x H/scale x W/scale: the LR image in channels 0-2, z after.
  torch::Tensor downscale(const torch::Tensor& hr);
  // The inverse of downscale(): N x 3*scale^2 x h x w -> HR.
  torch::Tensor upscale(const torch::Tensor& lr_and_z);
  // The up-scaler's HR from what downscale() gave: its LR rounded to 8 bits (a stored image), z = 0.
  torch::Tensor upscale_stored(const torch::Tensor& down);
  // From the last training forward's LR and `hr`: 4 x MSE(down LR, bicubic LR) (IRN's LR guidance),
  // L1(up(quantised down LR, z = 0), HR) (its reconstruction) and 0.5 x mean(z^2) (its distribution
  // term, here pulling z to the 0 the up-scaler assumes).
  torch::Tensor auxiliary_loss(const torch::Tensor& hr) override;
  torch::Tensor round_trip(const torch::Tensor& hr) override;
  void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) override;
  int receptive_field() const override;
  std::string arch() const override { return "irn"; }
  int scale() const override { return config_.scale; }

 private:
  IrnConfig config_;
  int stages_;
  std::vector<CouplingBlock> blocks_;  // stage by stage, in the down direction
  torch::Tensor last_lr_;
};

// The Haar step: N x C x H x W -> N x 4C x H/2 x W/2 as [means, horizontal, vertical, diagonal
// differences], each C channels; and its inverse.
torch::Tensor haar_forward(const torch::Tensor& x);
torch::Tensor haar_inverse(const torch::Tensor& y);

}  // namespace vsr::train

// What every trainable architecture is to the trainer: a LibTorch module with a forward on LR
// batches, its ONNX export (the engine runs it; parity tests hold the two together), its receptive
// field and the metadata the export writes. One file per architecture; make_model() picks by name.
#pragma once
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/onnx_writer.h"

namespace vsr::train {

class SrModelImpl : public torch::nn::Module {
 public:
  // lr: N x colours x H x W in [0,1] -> N x colours x sH x sW.
  virtual torch::Tensor forward(torch::Tensor lr) = 0;
  // Writes the network as ONNX (opset 13) with vsr.* metadata (extra keys override the defaults).
  virtual void export_onnx(const std::string& path, const std::map<std::string, std::string>& extra_metadata) = 0;
  // Radius in LR pixels that one output pixel depends on (the engine's tiling overlap).
  virtual int receptive_field() const = 0;
  virtual std::string arch() const = 0;
  virtual int scale() const = 0;
  virtual int colours() const { return 3; }  // 3 = RGB, 1 = luma
};
using SrModel = std::shared_ptr<SrModelImpl>;

struct ModelSpec {
  std::string arch = "espcn";       // espcn | fsrcnn | srvgg | srcnn | vdsr
  int scale = 2;
  std::vector<int> features;        // the architecture's widths/depths (empty: its defaults)
};

// Throws vsr::Error naming the architecture or the feature list that does not fit it.
SrModel make_model(const ModelSpec& spec);
std::vector<std::string> architectures();

// Shared by the exports.
// Adds a stride-1, same-padded Conv2d with its weight and bias; returns the output tensor's name.
std::string export_conv(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::Conv2d& conv);
// Adds a PRelu with its per-channel slopes (shape C x 1 x 1); returns the output tensor's name.
std::string export_prelu(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::PReLU& prelu);
std::vector<float> to_floats(const torch::Tensor& t);
std::vector<int64_t> dims_of(const torch::Tensor& t);
// The vsr.* keys every export writes, then `extra` on top.
std::map<std::string, std::string> standard_metadata(const SrModelImpl& m, const std::map<std::string, std::string>& extra);

}  // namespace vsr::train

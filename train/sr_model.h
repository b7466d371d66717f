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
  // Supervision of the architecture's own intermediate outputs, kept from its last forward() in
  // training mode (SPSR's gradient branch, CDC's component branches), against that batch's HR:
  // already weighted, added to the loss by the trainer. Undefined when the architecture has none.
  virtual torch::Tensor auxiliary_loss(const torch::Tensor& hr) {
    (void)hr;
    return {};
  }
  // Rescaling architectures (IRN) only: HR -> their own 8-bit LR -> HR, the round trip they are
  // judged by (the HR's sides a multiple of the scale). Undefined for the others.
  virtual torch::Tensor round_trip(const torch::Tensor& hr) {
    (void)hr;
    return {};
  }
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
  std::string arch = "espcn";  // espcn | fsrcnn | srvgg | srcnn | vdsr | edsr | rcan | carn | srresnet | rrdb | rdn | drn | spsr | cdc | irn
  int scale = 2;
  // The architecture's widths/depths (empty: its defaults):
  //   espcn    [width, width, ...]              one per hidden layer (64 32)
  //   fsrcnn   [d, s] or [d, s, m]              feature, shrunk width, mapping layers (56 12 4)
  //   srvgg    [width, body convolutions]       (64 16)
  //   srcnn    [w1, w2]                         (64 32)
  //   vdsr     [width, depth]                   (64 20)
  //   edsr     [width, blocks] or [width, blocks, 1]   the 1 scales residuals by 0.1 (baseline 64 16; EDSR 256 32 1)
  //   rcan     [width, groups, blocks per group, reduction]   (64 10 20 16)
  //   carn     [width, mobile]                  mobile 0 = CARN, 1 = CARN-M (64 0)
  //   srresnet [width, blocks]                  (64 16)
  //   rrdb     [width, blocks, growth]          ESRGAN's RRDBNet (64 23 32)
  //   rdn      [width, blocks, layers per block, growth]   (64 16 8 64)
  //   drn      [width, attention blocks per level]        DRN-S (16 30); scales 2 and 4
  //   spsr     [width, residual blocks]         SR branch + gradient branch (64 16)
  //   cdc      [width, residual blocks]         trunk + flat/edge/corner branches (64 8)
  //   irn      [width, coupling blocks per stage]   invertible rescaling (32 4); scales 2 and 4
  std::vector<int> features;
};

// Throws vsr::Error naming the architecture or the feature list that does not fit it.
SrModel make_model(const ModelSpec& spec);

// "NAME" or "NAME:F,F,..." (the features) at `scale`, as the device check and the eager peer take
// --arch. Throws vsr::Error naming a feature that is not a number.
ModelSpec parse_model_spec(const std::string& text, int scale);
std::vector<std::string> architectures();

// Shared by the exports.
// Adds a (grouped, strided) Conv2d padded by half its kernel, with its weight and bias; returns the
// output tensor's name. output_scale multiplies weight and bias: a residual branch's scaling folded
// into its last convolution keeps the graph a plain Conv + Add, which the engine fuses.
std::string export_conv(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::Conv2d& conv,
                        float output_scale = 1.0f);
// Adds a Conv node that reads the initializers export_conv added under weights_name (weights shared
// by several applications of one layer, as in CARN-M's recursive block).
std::string export_conv_reusing(OnnxWriter& w, const std::string& name, const std::string& weights_name,
                                const std::string& input, const torch::nn::Conv2d& conv);
// Adds one node of a single output named name + "_out" and returns that name.
std::string export_node(OnnxWriter& w, const std::string& op_type, const std::string& name,
                        const std::vector<std::string>& inputs, const std::vector<OnnxAttribute>& attributes = {});
// Concatenation along the channel axis (the dense and cascading connections).
std::string export_concat(OnnxWriter& w, const std::string& name, const std::vector<std::string>& inputs);
// SRVGGNetCompact's output: pixel_shuffle(residual) + nearest-upsampled image, written as DepthToSpace
// (CRD, PyTorch's pixel_shuffle order) + Resize (nearest, asymmetric/floor, PyTorch's nearest) + Add
// into the tensor `output` (node names shuffle, skip, add_skip: once per graph).
void export_shuffle_plus_nearest(OnnxWriter& w, const std::string& residual, const std::string& image, int scale,
                                 const std::string& output);
// PyTorch's bicubic enlargement (Keys a = -0.75, align_corners false) of N x C x H x W by `scale`, and
// its export: Resize (cubic, cubic_coeff_a -0.75, pytorch_half_pixel); returns the output's name.
torch::Tensor bicubic_upsample(const torch::Tensor& image, int scale);
std::string export_bicubic_upsample(OnnxWriter& w, const std::string& name, const std::string& input, int scale);
// Adds a PRelu with its per-channel slopes (shape C x 1 x 1); returns the output tensor's name.
std::string export_prelu(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::PReLU& prelu);
std::vector<float> to_floats(const torch::Tensor& t);
std::vector<int64_t> dims_of(const torch::Tensor& t);
// The vsr.* keys every export writes, then `extra` on top.
std::map<std::string, std::string> standard_metadata(const SrModelImpl& m, const std::map<std::string, std::string>& extra);

}  // namespace vsr::train

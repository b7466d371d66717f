// Transposed convolution (ONNX ConvTranspose) through oneDNN, bias and activation (PRelu included)
// fused as post-ops; primitives and reordered weights are built once per input shape.
//
// Two ways, chosen at construction:
// - Few output channels (FSRCNN's last layer has one): oneDNN's deconvolution pads the output
//   channels to its 16-wide block, 16x the work for one channel (350 ms for FSRCNN x2 at 960x540).
//   There the layer runs as its phase decomposition: a stride-1 convolution on the input grid whose
//   stride_h * stride_w * C_out outputs are the output pixels of each phase (sub-kernels of
//   ceil(K / stride) taps), followed by one depth-to-space + crop pass. Same arithmetic, no padding
//   of the channel block, and the convolution can join a oneDNN convolution chain.
// - Otherwise (and for groups, dilation, or pads the decomposition cannot express) it is
//   dnnl::deconvolution_forward directly.
#pragma once
#include <memory>
#include <vector>

#include "conv_onednn.h"

namespace vsr::cpu {

class OnednnDeconv {
 public:
  // `layer.weight` is in ONNX's ConvTranspose layout [C_in, C_out / group, KH, KW]. `before`: plain
  // convolutions that run first, in the same oneDNN chain where the decomposition allows it (their
  // output then never goes back to NCHW).
  explicit OnednnDeconv(ConvLayer layer, std::vector<ConvLayer> before = {});
  // One transposed convolution; `bias` may be null.
  OnednnDeconv(const Tensor& weight, const Tensor* bias, const ConvParams& params);
  ~OnednnDeconv();
  OnednnDeconv(const OnednnDeconv&) = delete;
  OnednnDeconv& operator=(const OnednnDeconv&) = delete;

  // Same output as conv2d_reference over `before` then conv_transpose2d_reference, within float
  // rounding. Throws vsr::Error on a shape mismatch before any work.
  void run(const Tensor& x, Tensor& y);

  // True when the layer runs as a convolution plus depth-to-space (see above).
  bool runs_as_convolution() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::cpu

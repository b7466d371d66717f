// Convolution through oneDNN (2.x API) with bias and activation fused as post-ops. A chain of
// convolutions (conv -> act -> conv -> ...) runs as one object so the intermediate tensors stay in
// oneDNN's blocked layout: only the chain's input and output are reordered from/to NCHW, which at
// 64 channels and 1080p saves hundreds of MB of memory traffic per frame. Primitives and reordered
// weights are built once per input shape and reused for every later frame.
#pragma once
#include <memory>
#include <vector>

#include "conv.h"

namespace vsr::cpu {

struct ConvLayer {
  Tensor weight;
  Tensor bias;
  bool has_bias = false;
  ConvParams params;
};

class OnednnConv {
 public:
  // One convolution; `bias` may be null.
  OnednnConv(const Tensor& weight, const Tensor* bias, const ConvParams& params);
  // Several convolutions, each reading the previous one's output.
  explicit OnednnConv(std::vector<ConvLayer> layers);
  ~OnednnConv();
  OnednnConv(const OnednnConv&) = delete;
  OnednnConv& operator=(const OnednnConv&) = delete;

  // PRelu is not a oneDNN 2.6 eltwise post-op: it is applied on NCHW after the call, so it may
  // only end a chain.
  static bool chainable_inside(const ConvParams& params) { return params.activation.kind != ActivationKind::PRelu; }

  void run(const Tensor& x, Tensor& y);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::cpu

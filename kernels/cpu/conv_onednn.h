// Convolution through oneDNN (2.x API) with bias and activation fused as post-ops. A chain of
// convolutions (conv -> act -> conv -> ...) runs as one object so the intermediate tensors stay in
// oneDNN's blocked layout: only the chain's input and output are reordered from/to NCHW, which at
// 64 channels and 1080p saves hundreds of MB of memory traffic per frame. Primitives and reordered
// weights are built once per input shape and reused for every later frame. A residual Add after the
// last convolution can run inside it too (sum post-op).
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
  // Several convolutions, each reading the previous one's output. With `residual_add`, run() adds
  // a residual tensor to the last one's (activated) output inside the primitive (oneDNN's sum
  // post-op: y = act(conv(x)) + residual), saving the separate Add's pass over both tensors.
  explicit OnednnConv(std::vector<ConvLayer> layers, bool residual_add = false);
  ~OnednnConv();
  OnednnConv(const OnednnConv&) = delete;
  OnednnConv& operator=(const OnednnConv&) = delete;

  // Whether a layer with these parameters may sit before another one in a chain. Every activation
  // we fuse is a oneDNN post-op (PRelu included, with its slopes passed at execute), so all can.
  static bool chainable_inside(const ConvParams&) { return true; }

  // `residual` is required exactly when built with residual_add. A residual whose shape differs
  // from the output (a broadcast Add) is added by the reference kernel after the convolution.
  void run(const Tensor& x, Tensor& y, const Tensor* residual = nullptr);
  // Whether the residual is added inside oneDNN (false when oneDNN would only offer a reference
  // implementation for the sum post-op, or before the first run).
  bool residual_fused() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::cpu

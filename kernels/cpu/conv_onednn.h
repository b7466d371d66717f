// Convolution through oneDNN (2.x API) with bias and activation fused as post-ops. Primitives and
// reordered weights are built once per input shape and reused for every later frame.
#pragma once
#include <memory>

#include "conv.h"

namespace vsr::cpu {

class OnednnConv {
 public:
  // `bias` may be null. PRelu is not a oneDNN 2.6 eltwise post-op: it is applied after the call.
  OnednnConv(const Tensor& weight, const Tensor* bias, const ConvParams& params);
  ~OnednnConv();
  OnednnConv(const OnednnConv&) = delete;
  OnednnConv& operator=(const OnednnConv&) = delete;

  void run(const Tensor& x, Tensor& y);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::cpu

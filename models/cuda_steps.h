// One step of the CUDA network: a graph node (with what the plan fused into it) as CUDA work. Float
// tensors live in device memory; int64 tensors (shapes, sizes, axes) stay on the host, where the
// shape arithmetic that reads them runs.
#pragma once
#include <cuda_runtime.h>

#include <memory>
#include <string>
#include <vector>

#include "graph_prep.h"
#include "kernels/cuda/conv_cudnn.h"
#include "kernels/cuda/cuda_runtime.h"

namespace vsr {

struct DeviceTensor {
  std::vector<int64_t> shape;
  cuda::DeviceArray<float> data;  // float tensors
  bool is_int = false;
  std::vector<int64_t> ints;      // int64 tensors, on the host

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  // Shapes the tensor as float and makes room for it (capacity is kept between frames).
  float* resize(std::vector<int64_t> new_shape) {
    shape = std::move(new_shape);
    is_int = false;
    ints.clear();
    data.reserve(static_cast<size_t>(std::max<int64_t>(numel(), 1)));
    return data.data();
  }
};

using DeviceInputs = std::vector<const DeviceTensor*>;  // null: an omitted optional input
using DeviceOutputs = std::vector<DeviceTensor*>;

class CudaStep {
 public:
  virtual ~CudaStep() = default;
  virtual void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) = 0;
  // False for a node run by its CPU reference on host copies (no CUDA kernel for it yet).
  virtual bool on_device() const { return true; }
};

// cuDNN takes symmetric padding only; other convolutions run their CPU reference (and are never
// residual-fused).
bool conv_runs_on_cudnn(const cpu::ConvParams& p);

// Throws vsr::Error naming the node for bad attributes or constants.
std::unique_ptr<CudaStep> make_cuda_step(const GraphNode& node, const PreparedGraph& p, const Fusion& f,
                                         cuda::ConvPrecision precision, cudaStream_t stream);

}  // namespace vsr

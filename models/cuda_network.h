// The CUDA backend's network (builds with CUDA only): the shared graph preparation (graph_prep.h)
// run with cuDNN convolutions and the kernels of kernels/cuda. Every op the loader accepts runs:
// those without a CUDA kernel yet (shape arithmetic on int64 tensors, Pad, Transpose, ...) run their
// CPU reference on host copies, which the step list in describe() names.
#pragma once
#include <memory>

#include "graph.h"
#include "network.h"
#include "vsr/engine.h"

namespace vsr {

// Throws vsr::Error when the device cannot be used (bad device id, cuDNN missing).
std::unique_ptr<Network> make_cuda_network(const Graph& g, const EngineOptions& options);

}  // namespace vsr

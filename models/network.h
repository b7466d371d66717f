// What the engine runs a frame's tensors through: one backend's prepared network. The CPU backend
// (ExecutionPlan: oneDNN + reference kernels) and the CUDA backend (CudaNetwork: cuDNN + CUDA kernels)
// both take and give host tensors, so tiling, multi-frame stacking and colour handling stay in the
// engine, written once.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <memory>

#include "graph.h"
#include "kernels/cpu/tensor.h"
#include "vsr/engine.h"

namespace vsr {

class Network {
 public:
  virtual ~Network() = default;
  // Runs the network on one [1, C, H, W] input (and, for recurrent models, the state carried from the
  // previous frame); the result stays valid until the next run().
  virtual const cpu::Tensor& run(const cpu::Tensor& input, const cpu::Tensor* state = nullptr) = 0;
  // The next state a recurrent model's run() produced (valid until the next run()).
  virtual const cpu::Tensor& state_output() const = 0;
  // A whole frame of a single-frame RGB model on the backend's own device: `in`'s planes become the
  // network's input (values * range_scale + range_offset), the output is mapped back and written into
  // `out`'s planes (alpha from `in`). Returns false where the backend has no such path; the engine
  // then converts on the host and calls run().
  virtual bool run_frame(const Frame& /*in*/, const Frame& /*out*/, float /*range_scale*/, float /*range_offset*/) {
    return false;
  }

  virtual std::string backend() const = 0;    // "cpu", "cuda"
  virtual std::string precision() const = 0;  // "fp32", "fp16"
  // "N (a activations fused, ...), buffers: M" for Engine::describe().
  virtual std::string step_summary() const = 0;
  virtual std::vector<std::string> op_types() const = 0;
  // Working memory of the last run, for sizing tiles (0 = unknown: never tile).
  virtual size_t working_bytes() const = 0;
  // The memory a run may use, given what the options allow: a GPU also caps it by its free memory.
  virtual double memory_budget_bytes(double requested) const { return requested; }

  // Per-step wall time, summed over the runs since profiling was switched on ("node (Op): ms").
  virtual void set_profiling(bool on) = 0;
  virtual std::vector<std::pair<std::string, double>> profile() const = 0;
};

// Whether an error is the GPU running out of memory (the engine then retries with smaller tiles).
bool out_of_device_memory(const std::exception& e);

// The network for `options` (backend, device, precision, use_onednn). Throws vsr::Error naming what
// this build or machine cannot do.
std::unique_ptr<Network> make_network(const Graph& g, const EngineOptions& options);

}  // namespace vsr

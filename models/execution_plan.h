// Graph -> ordered steps. At build: topological order, constant folding, Conv+activation fusion,
// oneDNN convolution chains, Conv+residual Add fusion, and buffer slots that are reused once a
// tensor's last reader has run. run() then allocates nothing in steady state (the slots keep their
// capacity between frames).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "graph.h"
#include "graph_prep.h"
#include "network.h"
#include "op_registry.h"

namespace vsr {

class ExecutionPlan : public Network {
 public:
  ExecutionPlan(const Graph& graph, bool use_onednn);

  // Runs the network on one input tensor (and, for recurrent models, the state carried from the
  // previous frame); the result stays valid until the next run().
  const cpu::Tensor& run(const cpu::Tensor& input, const cpu::Tensor* state = nullptr) override;
  // The next state a recurrent model's run() produced (valid until the next run()).
  const cpu::Tensor& state_output() const override { return slots_.at(state_output_slot_); }
  std::string backend() const override { return "cpu"; }
  std::string precision() const override { return "fp32"; }
  std::string step_summary() const override;
  bool recurrent() const { return state_input_slot_ >= 0; }

  size_t step_count() const { return steps_.size(); }
  size_t slot_count() const { return slots_.size(); }
  int fused_activations() const { return fused_; }
  int chained_convolutions() const { return chained_; }
  int residual_adds_fused() const { return residual_adds_; }
  std::vector<std::string> op_types() const override;

  // Per-step wall time, summed over the runs since profiling was switched on ("node (Op): ms").
  void set_profiling(bool on) override;
  std::vector<std::pair<std::string, double>> profile() const override;
  // Bytes the slots hold after the last run(): the working memory one run of that size needs
  // (Engine sizes tiles from the probe run's figure).
  size_t working_bytes() const override {
    size_t bytes = 0;
    for (const auto& s : slots_) bytes += s.data.capacity() * sizeof(float) + s.ints.capacity() * sizeof(int64_t);
    return bytes;
  }

 private:
  struct Step {
    const GraphNode* node;
    std::unique_ptr<Op> op;
    std::vector<int> input_slots;    // -1 = constant (see constant_inputs) or omitted
    std::vector<const cpu::Tensor*> constant_inputs;
    std::vector<int> output_slots;   // one per node output (Split has several)
  };
  const Graph& graph_;
  PreparedGraph prepared_;  // order and folded constants (the ops point into them)
  std::vector<Step> steps_;
  std::vector<cpu::Tensor> slots_;
  std::vector<const cpu::Tensor*> step_inputs_;  // scratch for run(), kept to avoid reallocating
  std::vector<cpu::Tensor*> step_outputs_;
  int input_slot_ = -1;
  int output_slot_ = -1;
  int state_input_slot_ = -1;
  int state_output_slot_ = -1;
  int fused_ = 0;
  int chained_ = 0;  // convolutions running inside the next convolution's oneDNN chain
  int residual_adds_ = 0;  // Adds running inside the convolution before them (sum post-op)
  bool profiling_ = false;
  std::vector<double> step_ms_;
};

}  // namespace vsr

// Graph -> ordered steps. At build: topological order, constant folding, Conv+activation fusion and
// buffer slots that are reused once a tensor's last reader has run. run() then allocates nothing
// in steady state (the slots keep their capacity between frames).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "graph.h"
#include "op_registry.h"

namespace vsr {

class ExecutionPlan {
 public:
  ExecutionPlan(const Graph& graph, bool use_onednn);

  // Runs the network on one input tensor; the result stays valid until the next run().
  const cpu::Tensor& run(const cpu::Tensor& input);

  size_t step_count() const { return steps_.size(); }
  size_t slot_count() const { return slots_.size(); }
  int fused_activations() const { return fused_; }
  std::vector<std::string> op_types() const;

 private:
  struct Step {
    const GraphNode* node;
    std::unique_ptr<Op> op;
    std::vector<int> input_slots;    // -1 = constant (see constant_inputs) or omitted
    std::vector<const cpu::Tensor*> constant_inputs;
    int output_slot;
  };
  const Graph& graph_;
  std::vector<Step> steps_;
  std::vector<cpu::Tensor> slots_;
  std::map<std::string, cpu::Tensor> folded_;  // results of constant folding
  int input_slot_ = -1;
  int output_slot_ = -1;
  int fused_ = 0;
};

}  // namespace vsr

// Graph preparation both backends share: the order nodes run in, constant folding, the fusions
// (Conv + activation, Conv + residual Add) and buffer slots reused once a tensor's last reader ran.
// The CPU plan adds oneDNN convolution chains between the fusions; the CUDA plan runs the same steps
// with its own kernels.
#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph.h"
#include "op_registry.h"

namespace vsr {

// Prefixes a node's label unless the message already names the node (builders name it themselves).
std::string with_node_label(const GraphNode& n, const std::string& message);

struct PreparedGraph {
  const Graph* graph = nullptr;
  std::vector<const GraphNode*> order;        // the nodes that depend on the inputs, in run order
  std::map<std::string, cpu::Tensor> folded;  // tensors computed at load from constants only
  // The constant (initializer or folded) of that name, or null.
  const cpu::Tensor* constant(const std::string& name) const;
  ConstantLookup lookup() const {
    return [this](const std::string& name) { return constant(name); };
  }
};

// Topological order and constant folding (on the CPU reference ops). Throws vsr::Error naming the
// node for a cycle, a tensor nobody produces, or a folding failure.
PreparedGraph prepare_graph(const Graph& g);

struct Fusion {
  std::map<const GraphNode*, cpu::Activation> activation;  // Conv/ConvTranspose -> fused activation
  std::set<const GraphNode*> absorbed_activations;         // activation nodes that no longer run
  std::set<const GraphNode*> chained;                      // Convs running inside the next one's chain
  std::map<const GraphNode*, std::string> residual_of;     // Conv -> the residual its fused Add adds
  std::set<const GraphNode*> absorbed_adds;
  std::map<std::string, std::string> renamed;  // fused node's output -> the tensor that now holds it

  bool absorbed(const GraphNode* n) const {
    return absorbed_activations.count(n) || chained.count(n) || absorbed_adds.count(n);
  }
  std::string resolve(std::string name) const {
    for (auto it = renamed.find(name); it != renamed.end(); it = renamed.find(name)) name = it->second;
    return name;
  }
};

// Conv/ConvTranspose -> activation when the activation is the output's only reader.
void fuse_activations(const PreparedGraph& p, Fusion& f);

// Conv (not chained) -> Add when only the Add reads the Conv's (activated) output, the other operand
// exists before the Conv runs and is not a constant, and the activation is not a per-channel PRelu
// (which would have to run after the sum). `may_fuse` can veto a Conv (a backend's own limits).
void fuse_residuals(const PreparedGraph& p, Fusion& f,
                    const std::function<bool(const GraphNode&)>& may_fuse = nullptr);

// Readers of each tensor among the steps that still run (fused outputs resolved), the graph outputs
// counting as one reader each.
std::map<std::string, int> readers_after_fusion(const PreparedGraph& p, const Fusion& f);

// Buffer slots for a list of steps: each tensor's slot returns to the free list after its last
// reader, graph inputs keep theirs, outputs nobody reads give theirs back at once.
struct SlotPlan {
  std::map<std::string, int> input_slot;                  // graph inputs (image, state)
  std::vector<std::vector<int>> step_inputs, step_outputs;  // -1: constant or omitted input
  int output_slot = -1, state_output_slot = -1;
  int slot_count = 0;
};
struct StepTensors {
  std::vector<std::string> inputs;   // resolved names ("" = omitted)
  std::vector<std::string> outputs;  // the node's outputs
};
SlotPlan assign_slots(const PreparedGraph& p, const Fusion& f, const std::vector<StepTensors>& steps);

// The steps that still run, in order, each with the (resolved) tensors it reads and writes: a Conv
// with a fused residual reads it last; `inputs_of` (may be null) gives a node other inputs than its
// own (a oneDNN chain reads its first layer's).
struct PlannedStep {
  const GraphNode* node;
  StepTensors tensors;
};
std::vector<PlannedStep> plan_steps(
    const PreparedGraph& p, const Fusion& f,
    const std::function<const std::vector<std::string>*(const GraphNode*)>& inputs_of = nullptr);

}  // namespace vsr

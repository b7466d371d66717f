// Builds an executable op from a graph node. Attributes and constant inputs (weights, scales, slopes)
// are read and checked here, at load time; run() only computes.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "graph.h"
#include "kernels/cpu/activation.h"

namespace vsr {

class Op {
 public:
  virtual ~Op() = default;
  // `inputs` follow the node's input order (constants included; null for omitted optional inputs).
  // Outputs are reused buffers that arrive marked float (is_int false, ints empty); ops producing
  // int64 tensors set is_int themselves. Ops never run in place.
  virtual void run(const std::vector<const cpu::Tensor*>& inputs, cpu::Tensor& output) = 0;
  // Nodes with several outputs (Split) override this form; `outputs` follow the node's output order.
  virtual void run(const std::vector<const cpu::Tensor*>& inputs, const std::vector<cpu::Tensor*>& outputs) {
    run(inputs, *outputs.at(0));
  }
};

// Returns the constant tensor of that name, or null if the tensor is computed at run time.
using ConstantLookup = std::function<const cpu::Tensor*(const std::string&)>;

struct FusedConv {
  const GraphNode* node;
  cpu::Activation activation;
};

struct OpOptions {
  bool use_onednn = true;
  cpu::Activation fused;  // activation the plan fused into this node (Conv/ConvTranspose only)
  // oneDNN Conv only: convolutions the plan chained in front of this one (first to last); the op
  // then reads the first one's input and keeps the intermediates in oneDNN's blocked layout.
  std::vector<FusedConv> chain_before;
  // oneDNN Conv only: the Add reading this node's output was fused into it; the step's last input
  // is the Add's other operand (the residual).
  bool residual_add = false;
};

bool is_supported_op(const std::string& op_type);
// The op types vsr runs, for error messages and docs.
std::vector<std::string> supported_ops();

// True (and fills `out`) if the node is an activation the plan can fuse into a convolution.
bool activation_of(const GraphNode& node, const ConstantLookup& constants, cpu::Activation& out);

// Throws vsr::Error naming the node for an unsupported op or bad attributes/constant inputs.
std::unique_ptr<Op> make_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options);
std::unique_ptr<Op> make_conv_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options);

}  // namespace vsr

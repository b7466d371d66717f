// Shared by the node -> op builders (models/ops_*.cpp, conv_ops.cpp): how a builder reads a node's
// inputs and attributes. Internal to the engine.
#pragma once
#include <string>
#include <vector>

#include "kernels/cpu/conv.h"
#include "kernels/cpu/conv_onednn.h"
#include "kernels/cpu/grid_sample.h"
#include "kernels/cpu/resize.h"
#include "op_registry.h"

namespace vsr {

// Builders, one per op family. Each validates the node's attributes and constant inputs at load
// time and throws vsr::Error naming the node.
std::unique_ptr<Op> make_elementwise_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options);
std::unique_ptr<Op> make_layout_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options);
std::unique_ptr<Op> make_shape_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options);
std::unique_ptr<Op> make_sampling_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options);

// True if the node has input `index` ("" marks an omitted optional input).
bool has_input(const GraphNode& node, size_t index);

// Weights, bias and parameters of one Conv/ConvTranspose node, checked against each other, with the
// activation the plan fused into it.
cpu::ConvLayer conv_layer_of(const GraphNode& node, const ConstantLookup& constants, const cpu::Activation& act);
// What a Resize node asks for: its parameters and where its target comes from (constants, or inputs
// read each run: scales_input / sizes_input, -1 when constant). params_for() gives one run's checked
// parameters.
struct ResizeTarget {
  cpu::ResizeParams p;
  std::vector<int64_t> sizes;  // the N, C, H, W requested in sizes mode
  int scales_input = -1, sizes_input = -1;
  cpu::ResizeParams params_for(const std::vector<int64_t>& x_shape, const std::vector<const cpu::Tensor*>& in) const;
};
ResizeTarget resize_target_of(const GraphNode& node, const ConstantLookup& constants);
// GridSample's attributes, checked.
cpu::GridSampleParams grid_sample_params_of(const GraphNode& node);

// The constant at input `index`, or null if the input is omitted; throws naming the node if the
// input is computed at run time.
const cpu::Tensor* optional_constant(const GraphNode& node, size_t index, const ConstantLookup& constants);

// Throws naming `what` if `t` holds int64 values: for ops that only make sense on float data.
const cpu::Tensor& float_tensor(const cpu::Tensor* t, const std::string& what);

// An int64 list a node takes from an attribute (older opsets), a constant input (read and checked at
// load) or a tensor computed at run time (e.g. from Shape on a dynamic input). values() gives the list
// for the current run without allocating.
class IntList {
 public:
  // Input `index` if the node has it, else attribute `attr` (may be null) if present, else absent.
  IntList(const GraphNode& node, size_t index, const char* attr, const ConstantLookup& constants);
  bool present() const { return present_; }
  bool is_constant() const { return constant_; }
  const std::vector<int64_t>& constant_values() const { return values_; }
  // The list for this run; throws (naming what it reads) if the runtime tensor is not 1-D int64.
  const std::vector<int64_t>& values(const std::vector<const cpu::Tensor*>& inputs) const;

 private:
  bool present_ = false, constant_ = true;
  size_t index_ = 0;
  std::string what_;
  std::vector<int64_t> values_;
};

}  // namespace vsr

// The table that maps ONNX op types to the builders of the ops vsr runs on the CPU, and the input
// helpers the builders share. The ops themselves live in ops_*.cpp (one file per family) and
// conv_ops.cpp.
#include "op_registry.h"

#include <algorithm>

#include "kernels/cpu/shape_ops.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

using OpBuilder = std::unique_ptr<Op> (*)(const GraphNode&, const ConstantLookup&, const OpOptions&);

struct OpEntry {
  const char* type;
  OpBuilder builder;
  int required_inputs;  // leading inputs that must be present; -1 = all of them (Concat)
};

// Ordered as documented: image ops first, then the shape arithmetic exporters emit around them.
const std::vector<OpEntry>& op_table() {
  static const std::vector<OpEntry> table = {
      {"Conv", make_conv_op, 2},
      {"ConvTranspose", make_conv_op, 2},
      {"DepthToSpace", make_layout_op, 1},
      {"Relu", make_elementwise_op, 1},
      {"PRelu", make_elementwise_op, 2},
      {"LeakyRelu", make_elementwise_op, 1},
      {"Sigmoid", make_elementwise_op, 1},
      {"Tanh", make_elementwise_op, 1},
      {"Sqrt", make_elementwise_op, 1},
      {"Clip", make_elementwise_op, 1},
      {"Add", make_elementwise_op, 2},
      {"Sub", make_elementwise_op, 2},
      {"Mul", make_elementwise_op, 2},
      {"Div", make_elementwise_op, 2},
      {"Concat", make_layout_op, -1},  // every input
      {"Split", make_layout_op, 1},
      {"Slice", make_layout_op, 1},
      {"Resize", make_sampling_op, 1},
      {"GridSample", make_sampling_op, 2},
      {"GlobalAveragePool", make_sampling_op, 1},
      {"Pad", make_layout_op, 1},
      {"Transpose", make_layout_op, 1},
      {"Identity", make_layout_op, 1},
      {"Constant", nullptr, 0},  // folded by the execution plan
      {"Reshape", make_layout_op, 1},
      {"Squeeze", make_layout_op, 1},
      {"Unsqueeze", make_layout_op, 1},
      {"Expand", make_layout_op, 2},
      {"Shape", make_shape_op, 1},
      {"Gather", make_shape_op, 2},
      {"ConstantOfShape", make_shape_op, 1},
      {"Range", make_shape_op, 3},
      {"Cast", make_elementwise_op, 1},
      {"Floor", make_elementwise_op, 1},
      {"Ceil", make_elementwise_op, 1},
  };
  return table;
}

const OpEntry* entry_of(const std::string& op_type) {
  for (const auto& e : op_table())
    if (op_type == e.type) return &e;
  return nullptr;
}

}  // namespace

bool has_input(const GraphNode& node, size_t index) {
  return node.inputs.size() > index && !node.inputs[index].empty();
}

const cpu::Tensor* optional_constant(const GraphNode& node, size_t index, const ConstantLookup& constants) {
  if (!has_input(node, index)) return nullptr;
  const cpu::Tensor* t = constants(node.inputs[index]);
  if (!t) throw Error(node.label() + ": input '" + node.inputs[index] + "' must be a constant");
  return t;
}

const cpu::Tensor& float_tensor(const cpu::Tensor* t, const std::string& what) {
  if (!t) throw Error(what + " is missing");
  if (t->is_int) throw Error(what + " must be a float tensor, got int64 " + cpu::shape_string(t->shape));
  return *t;
}

IntList::IntList(const GraphNode& node, size_t index, const char* attr, const ConstantLookup& constants)
    : index_(index) {
  if (has_input(node, index)) {
    present_ = true;
    what_ = "input '" + node.inputs[index] + "'";
    if (const cpu::Tensor* t = constants(node.inputs[index])) {
      try {
        values_ = cpu::int_values(*t, what_.c_str());
      } catch (const Error& e) {
        throw Error(node.label() + ": " + e.what());
      }
    } else {
      constant_ = false;
    }
  } else if (attr && node.has(attr)) {
    present_ = true;
    what_ = std::string("attribute '") + attr + "'";
    values_ = node.get_ints(attr, {});
  }
}

const std::vector<int64_t>& IntList::values(const std::vector<const cpu::Tensor*>& inputs) const {
  if (constant_) return values_;
  const cpu::Tensor* t = inputs.at(index_);
  if (!t || !t->is_int) throw Error(what_ + " must be an int64 tensor");
  if (t->shape.size() > 1) throw Error(what_ + " must be 1-D, got " + cpu::shape_string(t->shape));
  return t->ints;
}

bool is_supported_op(const std::string& op_type) { return entry_of(op_type) != nullptr; }

std::vector<std::string> supported_ops() {
  std::vector<std::string> names;
  for (const auto& e : op_table()) names.push_back(e.type);
  return names;
}

std::unique_ptr<Op> make_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options) {
  const OpEntry* e = entry_of(node.op_type);
  if (!e) throw Error(node.label() + ": unsupported op " + node.op_type);
  if (!e->builder) throw Error(node.label() + ": Constant nodes are folded at load, not run");
  // Ops dereference their required inputs unchecked: a file that leaves one out fails here.
  const size_t required = e->required_inputs < 0 ? std::max<size_t>(node.inputs.size(), 1) : e->required_inputs;
  for (size_t i = 0; i < required; ++i)
    if (!has_input(node, i))
      throw Error(node.label() + ": input " + std::to_string(i) + " is missing (" + node.op_type + " needs " +
                  (e->required_inputs < 0 ? std::string("every input") : std::to_string(required)) + ")");
  return e->builder(node, constants, options);
}

}  // namespace vsr

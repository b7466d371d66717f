// Element-wise nodes: activations (also fused into convolutions by the plan), Add/Sub/Mul/Div on
// float or int64 tensors, Cast, Floor and Ceil.
#include "kernels/cpu/activation.h"
#include "kernels/cpu/binary_ops.h"
#include "kernels/cpu/numeric_ops.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

class ActivationOp : public Op {
 public:
  using Op::run;
  ActivationOp(cpu::Activation a, std::string label) : a_(std::move(a)), label_(std::move(label)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::activation_reference(a_, float_tensor(in[0], label_ + " input"), out);
  }

 private:
  cpu::Activation a_;
  std::string label_;
};

// Float tensors through the broadcasting float kernel, int64 tensors (shape arithmetic) through the
// checked integer one; ONNX never mixes the two in one node.
class BinaryOp : public Op {
 public:
  using Op::run;
  explicit BinaryOp(cpu::BinaryOp op) : op_(op) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    if (in[0]->is_int != in[1]->is_int)
      throw Error("inputs mix int64 " + cpu::shape_string((in[0]->is_int ? in[0] : in[1])->shape) + " and float " +
                  cpu::shape_string((in[0]->is_int ? in[1] : in[0])->shape));
    if (in[0]->is_int)
      cpu::binary_int(op_, *in[0], *in[1], out);
    else
      cpu::binary_reference(op_, *in[0], *in[1], out);
  }

 private:
  cpu::BinaryOp op_;
};

class CastOp : public Op {
 public:
  using Op::run;
  explicit CastOp(cpu::ElementType to) : to_(to) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override { cpu::cast(*in[0], to_, out); }

 private:
  cpu::ElementType to_;
};

class RoundOp : public Op {
 public:
  using Op::run;
  explicit RoundOp(cpu::Rounding r) : r_(r) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::round_elements(*in[0], r_, out);
  }

 private:
  cpu::Rounding r_;
};

float scalar_bound(const GraphNode& node, size_t index, const ConstantLookup& constants, float fallback) {
  const cpu::Tensor* t = optional_constant(node, index, constants);
  if (!t) return fallback;
  if (t->is_int || t->data.size() != 1)
    throw Error(node.label() + ": input '" + node.inputs[index] + "' must be one float value");
  return t->data[0];
}

}  // namespace

bool activation_of(const GraphNode& node, const ConstantLookup& constants, cpu::Activation& a) {
  a = {};
  const std::string& t = node.op_type;
  if (t == "Relu") {
    a.kind = cpu::ActivationKind::Relu;
  } else if (t == "LeakyRelu") {
    a.kind = cpu::ActivationKind::LeakyRelu;
    a.alpha = node.get_float("alpha", 0.01f);
  } else if (t == "Sigmoid") {
    a.kind = cpu::ActivationKind::Sigmoid;
  } else if (t == "Tanh") {
    a.kind = cpu::ActivationKind::Tanh;
  } else if (t == "Sqrt") {
    a.kind = cpu::ActivationKind::Sqrt;
  } else if (t == "PRelu") {
    a.kind = cpu::ActivationKind::PRelu;
    const cpu::Tensor* slope = optional_constant(node, 1, constants);
    if (!slope) throw Error(node.label() + " has no slope input");
    if (slope->is_int || slope->data.empty()) throw Error(node.label() + ": the slope must be a float tensor");
    a.slopes = slope->data;
  } else if (t == "Clip") {
    a.kind = cpu::ActivationKind::Clip;
    a.min = node.get_float("min", -3.4e38f);  // opset < 11: attributes
    a.max = node.get_float("max", 3.4e38f);
    a.min = scalar_bound(node, 1, constants, a.min);
    a.max = scalar_bound(node, 2, constants, a.max);
  } else {
    return false;
  }
  return true;
}

std::unique_ptr<Op> make_elementwise_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions&) {
  const std::string& t = node.op_type;
  cpu::Activation a;
  if (activation_of(node, constants, a)) return std::make_unique<ActivationOp>(a, node.label());
  if (t == "Add") return std::make_unique<BinaryOp>(cpu::BinaryOp::Add);
  if (t == "Sub") return std::make_unique<BinaryOp>(cpu::BinaryOp::Sub);
  if (t == "Mul") return std::make_unique<BinaryOp>(cpu::BinaryOp::Mul);
  if (t == "Div") return std::make_unique<BinaryOp>(cpu::BinaryOp::Div);
  if (t == "Floor") return std::make_unique<RoundOp>(cpu::Rounding::Floor);
  if (t == "Ceil") return std::make_unique<RoundOp>(cpu::Rounding::Ceil);
  if (t == "Cast") {
    if (!node.has("to")) throw Error(node.label() + " has no 'to' attribute");
    const int64_t to = node.get_int("to", 0);
    if (to != int64_t(cpu::ElementType::Float) && to != int64_t(cpu::ElementType::Int32) &&
        to != int64_t(cpu::ElementType::Int64))
      throw Error(node.label() + ": Cast to ONNX data type " + std::to_string(to) +
                  " is not supported (float = 1, int32 = 6 and int64 = 7 only)");
    return std::make_unique<CastOp>(static_cast<cpu::ElementType>(to));
  }
  throw Error(node.label() + ": not an element-wise op");
}

}  // namespace vsr

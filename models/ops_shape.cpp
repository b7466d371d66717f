// Shape-driven nodes PyTorch exports for dynamic H/W: Shape, Gather, ConstantOfShape, Range. With a fixed
// input size the plan folds them at load; with a dynamic one they run per frame on tiny tensors.
#include <limits>

#include "kernels/cpu/shape_ops.h"
#include "kernels/cpu/tensor_limits.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

class ShapeOp : public Op {
 public:
  using Op::run;
  ShapeOp(int64_t start, int64_t end) : start_(start), end_(end) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::shape_of(*in[0], start_, end_, out);
  }

 private:
  int64_t start_, end_;
};

class GatherOp : public Op {
 public:
  using Op::run;
  explicit GatherOp(int64_t axis) : axis_(axis) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::gather(*in[0], *in[1], axis_, out);
  }

 private:
  int64_t axis_;
};

class ConstantOfShapeOp : public Op {
 public:
  using Op::run;
  ConstantOfShapeOp(IntList shape, cpu::Tensor value) : shape_(std::move(shape)), value_(std::move(value)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::constant_of_shape(shape_.values(in), value_, out);
  }

 private:
  IntList shape_;
  cpu::Tensor value_;
};

class RangeOp : public Op {
 public:
  using Op::run;
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::range(*in[0], *in[1], *in[2], out);
  }
};

}  // namespace

std::unique_ptr<Op> make_shape_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions&) {
  const std::string& t = node.op_type;
  if (t == "Shape")  // start/end are opset 15; earlier files have neither, which means the whole shape
    return std::make_unique<ShapeOp>(node.get_int("start", 0),
                                     node.get_int("end", std::numeric_limits<int64_t>::max()));
  if (t == "Gather") {
    if (!has_input(node, 1)) throw Error(node.label() + " has no indices input");
    if (const cpu::Tensor* idx = constants(node.inputs[1]); idx && !idx->is_int)
      throw Error(node.label() + ": indices '" + node.inputs[1] + "' must be an int64 tensor");
    return std::make_unique<GatherOp>(node.get_int("axis", 0));
  }
  if (t == "ConstantOfShape") {
    IntList shape(node, 0, nullptr, constants);
    if (!shape.present()) throw Error(node.label() + " has no shape input");
    cpu::Tensor value;
    value.shape = {1};
    value.data = {0.0f};  // the spec's default: one float 0
    if (node.has("value")) {
      value = node.attributes.at("value").tensor;
      if (value.numel() != 1 || (value.is_int ? value.ints.size() : value.data.size()) != 1)
        throw Error(node.label() + ": 'value' must hold exactly one element");
    }
    if (shape.is_constant()) {
      try {
        cpu::checked_shape(shape.constant_values(), "ConstantOfShape");
      } catch (const Error& e) {
        throw Error(node.label() + ": " + e.what());
      }
    }
    return std::make_unique<ConstantOfShapeOp>(std::move(shape), std::move(value));
  }
  if (t == "Range") {
    for (size_t i = 0; i < 3; ++i)
      if (!has_input(node, i)) throw Error(node.label() + " needs start, limit and delta inputs");
    return std::make_unique<RangeOp>();
  }
  throw Error(node.label() + ": not a shape op");
}

}  // namespace vsr

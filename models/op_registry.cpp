// Every op vsr runs on the CPU, and the table that maps ONNX op types to them.
#include "op_registry.h"

#include <algorithm>
#include <map>

#include "kernels/cpu/binary_ops.h"
#include "kernels/cpu/layout_ops.h"
#include "kernels/cpu/resize.h"
#include "vsr/error.h"

namespace vsr {
namespace {

const std::vector<std::string>& op_table() {
  static const std::vector<std::string> ops = {
      "Conv", "ConvTranspose", "DepthToSpace", "Relu",    "PRelu",    "LeakyRelu", "Sigmoid", "Tanh",
      "Clip", "Add",           "Sub",          "Mul",     "Div",      "Concat",    "Resize",  "Identity",
      "Constant", "Reshape"};
  return ops;
}

class ActivationOp : public Op {
 public:
  explicit ActivationOp(cpu::Activation a) : a_(std::move(a)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::activation_reference(a_, *in[0], out);
  }

 private:
  cpu::Activation a_;
};

class BinaryOp : public Op {
 public:
  explicit BinaryOp(cpu::BinaryOp op) : op_(op) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::binary_reference(op_, *in[0], *in[1], out);
  }

 private:
  cpu::BinaryOp op_;
};

class DepthToSpaceOp : public Op {
 public:
  DepthToSpaceOp(int64_t block, cpu::DepthToSpaceMode mode) : block_(block), mode_(mode) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::depth_to_space(*in[0], block_, mode_, out);
  }

 private:
  int64_t block_;
  cpu::DepthToSpaceMode mode_;
};

class ConcatOp : public Op {
 public:
  explicit ConcatOp(int64_t axis) : axis_(axis) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override { cpu::concat(in, axis_, out); }

 private:
  int64_t axis_;
};

class ResizeOp : public Op {
 public:
  explicit ResizeOp(cpu::ResizeParams p) : p_(p) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::resize_reference(*in[0], p_, out);
  }

 private:
  cpu::ResizeParams p_;
};

class IdentityOp : public Op {
 public:
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override { out = *in[0]; }
};

class ReshapeOp : public Op {
 public:
  ReshapeOp(std::vector<int64_t> shape, std::string label) : shape_(std::move(shape)), label_(std::move(label)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    const cpu::Tensor& x = *in[0];
    std::vector<int64_t> s = shape_;
    int64_t known = 1, infer = -1;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == 0) s[i] = x.shape.at(i);
      if (s[i] == -1) infer = static_cast<int64_t>(i);
      else known *= s[i];
    }
    if (infer >= 0 && known > 0) s[infer] = x.numel() / known;
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    if (n != x.numel())
      throw Error(label_ + ": cannot reshape " + cpu::shape_string(x.shape) + " to " + cpu::shape_string(shape_));
    out.shape = s;
    out.data = x.data;
  }

 private:
  std::vector<int64_t> shape_;
  std::string label_;
};

const cpu::Tensor* optional_constant(const GraphNode& node, size_t index, const ConstantLookup& constants) {
  if (node.inputs.size() <= index || node.inputs[index].empty()) return nullptr;
  const cpu::Tensor* t = constants(node.inputs[index]);
  if (!t) throw Error(node.label() + ": input '" + node.inputs[index] + "' must be a constant");
  return t;
}

std::unique_ptr<Op> make_resize(const GraphNode& node, const ConstantLookup& constants) {
  cpu::ResizeParams p;
  const std::string mode = node.get_string("mode", "nearest");
  static const std::map<std::string, cpu::ResizeMode> modes = {
      {"nearest", cpu::ResizeMode::Nearest}, {"linear", cpu::ResizeMode::Linear}, {"cubic", cpu::ResizeMode::Cubic}};
  static const std::map<std::string, cpu::CoordinateMode> coords = {
      {"half_pixel", cpu::CoordinateMode::HalfPixel},
      {"pytorch_half_pixel", cpu::CoordinateMode::PytorchHalfPixel},
      {"align_corners", cpu::CoordinateMode::AlignCorners},
      {"asymmetric", cpu::CoordinateMode::Asymmetric}};
  static const std::map<std::string, cpu::NearestRounding> roundings = {
      {"round_prefer_floor", cpu::NearestRounding::RoundPreferFloor},
      {"round_prefer_ceil", cpu::NearestRounding::RoundPreferCeil},
      {"floor", cpu::NearestRounding::Floor},
      {"ceil", cpu::NearestRounding::Ceil}};
  const std::string coord = node.get_string("coordinate_transformation_mode", "half_pixel");
  const std::string rounding = node.get_string("nearest_mode", "round_prefer_floor");
  if (!modes.count(mode)) throw Error(node.label() + ": unsupported Resize mode '" + mode + "'");
  if (!coords.count(coord)) throw Error(node.label() + ": unsupported coordinate_transformation_mode '" + coord + "'");
  if (!roundings.count(rounding)) throw Error(node.label() + ": unsupported nearest_mode '" + rounding + "'");
  p.mode = modes.at(mode);
  p.coordinates = coords.at(coord);
  p.nearest = roundings.at(rounding);
  p.cubic_a = node.get_float("cubic_coeff_a", -0.75f);
  p.exclude_outside = node.get_int("exclude_outside", 0) != 0;
  // Opset 10: (X, scales). Opset 11+: (X, roi, scales, sizes).
  const bool old_form = node.inputs.size() == 2;
  const cpu::Tensor* scales = optional_constant(node, old_form ? 1 : 2, constants);
  const cpu::Tensor* sizes = old_form ? nullptr : optional_constant(node, 3, constants);
  if (scales && scales->numel() == 4) {
    if (scales->data[0] != 1.0f || scales->data[1] != 1.0f)
      throw Error(node.label() + ": Resize may only scale the two spatial axes");
    p.scale_h = scales->data[2];
    p.scale_w = scales->data[3];
  } else if (sizes && sizes->numel() == 4 && sizes->is_int) {
    p.out_h = sizes->ints[2];
    p.out_w = sizes->ints[3];
  } else {
    throw Error(node.label() + ": Resize needs constant 4-value scales or sizes");
  }
  return std::make_unique<ResizeOp>(p);
}

}  // namespace

bool is_supported_op(const std::string& op_type) {
  const auto& t = op_table();
  return std::find(t.begin(), t.end(), op_type) != t.end();
}

std::vector<std::string> supported_ops() { return op_table(); }

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
  } else if (t == "PRelu") {
    a.kind = cpu::ActivationKind::PRelu;
    const cpu::Tensor* slope = optional_constant(node, 1, constants);
    if (!slope) throw Error(node.label() + " has no slope input");
    a.slopes = slope->data;
  } else if (t == "Clip") {
    a.kind = cpu::ActivationKind::Clip;
    a.min = node.get_float("min", -3.4e38f);  // opset < 11: attributes
    a.max = node.get_float("max", 3.4e38f);
    if (const cpu::Tensor* lo = optional_constant(node, 1, constants)) a.min = lo->data.at(0);
    if (const cpu::Tensor* hi = optional_constant(node, 2, constants)) a.max = hi->data.at(0);
  } else {
    return false;
  }
  return true;
}

std::unique_ptr<Op> make_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options) {
  const std::string& t = node.op_type;
  if (t == "Conv" || t == "ConvTranspose") return make_conv_op(node, constants, options);
  cpu::Activation a;
  if (activation_of(node, constants, a)) return std::make_unique<ActivationOp>(a);
  if (t == "Add") return std::make_unique<BinaryOp>(cpu::BinaryOp::Add);
  if (t == "Sub") return std::make_unique<BinaryOp>(cpu::BinaryOp::Sub);
  if (t == "Mul") return std::make_unique<BinaryOp>(cpu::BinaryOp::Mul);
  if (t == "Div") return std::make_unique<BinaryOp>(cpu::BinaryOp::Div);
  if (t == "DepthToSpace") {
    const std::string mode = node.get_string("mode", "DCR");
    if (mode != "DCR" && mode != "CRD") throw Error(node.label() + ": unknown DepthToSpace mode '" + mode + "'");
    const int64_t block = node.get_int("blocksize", 0);
    if (block < 1) throw Error(node.label() + ": blocksize must be positive");
    return std::make_unique<DepthToSpaceOp>(block, mode == "CRD" ? cpu::DepthToSpaceMode::CRD : cpu::DepthToSpaceMode::DCR);
  }
  if (t == "Concat") return std::make_unique<ConcatOp>(node.get_int("axis", 1));
  if (t == "Resize") return make_resize(node, constants);
  if (t == "Identity") return std::make_unique<IdentityOp>();
  if (t == "Reshape") {
    const cpu::Tensor* shape = optional_constant(node, 1, constants);
    if (!shape || !shape->is_int) throw Error(node.label() + ": the target shape must be a constant int64 tensor");
    return std::make_unique<ReshapeOp>(shape->ints, node.label());
  }
  throw Error(node.label() + ": unsupported op " + t);
}

}  // namespace vsr
